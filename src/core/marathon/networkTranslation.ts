// Marathon's NetworkTranslation (AppNormalization.scala): the legacy pair `ipAddress` + `container.docker.network`
// becomes canonical `networks`. Validation and normalisation both call this, so they cannot disagree.
import { CanonicalNetwork, DockerNetworkType, IpAddress, Labels, Network, NetworkMode } from "./types";
import { APP_DEFAULTS, MESOS_BRIDGE_NAME } from "./rules";

/** A network as declared, before default names are filled in, with where the user declared it. */
export interface DeclaredNetwork {
  mode: NetworkMode;
  name?: string;
  labels?: Labels;
  /** JSON path of the declaration: `networks[1]`, `ipAddress` or `container.docker.network`. */
  source: string;
  /** JSON path a missing or bad name is reported at. */
  namePath: string;
}

export interface NetworkDeclaration {
  ipAddress?: IpAddress;
  dockerNetwork?: DockerNetworkType;
  networks?: Network[];
}

function withLabels<T extends object>(net: T, labels: Labels | undefined): T & { labels?: Labels } {
  return labels === undefined ? net : { ...net, labels };
}

function fromCanonical(networks: Network[]): DeclaredNetwork[] {
  return networks.map((n, i) => {
    const declared: DeclaredNetwork = { mode: n.mode ?? APP_DEFAULTS.networkMode, source: `networks[${i}]`, namePath: `networks[${i}].name` };
    if (n.name !== undefined) declared.name = n.name;
    return withLabels(declared, n.labels);
  });
}

/** ipAddress asks for IP-per-container; docker.network (if any) says which kind. */
function fromIpAddress(ip: IpAddress, dockerNetwork: DockerNetworkType | undefined, mesosBridgeName: string): DeclaredNetwork[] {
  const at = { source: "ipAddress", namePath: "ipAddress.networkName" };
  const container = (): DeclaredNetwork[] => {
    const net: DeclaredNetwork = { mode: "container", ...at };
    if (ip.networkName !== undefined) net.name = ip.networkName;
    return [withLabels(net, ip.labels)];
  };
  switch (dockerNetwork) {
    case "HOST": // "strange way to ask for this, but we'll accommodate" (Marathon); labels are dropped
      return [{ mode: "host", ...at }];
    case "BRIDGE":
      return [withLabels({ mode: "container/bridge", ...at }, ip.labels)];
    case "USER":
      return container();
    case "NONE": // Marathon: "unsupported docker network type"; validation rejects it
      return [];
    case undefined:
      // Without a docker network type, a networkName equal to the Mesos bridge name means that bridge.
      return ip.networkName === mesosBridgeName ? [withLabels({ mode: "container/bridge", ...at }, ip.labels)] : container();
  }
}

function fromDockerNetwork(dockerNetwork: DockerNetworkType | undefined): DeclaredNetwork[] {
  const at = { source: "container.docker.network", namePath: "container.docker.network" };
  switch (dockerNetwork) {
    case "HOST":
      return [{ mode: "host", ...at }];
    case "USER":
      return [{ mode: "container", ...at }];
    case "BRIDGE":
      return [{ mode: "container/bridge", ...at }];
    case "NONE":
    case undefined:
      return [];
  }
}

/**
 * The declared networks, canonical or translated from the legacy fields. Assumes the declaration was validated:
 * when both APIs are used (a validation failure) the canonical `networks` win; `NONE` translates to nothing.
 */
export function translateNetworks(decl: NetworkDeclaration, mesosBridgeName: string = MESOS_BRIDGE_NAME): DeclaredNetwork[] {
  if (decl.networks !== undefined && decl.networks.length > 0) return fromCanonical(decl.networks);
  if (decl.ipAddress !== undefined) return fromIpAddress(decl.ipAddress, decl.dockerNetwork, mesosBridgeName);
  return fromDockerNetwork(decl.dockerNetwork);
}

/**
 * Marathon's Networks normalisation: unnamed container networks join the default network; no network at all
 * means host networking (Marathon's DefaultNetworks).
 */
export function canonicalNetworks(declared: DeclaredNetwork[], defaultNetworkName: string): CanonicalNetwork[] {
  if (declared.length === 0) return [{ mode: "host" }];
  return declared.map((n): CanonicalNetwork => {
    switch (n.mode) {
      case "container":
        return withLabels({ mode: "container" as const, name: n.name ?? defaultNetworkName }, n.labels);
      case "container/bridge":
        return withLabels({ mode: "container/bridge" as const }, n.labels);
      case "host":
        return { mode: "host" };
    }
  });
}
