/** One validation failure: which field (a JSON path such as `overlays[1].prefix`) and why. */
export interface Failure {
  property: string;
  reason: string;
}

/** Prefixes every failure's property with a parent path (`networks[0]` + `prefix`). */
export function under(parent: string, failures: Failure[]): Failure[] {
  return failures.map((f) => ({ property: f.property ? `${parent}.${f.property}` : parent, reason: f.reason }));
}
