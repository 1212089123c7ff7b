// JSON paths into the user's definition, the `property` of every Failure: `container.portMappings[0].name`.

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `parent` + key; keys that are not identifiers (label keys like `com.acme/team`) are quoted: `labels["com.acme/team"]`. */
export function field(parent: string, key: string): string {
  if (!IDENTIFIER.test(key)) return `${parent}[${JSON.stringify(key)}]`;
  return parent ? `${parent}.${key}` : key;
}

/** `parent[index]` */
export function item(parent: string, index: number): string {
  return `${parent}[${index}]`;
}
