// Checks of JSON that arrived as `unknown` (user config can hold anything). Each check returns failures that
// name the field and never throws, so one bad value cannot hide the others.
import { Failure } from "../common/failure";
import { field, item } from "./paths";

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function has(obj: JsonObject, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key) && obj[key] !== undefined;
}

/** A short rendering of a bad value for a reason; safe for values JSON.stringify rejects (bigint, symbol). */
export function show(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    try {
      text = String(value);
    } catch {
      text = "(unprintable)";
    }
  }
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

export function typeFailure(property: string, expected: string, value: unknown): Failure {
  if (value === undefined) return { property, reason: `is required: must be ${expected}` };
  if (value === null) return { property, reason: `must be ${expected}, got null` };
  return { property, reason: `must be ${expected}, got ${kindOf(value)} ${show(value)}` };
}

export interface NumberRule {
  integer?: boolean;
  /** Inclusive lower bound. */
  min?: number;
  /** Exclusive lower bound (cpus > 0). */
  above?: number;
  /** Inclusive upper bound. */
  max?: number;
}

/** At most one failure per number: the type first, then the range. */
export function checkNumber(property: string, value: unknown, rule: NumberRule): Failure[] {
  const fail = (reason: string): Failure[] => [{ property, reason }];
  if (typeof value !== "number" || !Number.isFinite(value)) return [typeFailure(property, rule.integer ? "an integer" : "a number", value)];
  if (rule.integer && !Number.isInteger(value)) return fail(`must be an integer, got ${value}`);
  if (rule.min !== undefined && rule.max !== undefined && (value < rule.min || value > rule.max)) {
    return fail(`must be between ${rule.min} and ${rule.max}, got ${value}`);
  }
  if (rule.above !== undefined && !(value > rule.above)) return fail(`must be greater than ${rule.above}, got ${value}`);
  if (rule.min !== undefined && value < rule.min) return fail(`must be at least ${rule.min}, got ${value}`);
  if (rule.max !== undefined && value > rule.max) return fail(`must be at most ${rule.max}, got ${value}`);
  return [];
}

export function checkBoolean(property: string, value: unknown): Failure[] {
  return typeof value === "boolean" ? [] : [typeFailure(property, "true or false", value)];
}

export interface StringRule {
  nonEmpty?: boolean;
  pattern?: RegExp;
  maxLength?: number;
  /** What the pattern means, in words, for the reason. */
  describe?: string;
}

export function checkString(property: string, value: unknown, rule: StringRule = {}): Failure[] {
  const fail = (reason: string): Failure[] => [{ property, reason }];
  if (typeof value !== "string") return [typeFailure(property, "a string", value)];
  if (rule.nonEmpty && value.length === 0) return fail("must not be an empty string");
  if (rule.maxLength !== undefined && value.length > rule.maxLength) {
    return fail(`${show(value)} is longer than ${rule.maxLength} characters`);
  }
  if (rule.pattern && !rule.pattern.test(value)) {
    const hint = rule.describe ? ` (${rule.describe})` : "";
    return fail(`${show(value)} must match ${rule.pattern.source}${hint}`);
  }
  return [];
}

/** `value` must be one of `allowed`. */
export function checkEnum(property: string, value: unknown, allowed: readonly string[]): Failure[] {
  if (typeof value === "string" && allowed.includes(value)) return [];
  return [{ property, reason: `must be one of ${allowed.join(", ")}, got ${show(value)}` }];
}

/** A map of strings (labels): one failure per non-string value. */
export function checkStringMap(property: string, value: unknown, what: string): Failure[] {
  if (!isObject(value)) return [typeFailure(property, `an object of ${what}s`, value)];
  return Object.entries(value)
    .filter(([, v]) => typeof v !== "string")
    .map(([k, v]) => typeFailure(field(property, k), `a string (${what} values are strings)`, v));
}

/** Unknown keys are most often typos (`contanerPort`); Marathon's schema rejects them too. */
export function checkKnownKeys(property: string, obj: JsonObject, known: readonly string[], owner: string): Failure[] {
  return Object.keys(obj)
    .filter((key) => !known.includes(key))
    .map((key) => {
      const near = known.find((k) => k.toLowerCase() === key.toLowerCase());
      const hint = near ? ` (did you mean ${near}?)` : "";
      return { property: field(property, key), reason: `is not a field of ${owner}${hint}` };
    });
}

/** An array whose items are each checked by `each` (given the item and its path). */
export function checkArray(property: string, value: unknown, what: string, each: (item: unknown, path: string) => Failure[]): Failure[] {
  if (!Array.isArray(value)) return [typeFailure(property, `an array of ${what}`, value)];
  return value.flatMap((v, i) => each(v, item(property, i)));
}

/** An object whose fields are checked by `each`; a non-object gives one type failure. */
export function checkObject(property: string, value: unknown, what: string, each: (obj: JsonObject) => Failure[]): Failure[] {
  return isObject(value) ? each(value) : [typeFailure(property, what, value)];
}
