// Health checks: field types, and that a Marathon-side check addresses a port that exists.
import { Failure } from "../common/failure";
import { checkArray, checkBoolean, checkEnum, checkKnownKeys, checkNumber, checkObject, checkString, JsonObject } from "./jsonChecks";
import { MARATHON } from "./messages";
import { field } from "./paths";
import { HEALTH_CHECK_PROTOCOLS, HEALTH_TIMINGS, MAX_INT32, MAX_PORT } from "./rules";

// Timings and counts are int32 in Marathon's RAML; portIndex is its AnyPort, 0 to 65535.
const FIELDS = [...HEALTH_TIMINGS, "portIndex", "protocol", "path", "port", "command", "ignoreHttp1xx", "ipProtocol"];
/** Checks Marathon itself runs against a port (the others run inside the task). */
const MARATHON_PROTOCOLS = ["HTTP", "HTTPS", "TCP"];

function checkHealthCheck(hc: JsonObject, path: string, portCount: number | undefined): Failure[] {
  const at = (k: string) => field(path, k);
  const failures = [
    ...checkKnownKeys(path, hc, FIELDS, "a health check"),
    ...HEALTH_TIMINGS.flatMap((k) => (hc[k] === undefined ? [] : checkNumber(at(k), hc[k], { integer: true, min: 0, max: MAX_INT32 }))),
    ...(hc.portIndex === undefined ? [] : checkNumber(at("portIndex"), hc.portIndex, { integer: true, min: 0, max: MAX_PORT })),
    ...(hc.protocol === undefined ? [] : checkEnum(at("protocol"), hc.protocol, HEALTH_CHECK_PROTOCOLS)),
    ...(hc.port === undefined ? [] : checkNumber(at("port"), hc.port, { integer: true, min: 0, max: MAX_PORT })),
    ...(hc.path === undefined ? [] : checkString(at("path"), hc.path)),
    ...(hc.ignoreHttp1xx === undefined ? [] : checkBoolean(at("ignoreHttp1xx"), hc.ignoreHttp1xx)),
    ...(hc.ipProtocol === undefined ? [] : checkEnum(at("ipProtocol"), hc.ipProtocol, ["IPv4", "IPv6"])),
    ...(hc.command === undefined ? [] : checkObject(at("command"), hc.command, 'a {"value": "<shell command>"} object', (c) =>
      checkString(field(at("command"), "value"), c.value, { nonEmpty: true }))),
  ];
  const probesPort = hc.command === undefined && MARATHON_PROTOCOLS.includes((hc.protocol ?? "HTTP") as string);
  const index = hc.portIndex;
  if (probesPort && portCount !== undefined && Number.isInteger(index) && (index as number) >= portCount) {
    failures.push({ property: at("portIndex"), reason: `${MARATHON.healthCheckPortIndex} (portIndex ${index}, ${portCount} port(s) declared)` });
  }
  return failures;
}

export function validateHealthChecks(app: JsonObject, portCount: number | undefined): Failure[] {
  if (app.healthChecks === undefined) return [];
  return checkArray("healthChecks", app.healthChecks, "health check objects", (hc, path) =>
    checkObject(path, hc, "a health check object", (obj) => checkHealthCheck(obj, path, portCount)));
}
