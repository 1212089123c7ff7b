// Networking rules of Marathon (AppValidation's legacy checks, NetworkTranslation, NetworkValidation) applied to
// the user's definition, with failures at the field the user wrote.
import { Failure } from "../common/failure";
import { CanonicalNetwork, DockerNetworkType, IpAddress, Network } from "./types";
import { containerTypeOf, dockerOf, isNonEmptyArray } from "./appView";
import {
  checkArray, checkEnum, checkKnownKeys, checkObject, checkString, checkStringMap, isObject, JsonObject,
} from "./jsonChecks";
import { MARATHON } from "./messages";
import { canonicalNetworks, DeclaredNetwork, translateNetworks } from "./networkTranslation";
import { field } from "./paths";
import { checkDiscoveryPort } from "./portChecks";
import { DEFAULT_NETWORK_NAME, DOCKER_NETWORK_TYPES, MESOS_BRIDGE_NAME, NETWORK_MODES, NETWORK_NAME, NETWORK_NAME_MAX } from "./rules";

export interface NetworkOptions {
  /** Name an unnamed container network joins; `null` = no default (such networks are then rejected). Default "dcos". */
  defaultNetworkName?: string | null;
  /** Marathon's `--mesos_bridge_name`. Default "mesos-bridge". */
  mesosBridgeName?: string;
}

export interface NetworkCheck {
  failures: Failure[];
  /** The canonical networks, when the declaration is sound enough to tell them. */
  networks?: CanonicalNetwork[];
}

const NAME_RULE = { pattern: NETWORK_NAME, maxLength: NETWORK_NAME_MAX, describe: "lowercase letters, digits, '-' and '_'" };

function checkNetworkEntry(value: unknown, path: string): Failure[] {
  return checkObject(path, value, "a network object ({mode, name?, labels?})", (net) => {
    const isContainer = (net.mode ?? "container") === "container";
    return [
      ...checkKnownKeys(path, net, ["mode", "name", "labels"], "a network"),
      ...(net.mode === undefined ? [] : checkEnum(field(path, "mode"), net.mode, NETWORK_MODES)),
      // Host and bridge networks may not be named at all: that rule below says so instead of the pattern.
      ...(net.name === undefined ? [] : checkString(field(path, "name"), net.name, isContainer ? NAME_RULE : {})),
      ...(net.labels === undefined ? [] : checkStringMap(field(path, "labels"), net.labels, "label")),
    ];
  });
}

function checkIpAddress(value: unknown): Failure[] {
  const path = "ipAddress";
  return checkObject(path, value, "an object ({networkName, discovery, groups, labels})", (ip) => [
    ...checkKnownKeys(path, ip, ["networkName", "discovery", "groups", "labels"], "ipAddress"),
    ...(ip.networkName === undefined ? [] : checkString(field(path, "networkName"), ip.networkName, NAME_RULE)),
    ...(ip.groups === undefined ? [] : checkArray(field(path, "groups"), ip.groups, "strings", (g, p) => checkString(p, g))),
    ...(ip.labels === undefined ? [] : checkStringMap(field(path, "labels"), ip.labels, "label")),
    ...(ip.discovery === undefined ? [] : checkObject("ipAddress.discovery", ip.discovery, "an object ({ports})", (d) => [
      ...checkKnownKeys("ipAddress.discovery", d, ["ports"], "ipAddress.discovery"),
      ...(d.ports === undefined ? [] : checkArray("ipAddress.discovery.ports", d.ports, "discovery ports", checkDiscoveryPort)),
    ])),
  ]);
}

function checkDockerNetwork(app: JsonObject): Failure[] {
  const network = dockerOf(app)?.network;
  if (network === undefined) return [];
  const property = "container.docker.network";
  const bad = checkEnum(property, network, DOCKER_NETWORK_TYPES);
  if (bad.length) return bad;
  if (network === "NONE") return [{ property, reason: "unsupported docker network type NONE (Marathon cannot translate it; declare networks instead)" }];
  if (containerTypeOf(app) === "MESOS") return [{ property, reason: "must be empty when container.type is MESOS (declare networks instead)" }];
  return [];
}

/** The legacy fields and `networks` are two ways to say the same thing; Marathon refuses both at once. */
function checkApiMix(app: JsonObject): Failure[] {
  if (!isNonEmptyArray(app.networks)) return [];
  const failures: Failure[] = [];
  if (dockerOf(app)?.network !== undefined) {
    failures.push({ property: "container.docker.network", reason: `${MARATHON.dockerNetworkAndNetworks} (${MARATHON.mixedNetworkApis})` });
  }
  if (app.ipAddress !== undefined) {
    failures.push({ property: "ipAddress", reason: `${MARATHON.networksAndIpAddress} (${MARATHON.mixedNetworkApis})` });
  }
  return failures;
}

/** NetworkValidation's rules on the set of networks, plus the default-name rule. */
function checkNetworkSet(declared: DeclaredNetwork[], defaultName: string | null, engine: string | undefined): Failure[] {
  const failures: Failure[] = [];
  const fail = (property: string, reason: string) => failures.push({ property, reason });
  const seen = new Set<string>();
  for (const n of declared) {
    const named = n.name !== undefined && n.name !== "";
    if (n.mode === "host" && named) fail(n.namePath, MARATHON.hostNetworkNamed);
    if (n.mode === "host" && n.labels && Object.keys(n.labels).length > 0) fail(field(n.source, "labels"), MARATHON.hostNetworkNamed);
    if (n.mode === "container/bridge" && named) fail(n.namePath, MARATHON.bridgeNetworkNamed);
    if (n.mode !== "container") continue;
    const name = n.name ?? defaultName;
    if (name === null) {
      fail(n.namePath, MARATHON.networkNameRequired);
      continue;
    }
    if (seen.has(name)) fail(n.name === undefined ? n.source : n.namePath, `${MARATHON.duplicateNetworks}: "${name}" is declared twice`);
    seen.add(name);
  }
  const count = (mode: string) => declared.filter((n) => n.mode === mode).length;
  const [host, bridge, container] = [count("host"), count("container/bridge"), count("container")];
  const oneKind = (host <= 1 && bridge === 0 && container === 0) || (host === 0 && bridge <= 1 && container === 0) || (host === 0 && bridge === 0);
  if (!oneKind) fail("networks", MARATHON.networkModeMix);
  if (engine === "DOCKER" && container > 1) fail("networks", MARATHON.dockerSingleContainerNetwork);
  return failures;
}

export function validateNetworks(app: JsonObject, opts: NetworkOptions = {}): NetworkCheck {
  const defaultName = opts.defaultNetworkName === undefined ? DEFAULT_NETWORK_NAME : opts.defaultNetworkName;
  const failures: Failure[] = [
    ...(app.networks === undefined ? [] : checkArray("networks", app.networks, "network objects", checkNetworkEntry)),
    ...(app.ipAddress === undefined ? [] : checkIpAddress(app.ipAddress)),
    ...checkDockerNetwork(app),
    ...checkApiMix(app),
  ];
  if (failures.length > 0) return { failures };

  const declared = translateNetworks(
    {
      ipAddress: isObject(app.ipAddress) ? (app.ipAddress as IpAddress) : undefined,
      dockerNetwork: dockerOf(app)?.network as DockerNetworkType | undefined,
      networks: app.networks as Network[] | undefined,
    },
    opts.mesosBridgeName ?? MESOS_BRIDGE_NAME,
  );
  failures.push(...checkNetworkSet(declared, defaultName, containerTypeOf(app)));
  if (failures.length > 0) return { failures };
  return { failures, networks: canonicalNetworks(declared, defaultName ?? DEFAULT_NETWORK_NAME) };
}
