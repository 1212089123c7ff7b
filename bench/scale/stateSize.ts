// Bytes of state per resource type, from `pulumi stack export` as the backend stores it (secrets
// encrypted): the whole resource entry, and its inputs and outputs alone.

export interface TypeSize {
  type: string;
  count: number;
  /** Mean bytes of one resource's entry (JSON, as exported). */
  bytes: number;
  inputs: number;
  outputs: number;
  /** Mean count of encrypted values per resource (each one a ciphertext of its own). */
  secrets: number;
}

const size = (v: unknown) => (v === undefined ? 0 : Buffer.byteLength(JSON.stringify(v)));

function countSecrets(v: unknown): number {
  if (Array.isArray(v)) return v.reduce((n: number, x) => n + countSecrets(x), 0);
  if (v && typeof v === "object") {
    // Pulumi's signature key marks secrets, resource references and assets; secrets by this value.
    if ((v as Record<string, unknown>)["4dabf18193072939515e22adb298388d"] === "1b47061264138c4ac30d75fd1eb44270") return 1;
    return Object.values(v).reduce((n: number, x) => n + countSecrets(x), 0);
  }
  return 0;
}

export function stateSizes(exported: string): { total: number; types: TypeSize[] } {
  const resources: any[] = JSON.parse(exported).deployment.resources ?? [];
  const byType = new Map<string, any[]>();
  for (const r of resources) byType.set(r.type, [...(byType.get(r.type) ?? []), r]);
  const mean = (list: any[], f: (r: any) => number) => Math.round(list.reduce((n, r) => n + f(r), 0) / list.length);
  const types = [...byType].map(([type, list]) => ({
    type: type.split(":").pop()!,
    count: list.length,
    bytes: mean(list, size),
    inputs: mean(list, (r) => size(r.inputs)),
    outputs: mean(list, (r) => size(r.outputs)),
    secrets: mean(list, countSecrets),
  }));
  return { total: Buffer.byteLength(exported), types };
}
