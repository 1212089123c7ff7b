// How an adopted definition is compared with Marathon's copy: on the fields the provider's diff
// compares (its "observed" view), with an unset field and Marathon's null for it taken as the same.
import { stableJson } from "../common/stableJson";

/** Fields of two observed views that differ, with both values (env and containers without values: they may be sensitive). */
export function differingFields(marathon: Record<string, unknown>, declared: Record<string, unknown>): string[] {
  const keys = [...new Set([...Object.keys(marathon), ...Object.keys(declared)])].sort();
  return keys
    .filter((k) => stableJson(marathon[k] ?? null) !== stableJson(declared[k] ?? null))
    .map((k) => (k === "env" || k === "containers" ? k : `${k} (Marathon: ${stableJson(marathon[k] ?? null)}, file: ${stableJson(declared[k] ?? null)})`));
}
