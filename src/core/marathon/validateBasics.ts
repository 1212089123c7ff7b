// The plain fields of an app: command, resources, backoff, environment, secrets, labels.
import { Failure } from "../common/failure";
import { dockerOf, isNonEmptyArray } from "./appView";
import { checkArray, checkKnownKeys, checkNumber, checkObject, checkString, checkStringMap, isObject, JsonObject, NumberRule, typeFailure } from "./jsonChecks";
import { MARATHON } from "./messages";
import { field } from "./paths";

/** Marathon's minimums (AppDefinition schema, REFERENCE.md); cpus must be strictly positive. */
const NUMBER_RULES: Record<string, NumberRule> = {
  cpus: { above: 0 },
  mem: { min: 0 },
  disk: { min: 0 },
  gpus: { integer: true, min: 0 },
  instances: { integer: true, min: 0 },
  backoffSeconds: { integer: true, min: 0 },
  backoffFactor: { min: 1 },
  maxLaunchDelaySeconds: { integer: true, min: 0 },
};

export function validateResources(app: JsonObject): Failure[] {
  return Object.entries(NUMBER_RULES).flatMap(([key, rule]) => (app[key] === undefined ? [] : checkNumber(key, app[key], rule)));
}

/** Marathon needs something to run: cmd or args (not both), or a container with an image. */
export function validateCommand(app: JsonObject): Failure[] {
  const failures = [
    ...(app.cmd === undefined ? [] : checkString("cmd", app.cmd, { nonEmpty: true })),
    ...(app.args === undefined ? [] : checkArray("args", app.args, "strings", (a, p) => checkString(p, a))),
  ];
  const cmd = app.cmd !== undefined;
  const args = isNonEmptyArray(app.args);
  const container = dockerOf(app) !== undefined;
  if (cmd && args) failures.push({ property: "args", reason: `${MARATHON.cmdArgsOrContainer} (cmd and args exclude each other)` });
  else if (!cmd && !args && !container) failures.push({ property: "cmd", reason: MARATHON.cmdArgsOrContainer });
  return failures;
}

function checkEnvValue(name: string, value: unknown, secrets: unknown): Failure[] {
  const path = field("env", name);
  if (name === "" || name.includes("=")) return [{ property: path, reason: `environment variable name ${JSON.stringify(name)} must be non-empty and contain no '='` }];
  if (typeof value === "string") return [];
  if (!isObject(value) || Object.keys(value).length !== 1 || value.secret === undefined) return [typeFailure(path, 'a string or {"secret": "<name>"}', value)];
  const bad = checkString(field(path, "secret"), value.secret, { nonEmpty: true });
  if (bad.length) return bad;
  const declared = isObject(secrets) && Object.prototype.hasOwnProperty.call(secrets, value.secret as string);
  return declared ? [] : [{ property: field(path, "secret"), reason: `references an undefined secret ${JSON.stringify(value.secret)} (declare it under secrets)` }];
}

export function validateEnvironment(app: JsonObject): Failure[] {
  return [
    ...(app.env === undefined ? [] : checkObject("env", app.env, "an object of environment variables", (env) =>
      Object.entries(env).flatMap(([name, value]) => checkEnvValue(name, value, app.secrets)))),
    ...(app.secrets === undefined ? [] : checkObject("secrets", app.secrets, "an object of secret declarations", (secrets) =>
      Object.entries(secrets).flatMap(([name, decl]) => {
        const path = field("secrets", name);
        return checkObject(path, decl, 'a {"source": "<secret store path>"} object', (d) => [
          ...checkKnownKeys(path, d, ["source"], "a secret declaration"),
          ...checkString(field(path, "source"), d.source, { nonEmpty: true }),
        ]);
      }))),
    ...(app.labels === undefined ? [] : checkStringMap("labels", app.labels, "label")),
  ];
}
