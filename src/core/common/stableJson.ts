/**
 * JSON with object keys sorted at every level, for comparing values that went through Pulumi's
 * state (which does not keep key order) with values built in memory.
 */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, (v as Record<string, unknown>)[k]]))
      : v,
  );
}
