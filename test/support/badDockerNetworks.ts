// Bad specs of the Docker network that plays a virtual network on the local cluster, each with
// every failure LocalDockerNetwork's check must report: what Docker itself would refuse only at
// create time (names, CIDRs, Linux interface limits), and labels that would forge our ownership.
import { Failure } from "../../src/core/common/failure";
import { DockerNetworkSpec, dockerSpecForVirtualNetwork } from "../../src/core/local/dockerNetworkSpec";

export interface BadDockerNetworkCase {
  what: string;
  /** Fields that replace those of a good spec (the one the stack makes for dcos-1 9.0.0.0/16). */
  change: Record<string, unknown>;
  failures: Failure[];
}

/** The spec the stack declares for a virtual network dcos-1 on 9.0.0.0/16. */
export const GOOD_SPEC: DockerNetworkSpec = dockerSpecForVirtualNetwork({ name: "dcos-1", subnet: "9.0.0.0/16" });

const f = (property: string, reason: string): Failure => ({ property, reason });
const NAME = (shown: string) => `Docker network name ${shown} must match ^[a-zA-Z0-9][a-zA-Z0-9_.-]*$`;
const BRIDGE = (shown: string) => `bridge name ${shown} must be 1-15 characters of [a-zA-Z0-9_.-] (a Linux interface name)`;
const MTU = (shown: string) => `mtu ${shown} must be an integer from 68 to 65535`;
const OWNED = (key: string) => `${key} is reserved: it marks which stack owns the network`;

export const BAD_DOCKER_NETWORKS: BadDockerNetworkCase[] = [
  { what: "name starting with a dash", change: { name: "-net" }, failures: [f("name", NAME('"-net"'))] },
  { what: "name with a space", change: { name: "my net" }, failures: [f("name", NAME('"my net"'))] },
  { what: "name not a string", change: { name: 7 }, failures: [f("name", NAME("7"))] },
  { what: "subnet malformed", change: { subnet: "9.0.0/16" }, failures: [f("subnet", "9.0.0/16 is not a valid IPv4 CIDR network")] },
  { what: "subnet IPv6", change: { subnet: "fd01:b::/64", gateway: undefined }, failures: [f("subnet", "the Docker network subnet must be IPv4")] },
  { what: "gateway not an address", change: { gateway: "9.0.0" }, failures: [f("gateway", "9.0.0 is not a valid IP address")] },
  { what: "gateway outside the subnet", change: { gateway: "10.0.0.1" }, failures: [f("gateway", "gateway 10.0.0.1 is outside subnet 9.0.0.0/16")] },
  { what: "bridge name too long", change: { bridgeName: "d-abcdefghijklmn" }, failures: [f("bridgeName", BRIDGE('"d-abcdefghijklmn"'))] },
  { what: "bridge name with a slash", change: { bridgeName: "d/net" }, failures: [f("bridgeName", BRIDGE('"d/net"'))] },
  { what: "mtu below IPv4's minimum", change: { mtu: 67 }, failures: [f("mtu", MTU("67"))] },
  { what: "mtu too large", change: { mtu: 65536 }, failures: [f("mtu", MTU("65536"))] },
  { what: "mtu fractional", change: { mtu: 1400.5 }, failures: [f("mtu", MTU("1400.5"))] },
  { what: "labels a list", change: { labels: ["a"] }, failures: [f("labels", "labels must be a map of strings")] },
  { what: "label value not a string", change: { labels: { team: 1 } }, failures: [f("labels.team", "label values must be strings")] },
  { what: "ownership label managed-by", change: { labels: { "io.dcos-vnet.managed-by": "me" } },
    failures: [f("labels.io.dcos-vnet.managed-by", OWNED("io.dcos-vnet.managed-by"))] },
  { what: "ownership label project", change: { labels: { "io.dcos-vnet.project": "other" } },
    failures: [f("labels.io.dcos-vnet.project", OWNED("io.dcos-vnet.project"))] },
  { what: "ownership label stack", change: { labels: { "io.dcos-vnet.stack": "prod" } },
    failures: [f("labels.io.dcos-vnet.stack", OWNED("io.dcos-vnet.stack"))] },
];
