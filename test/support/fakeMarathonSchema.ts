// The Marathon double's check of an app body against Marathon's published AppDefinition.json.
// Marathon's readers take the fields they declare and ignore the others (its play-json/RAML readers,
// raml/AppConversion.scala@releases/1.10 `appRamlReader`, read declared fields only): a real 1.10 app with
// `role`, `tty`, `check` or `resourceLimits`, or any field this schema does not know, is accepted.
// So every `additionalProperties: false` of the schema is dropped; types, patterns, enums and
// bounds of the declared fields are kept, and answer 422 in Marathon's shape.
import * as fs from "fs";
import * as path from "path";
import Ajv, { ErrorObject, ValidateFunction } from "ajv";
import { ROOT } from "./paths";

/** Marathon's own app schema, kept in the repository (Apache-2.0, see the NOTICE.md beside it). */
export const APP_SCHEMA_PATH = path.join(ROOT, "test", "fixtures", "marathon", "AppDefinition.json");

export interface SchemaAnswer {
  status: number;
  body: unknown;
}

let compiled: ValidateFunction | undefined;

/** Marathon's AppDefinition.json compiled with ajv (once per process), unknown fields allowed. */
export function appSchemaValidator(): ValidateFunction {
  if (compiled) return compiled;
  const { $schema: _meta, ...schema } = JSON.parse(fs.readFileSync(APP_SCHEMA_PATH, "utf8"));
  // The schema is draft-04 style and names the meta schema "http://json-schema.org/schema#", which
  // ajv does not ship; only that reference is dropped. Its keywords mean the same in ajv's default
  // draft. "date-time" is its only format.
  const ajv = new Ajv({ strict: false, allErrors: true, formats: { "date-time": isDateTime } });
  compiled = ajv.compile(openObjects(schema) as object);
  return compiled;
}

/** The schema with every `additionalProperties: false` removed (a map's value schema is kept). */
function openObjects(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(openObjects);
  if (!node || typeof node !== "object") return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === "additionalProperties" && v === false) continue;
    out[k] = openObjects(v);
  }
  return out;
}

function isDateTime(s: string): boolean {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i.test(s) && !Number.isNaN(Date.parse(s));
}

/** 422 in Marathon's shape when the body does not satisfy the schema. */
export function validateAppBody(validate: ValidateFunction, body: unknown): SchemaAnswer | undefined {
  if (validate(body)) return undefined;
  const byPath = new Map<string, string[]>();
  for (const e of validate.errors ?? []) {
    const p = marathonPath(pointerOf(e), body);
    const reason = e.keyword === "enum" ? `${e.message}: ${JSON.stringify(e.params.allowedValues)}` : e.message ?? e.keyword;
    const list = byPath.get(p) ?? [];
    if (!list.includes(reason)) list.push(reason);
    byPath.set(p, list);
  }
  return {
    status: 422,
    body: { message: "Object is not valid", details: [...byPath].map(([p, errors]) => ({ path: p, errors })) },
  };
}

/** The JSON pointer of the offending value; a missing property is named in the path. */
function pointerOf(e: ErrorObject): string {
  const escape = (s: string) => s.replace(/~/g, "~0").replace(/\//g, "~1");
  if (e.keyword === "required") return `${e.instancePath}/${escape(String(e.params.missingProperty))}`;
  return e.instancePath;
}

/** JSON pointer → Marathon's path style: `/container/portMappings/0/name` → `/container/portMappings(0)/name`. */
function marathonPath(pointer: string, data: unknown): string {
  let out = "";
  let node: unknown = data;
  for (const raw of pointer.split("/").slice(1)) {
    const segment = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (Array.isArray(node)) {
      out += `(${segment})`;
      node = node[Number(segment)];
    } else {
      out += `/${segment}`;
      node = node && typeof node === "object" ? (node as Record<string, unknown>)[segment] : undefined;
    }
  }
  return out || "/";
}
