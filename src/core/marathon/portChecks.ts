// Field checks of one port mapping, port definition or legacy discovery port, independent of networks.
import { Failure } from "../common/failure";
import { checkArray, checkEnum, checkKnownKeys, checkNumber, checkObject, checkString, checkStringMap, JsonObject } from "./jsonChecks";
import { MARATHON } from "./messages";
import { field, item } from "./paths";
import { MAX_PORT, NETWORK_NAME, NETWORK_NAME_MAX, PORT_NAME, PORT_PROTOCOLS } from "./rules";

const PORT = { integer: true, min: 0, max: MAX_PORT };
const PORT_NAME_RULE = { pattern: PORT_NAME, describe: "lowercase letters, digits and '-', not starting or ending with '-'" };

function optional(obj: JsonObject, key: string, path: string, check: (p: string, v: unknown) => Failure[]): Failure[] {
  return obj[key] === undefined ? [] : check(field(path, key), obj[key]);
}

const checkPort = (p: string, v: unknown) => checkNumber(p, v, PORT);
const checkProtocol = (allowed: readonly string[]) => (p: string, v: unknown) => checkEnum(p, v, allowed);
const checkPortName = (p: string, v: unknown) => checkString(p, v, PORT_NAME_RULE);
const checkLabels = (p: string, v: unknown) => checkStringMap(p, v, "label");

const MAPPING_FIELDS = ["containerPort", "hostPort", "servicePort", "protocol", "name", "labels", "networkNames"];

export function checkPortMapping(value: unknown, path: string): Failure[] {
  return checkObject(path, value, "a port mapping object", (m) => [
    ...checkKnownKeys(path, m, MAPPING_FIELDS, "a port mapping"),
    ...optional(m, "containerPort", path, checkPort),
    ...optional(m, "hostPort", path, checkPort),
    ...optional(m, "servicePort", path, checkPort),
    ...optional(m, "protocol", path, checkProtocol(PORT_PROTOCOLS)),
    ...optional(m, "name", path, checkPortName),
    ...optional(m, "labels", path, checkLabels),
    // Marathon's RAML forbids '_' here although network names allow it; we accept any valid network name,
    // since each entry must name one of the app's networks anyway (checked in validatePorts).
    ...optional(m, "networkNames", path, (p, v) =>
      checkArray(p, v, "network names", (n, np) => checkString(np, n, { pattern: NETWORK_NAME, maxLength: NETWORK_NAME_MAX })),
    ),
  ]);
}

export function checkPortDefinition(value: unknown, path: string): Failure[] {
  return checkObject(path, value, "a port definition object", (d) => [
    ...checkKnownKeys(path, d, ["port", "protocol", "name", "labels"], "a port definition"),
    ...optional(d, "port", path, checkPort),
    ...optional(d, "protocol", path, checkProtocol(PORT_PROTOCOLS)),
    ...optional(d, "name", path, checkPortName),
    ...optional(d, "labels", path, checkLabels),
  ]);
}

/** Legacy `ipAddress.discovery.ports[]`: number and name are required (Marathon's IpDiscoveryPort). */
export function checkDiscoveryPort(value: unknown, path: string): Failure[] {
  return checkObject(path, value, "a discovery port object ({number, name, protocol?})", (d) => [
    ...checkKnownKeys(path, d, ["number", "name", "protocol", "labels"], "a discovery port"),
    ...(d.number === undefined ? [{ property: field(path, "number"), reason: "is required" }] : checkPort(field(path, "number"), d.number)),
    ...(d.name === undefined ? [{ property: field(path, "name"), reason: "is required" }] : checkPortName(field(path, "name"), d.name)),
    ...optional(d, "protocol", path, checkProtocol(["tcp", "udp"])),
    ...optional(d, "labels", path, checkLabels),
  ]);
}

/** "Port names must be unique.": reported at each repeated name after the first. */
export function checkUniqueNames(path: string, entries: JsonObject[]): Failure[] {
  const seen = new Set<string>();
  const failures: Failure[] = [];
  entries.forEach((e, i) => {
    if (typeof e.name !== "string") return;
    if (seen.has(e.name)) failures.push({ property: field(item(path, i), "name"), reason: `${MARATHON.portNamesUnique} "${e.name}" is used twice` });
    seen.add(e.name);
  });
  return failures;
}
