// Placement constraints and the upgrade strategy (SchedulingValidation).
import { Failure } from "../common/failure";
import { checkArray, checkKnownKeys, checkNumber, checkObject, JsonObject, show, typeFailure } from "./jsonChecks";
import { MARATHON } from "./messages";
import { field } from "./paths";
import { CONSTRAINT_OPERATORS } from "./rules";

/** Marathon parses these values with Java's Integer.parseInt: optional sign, digits, 32-bit range. */
function isJavaInt(value: string): boolean {
  const n = Number(value);
  return /^[+-]?\d+$/.test(value) && n >= -(2 ** 31) && n <= 2 ** 31 - 1;
}

/** Java's Pattern and JavaScript's RegExp agree on everyday patterns; this is the check we can make here. */
function isRegex(value: string): boolean {
  try {
    new RegExp(value);
    return true;
  } catch {
    return false;
  }
}

/** Why a constraint is wrong, or undefined. All reasons are about the constraint as a whole. */
function constraintProblem(c: unknown[]): string | undefined {
  if (c.length < 2 || c.length > 3) return `${MARATHON.constraintFields} ([field, OPERATOR, value?]), got ${c.length}`;
  const bad = c.findIndex((part) => typeof part !== "string");
  if (bad >= 0) return `element ${bad} must be a string, got ${show(c[bad])}`;
  const [fieldName, op, value] = c as [string, string, string | undefined];
  if (fieldName === "") return "the field (first element) must not be empty";
  switch (op) {
    case "UNIQUE":
      return value === undefined ? undefined : `${MARATHON.uniqueTakesNoValue}, got ${show(value)}`;
    case "CLUSTER":
    case "IS":
      return value === undefined || value === "" ? `${op} requires a value (the attribute value to match)` : undefined;
    case "GROUP_BY":
      return value === undefined || isJavaInt(value) ? undefined : `${MARATHON.groupByInteger}, got ${show(value)}`;
    case "MAX_PER":
      return value !== undefined && isJavaInt(value) ? undefined : `${MARATHON.maxPerNeedsInteger}, got ${show(value)}`;
    case "LIKE":
    case "UNLIKE":
      if (value === undefined) return `${op}: ${MARATHON.regexRequired}`;
      return isRegex(value) ? undefined : `${op}: '${value}' is not a valid regular expression`;
    default:
      return `unknown constraint operator ${show(op)}; must be one of ${CONSTRAINT_OPERATORS.join(", ")}`;
  }
}

export function validateScheduling(app: JsonObject): Failure[] {
  const failures: Failure[] = [];
  if (app.constraints !== undefined) {
    failures.push(...checkArray("constraints", app.constraints, "constraints", (c, path) => {
      if (!Array.isArray(c)) return [typeFailure(path, "an array [field, OPERATOR, value?]", c)];
      const problem = constraintProblem(c);
      return problem ? [{ property: path, reason: problem }] : [];
    }));
  }
  if (app.upgradeStrategy !== undefined) {
    const path = "upgradeStrategy";
    const keys = ["minimumHealthCapacity", "maximumOverCapacity"];
    failures.push(...checkObject(path, app.upgradeStrategy, "an object ({minimumHealthCapacity, maximumOverCapacity})", (s) => [
      ...checkKnownKeys(path, s, keys, "upgradeStrategy"),
      ...keys.flatMap((k) => (s[k] === undefined ? [] : checkNumber(field(path, k), s[k], { min: 0, max: 1 }))),
    ]));
  }
  return failures;
}
