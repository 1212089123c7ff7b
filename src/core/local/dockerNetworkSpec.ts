// The Docker user-defined network that stands in for a DC/OS virtual network on a local cluster.
// Plain data only: the Docker backend turns it into Engine API calls, and the @pulumi/docker path
// turns it into a docker.Network declaration, so both paths create exactly the same network.
import { formatAddress, parseCidr } from "../ip/cidr";

/** Who owns a Docker object: the labels we stamp on it and check before touching it. */
export interface Owner {
  project: string;
  stack: string;
}

export interface DockerNetworkSpec {
  /** Docker network name (the virtual network's name, e.g. `dcos-1`). */
  name: string;
  /** IPv4 subnet in canonical CIDR form. */
  subnet: string;
  /** Gateway address; Docker picks the first host of the subnet when absent. */
  gateway?: string;
  /** Linux bridge name (`d-<name>` for a DC/OS overlay's Docker bridge); ≤ 15 characters. */
  bridgeName?: string;
  /** MTU of the bridge and its veths (DC/OS overlays use 1420). */
  mtu?: number;
  /** DC/OS runs overlays without NAT: containers are addressed by their own IPs. */
  ipMasquerade: boolean;
  /** User labels; ownership labels are added by the backend. */
  labels: Record<string, string>;
  /** A swarm overlay only: IPsec (ESP) between the hosts, Docker's `encrypted` option; absent means off. */
  encrypted?: boolean;
}

/** Label keys that mark a Docker object as ours. */
export const OWNER_LABELS = {
  managedBy: "io.dcos-vnet.managed-by",
  project: "io.dcos-vnet.project",
  stack: "io.dcos-vnet.stack",
} as const;

export const MANAGED_BY = "pulumi-dcos-vnet";

export function ownerLabels(owner: Owner): Record<string, string> {
  return {
    [OWNER_LABELS.managedBy]: MANAGED_BY,
    [OWNER_LABELS.project]: owner.project,
    [OWNER_LABELS.stack]: owner.stack,
  };
}

/** True for the label keys that carry ownership (users may not set them). */
export function isOwnerLabel(key: string): boolean {
  return (Object.values(OWNER_LABELS) as string[]).includes(key);
}

/** True when the labels carry our ownership mark for exactly this project and stack. */
export function isOwnedBy(labels: Record<string, string> | undefined, owner: Owner): boolean {
  return (
    labels?.[OWNER_LABELS.managedBy] === MANAGED_BY &&
    labels?.[OWNER_LABELS.project] === owner.project &&
    labels?.[OWNER_LABELS.stack] === owner.stack
  );
}

/** The Docker driver options that express the spec (the same ones DC/OS passes on every agent). */
export function bridgeOptions(spec: DockerNetworkSpec): Record<string, string> {
  const options: Record<string, string> = {
    "com.docker.network.bridge.enable_ip_masquerade": String(spec.ipMasquerade),
  };
  if (spec.bridgeName) options["com.docker.network.bridge.name"] = spec.bridgeName;
  if (spec.mtu !== undefined) options["com.docker.network.driver.mtu"] = String(spec.mtu);
  return options;
}

/**
 * Docker's overlay driver takes the MTU option as the underlay's and gives containers 50 bytes
 * less (VXLAN's overhead): to give containers the virtual network's MTU (1420, DC/OS's overlay
 * MTU, which already leaves room for VXLAN on a 1500 underlay), the option is that plus 50.
 */
export const VXLAN_OVERHEAD = 50;

/** The driver options of the swarm overlay that plays the spec over several hosts. */
export function swarmOverlayOptions(spec: Pick<DockerNetworkSpec, "mtu" | "encrypted">): Record<string, string> {
  return {
    "com.docker.network.driver.mtu": String((spec.mtu ?? 1420) + VXLAN_OVERHEAD),
    // As `docker network create --opt encrypted`: the key's presence is the switch.
    ...(spec.encrypted ? { encrypted: "" } : {}),
  };
}

/** Label that names the virtual network a Docker network stands in for. */
export const VIRTUAL_NETWORK_LABEL = "io.dcos-vnet.virtual-network";

/** The parts of a virtual network that shape its local Docker network. */
export interface VirtualNetworkShape {
  name: string;
  subnet: string;
  mtu?: number;
  labels?: Record<string, string>;
}

/**
 * The Docker network that plays a virtual network's overlay fabric on a local cluster: one bridge
 * (`d-<name>`, as the Docker bridge of every DC/OS agent is called) spanning the whole overlay
 * subnet, so containers of all agents reach each other as they would across the VXLAN; no NAT;
 * the overlay MTU. Its gateway is the subnet's first host, which the address pools never hand out
 * (it is the first Mesos half's bridge address).
 */
export function dockerSpecForVirtualNetwork(vn: VirtualNetworkShape, overlayMtu = 1420): DockerNetworkSpec {
  return {
    name: vn.name,
    subnet: vn.subnet,
    gateway: firstHostOf(vn.subnet),
    bridgeName: `d-${vn.name}`,
    mtu: vn.mtu ?? overlayMtu,
    ipMasquerade: false,
    labels: { ...(vn.labels ?? {}), [VIRTUAL_NETWORK_LABEL]: vn.name },
  };
}

/** First host of a subnet: where Docker puts a network's gateway by default. */
export function firstHostOf(subnet: unknown): string | undefined {
  const parsed = parseCidr(subnet);
  return parsed.ok ? formatAddress(parsed.value.family, parsed.value.start + 1n) : undefined;
}
