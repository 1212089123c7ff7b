// Port rules: container port mappings (current and legacy docker.portMappings), port definitions, legacy ports
// and discovery ports, and how each fits the app's networks (AppValidation, AppNormalization).
import { Failure } from "../common/failure";
import { CanonicalNetwork } from "./types";
import { containerOf, containerTypeOf, dockerOf, isNonEmptyArray } from "./appView";
import { checkArray, checkNumber, isObject, JsonObject, show } from "./jsonChecks";
import { MARATHON } from "./messages";
import { field, item } from "./paths";
import { checkPortDefinition, checkPortMapping, checkUniqueNames } from "./portChecks";
import { MAX_PORT } from "./rules";

export interface PortCheck {
  failures: Failure[];
  /** How many ports a health check's portIndex may address; undefined when unknown. */
  portCount?: number;
}

interface PortList {
  path: string;
  entries: unknown[];
  /** Every entry passed its own field checks. */
  sound: boolean;
}

function portList(path: string, value: unknown, check: (v: unknown, p: string) => Failure[], failures: Failure[]): PortList | undefined {
  if (value === undefined) return undefined;
  const own = checkArray(path, value, "objects", check);
  failures.push(...own);
  if (!Array.isArray(value)) return undefined;
  if (value.every(isObject)) failures.push(...checkUniqueNames(path, value as JsonObject[]));
  return { path, entries: value, sound: own.length === 0 };
}

/** Non-zero ports may not repeat (0 means "pick one"). */
function checkUniquePorts(path: string, ports: number[], reason: string, at: (i: number) => string): Failure[] {
  const seen = new Set<number>();
  return ports.flatMap((port, i) => {
    const repeated = port !== 0 && seen.has(port);
    seen.add(port);
    return repeated ? [{ property: at(i), reason: `${reason} ${port} is used twice in ${path}` }] : [];
  });
}

function checkMappingsOnNetworks(list: PortList, networks: CanonicalNetwork[]): Failure[] {
  if (list.entries.length === 0) return [];
  if (networks.some((n) => n.mode === "host")) return [{ property: list.path, reason: `${MARATHON.portMappingsWithHost} (host networking uses portDefinitions)` }];
  const names = networks.flatMap((n) => (n.mode === "container" ? [n.name] : []));
  return (list.entries as JsonObject[]).flatMap((m, j) => {
    const failures: Failure[] = [];
    const refs = Array.isArray(m.networkNames) ? (m.networkNames as string[]) : undefined;
    if (names.length > 1 && m.hostPort !== undefined && refs?.length !== 1) {
      failures.push({ property: field(item(list.path, j), "networkNames"), reason: MARATHON.hostPortNeedsNetworkName });
    }
    refs?.forEach((ref, k) => {
      if (!names.includes(ref)) {
        const known = names.length ? names.join(", ") : "none";
        failures.push({ property: item(field(item(list.path, j), "networkNames"), k), reason: `${show(ref)} is not one of the app's container networks (${known})` });
      }
    });
    return failures;
  });
}

/** Legacy ipAddress.discovery: refused for Docker containers; for Mesos containers it becomes the port mappings. */
function checkDiscovery(app: JsonObject, containerMappings: unknown): Failure[] {
  const discovery = isObject(app.ipAddress) ? app.ipAddress.discovery : undefined;
  if (discovery === undefined) return [];
  if (containerTypeOf(app) === "DOCKER") return [{ property: "ipAddress.discovery", reason: MARATHON.discoveryWithDocker }];
  if (isObject(discovery) && isNonEmptyArray(discovery.ports) && containerMappings !== undefined) {
    return [{ property: "ipAddress.discovery.ports", reason: MARATHON.discoveryAndPortMappings }];
  }
  return [];
}

export function validatePorts(app: JsonObject, networks: CanonicalNetwork[] | undefined): PortCheck {
  const failures: Failure[] = [];
  const containerMappings = containerOf(app)?.portMappings;
  // A Mesos container may not have docker.portMappings at all; validateContainer says so.
  const dockerMappings = containerTypeOf(app) === "MESOS" ? undefined : dockerOf(app)?.portMappings;
  const current = portList("container.portMappings", containerMappings, checkPortMapping, failures);
  const legacy = portList("container.docker.portMappings", dockerMappings, checkPortMapping, failures);
  const both = containerMappings !== undefined && isNonEmptyArray(dockerMappings);
  if (both) failures.push({ property: "container.docker.portMappings", reason: MARATHON.bothPortMappings });
  failures.push(...checkDiscovery(app, containerMappings));

  const definitions = portList("portDefinitions", app.portDefinitions, checkPortDefinition, failures);
  if (definitions?.sound) {
    const ports = (definitions.entries as JsonObject[]).map((d) => (d.port ?? 0) as number);
    failures.push(...checkUniquePorts("portDefinitions", ports, MARATHON.portsUnique, (i) => field(item("portDefinitions", i), "port")));
  }
  const legacyPorts = app.ports === undefined ? undefined : checkArray("ports", app.ports, "port numbers", (p, path) => checkNumber(path, p, { integer: true, min: 0, max: MAX_PORT }));
  failures.push(...(legacyPorts ?? []));
  const portsSound = legacyPorts !== undefined && legacyPorts.length === 0;
  if (portsSound) failures.push(...checkUniquePorts("ports", app.ports as number[], MARATHON.legacyPortsUnique, (i) => item("ports", i)));
  if (portsSound && definitions?.sound) {
    const same = JSON.stringify((definitions.entries as JsonObject[]).map((d) => d.port ?? 0)) === JSON.stringify(app.ports);
    if (!same) failures.push({ property: "ports", reason: `${MARATHON.portsAndPortDefinitions} (ports is the deprecated form of portDefinitions)` });
  }

  const mappings = current ?? legacy;
  if (networks && mappings?.sound && !both) failures.push(...checkMappingsOnNetworks(mappings, networks));
  for (const [path, value] of [["portDefinitions", app.portDefinitions], ["ports", app.ports]] as const) {
    if (!isNonEmptyArray(value)) continue;
    if (app.ipAddress !== undefined) failures.push({ property: path, reason: `${MARATHON.ipAddressAndPorts} (an ipAddress app uses port mappings)` });
    else if (networks?.some((n) => n.mode !== "host")) failures.push({ property: path, reason: `${MARATHON.portDefinitionsWithoutHost} (use container.portMappings)` });
  }

  return { failures, portCount: countPorts(networks, mappings, definitions, app) };
}

/**
 * Marathon's portIndices: the port mappings if any, else the port definitions. Undefined when nothing is declared:
 * Marathon then adds a default port of its own, which normalizeApp does not (see CanonicalApp).
 */
function countPorts(networks: CanonicalNetwork[] | undefined, mappings: PortList | undefined, definitions: PortList | undefined, app: JsonObject): number | undefined {
  if (!networks) return undefined;
  if (mappings && mappings.entries.length > 0) return mappings.sound ? mappings.entries.length : undefined;
  if (definitions) return definitions.sound ? definitions.entries.length : undefined;
  if (Array.isArray(app.ports)) return app.ports.length;
  return undefined;
}
