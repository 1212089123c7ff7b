// Bad network configurations (the stack's `dcos-vnet:networks`), each with every failure expected:
// the config key and field, and the reason in DC/OS's wording where DC/OS has one (REFERENCE.md).
// The unit tests check each one against parseStackConfig (what the stack program calls) and, for a
// rule about one network alone, against checkVirtualNetwork (what VirtualNetwork's check calls);
// the smoke test feeds a few to a real `pulumi preview`.
import { Failure } from "../../src/core/common/failure";

export interface BadNetworkCase {
  what: string;
  /** The value of `dcos-vnet:networks` (undefined: the key is absent). */
  networks: unknown;
  /** Every failure parseStackConfig must report, in order. */
  failures: Failure[];
  /**
   * The rule is about `networks[0]` alone, so a VirtualNetwork declared with that network refuses
   * it too, with the same failures relative to the network (`name`, not `dcos-vnet:networks[0].name`).
   */
  ownRule?: true;
}

const ok = { name: "dcos-1", subnet: "9.0.0.0/16", prefix: 24 };
/** Dual stack, so an IPv6 rule is tested alone (a v6-only network is refused on the local cluster). */
const ok6 = { ...ok, subnet6: "fd01:b::/64", prefix6: 80 };
const at = (index: number, field?: string) => `dcos-vnet:networks[${index}]${field === undefined ? "" : `.${field}`}`;
const fail = (property: string, reason: string): Failure => ({ property, reason });
const NO_OVERLAY = "Could not find any overlay configuration. Specify at least one overlay";
const NOT_DNS_LABEL = (name: string) =>
  `Overlay name ${name} must be a DNS label (lowercase letters, digits and inner '-'), as Docker network and Marathon names need`;
const NEEDS_V4 = "a network on the local Docker cluster needs an IPv4 subnet (Docker networks are IPv4 first)";
const MTU = (got: string) => `mtu must be an integer from 552 (DC/OS's smallest vtep_mtu) to 65535, got ${got}`;

export const BAD_NETWORKS: BadNetworkCase[] = [
  // The set as a whole (DC/OS master: at least one overlay).
  { what: "no networks key", networks: undefined, failures: [fail("dcos-vnet:networks", NO_OVERLAY)] },
  { what: "empty list", networks: [], failures: [fail("dcos-vnet:networks", NO_OVERLAY)] },
  { what: "not a list", networks: { name: "x" }, failures: [fail("dcos-vnet:networks", 'overlays must be a list, got {"name":"x"}')] },
  { what: "entry not an object", networks: ["dcos"], failures: [fail(at(0), 'an overlay must be an object with name, subnet and prefix: "dcos"')] },

  // name (DC/OS installer and master).
  { what: "missing name", networks: [{ subnet: "9.0.0.0/8", prefix: 24 }], ownRule: true,
    failures: [fail(at(0, "name"), 'Missing "name" in overlay configuration: {"subnet":"9.0.0.0/8","prefix":24}')] },
  { what: "empty name", networks: [{ ...ok, name: "" }], ownRule: true,
    failures: [fail(at(0, "name"), 'Missing "name" in overlay configuration: {"name":"","subnet":"9.0.0.0/16","prefix":24}')] },
  { what: "name too long", networks: [{ ...ok, name: "abcdefghijklmn" }], ownRule: true,
    failures: [fail(at(0, "name"), "Overlay name cannot exceed 13 characters: abcdefghijklmn")] },
  { what: "reserved host", networks: [{ ...ok, name: "host" }], ownRule: true,
    failures: [fail(at(0, "name"), "Overlay network name: host is a reserved network name")] },
  { what: "reserved bridge", networks: [{ ...ok, name: "bridge" }], ownRule: true,
    failures: [fail(at(0, "name"), "Overlay network name: bridge is a reserved network name")] },
  { what: "reserved default", networks: [{ ...ok, name: "default" }], ownRule: true,
    failures: [fail(at(0, "name"), "Overlay network name: default is a reserved network name")] },
  { what: "reserved none", networks: [{ ...ok, name: "none" }], ownRule: true,
    failures: [fail(at(0, "name"), "Overlay network name: none is a reserved network name")] },
  { what: "uppercase name", networks: [{ ...ok, name: "Dev" }], ownRule: true, failures: [fail(at(0, "name"), NOT_DNS_LABEL("Dev"))] },
  { what: "underscore name", networks: [{ ...ok, name: "dev_1" }], ownRule: true, failures: [fail(at(0, "name"), NOT_DNS_LABEL("dev_1"))] },
  { what: "name ends with dash", networks: [{ ...ok, name: "dev-" }], ownRule: true, failures: [fail(at(0, "name"), NOT_DNS_LABEL("dev-"))] },
  { what: "name not a string", networks: [{ ...ok, name: 7 }], ownRule: true, failures: [fail(at(0, "name"), "name must be a string: 7")] },
  // YAML can say `name: {toString: {}}`: a value that String() cannot convert must not crash the checks.
  { what: "name an object with a toString key", networks: [{ ...ok, name: { toString: {} } }], ownRule: true,
    failures: [fail(at(0, "name"), 'name must be a string: {"toString":{}}')] },

  // subnet / subnet6 (installer: family; ours: CIDR form, host bits).
  { what: "no subnet at all", networks: [{ name: "a", prefix: 24 }], ownRule: true,
    failures: [
      fail(at(0, "subnet"), 'Missing "subnet" or "subnet6" in overlay configuration: {"name":"a","prefix":24}'),
      fail(at(0, "prefix"), "prefix is set but subnet is not"),
    ] },
  { what: "v6 in subnet", networks: [{ ...ok, subnet: "fd01:b::/64" }], ownRule: true,
    failures: [fail(at(0, "subnet"), "Incorrect value for `subnet`: `fd01:b::/64`. Only IPv4 subnets are allowed")] },
  { what: "v4 in subnet6", networks: [{ ...ok, subnet6: "9.1.0.0/16", prefix6: 24 }], ownRule: true,
    failures: [fail(at(0, "subnet6"), "Incorrect value for `subnet6`: `9.1.0.0/16`. Only IPv6 subnets are allowed")] },
  { what: "host bits set", networks: [{ ...ok, subnet: "9.0.1.7/16" }], ownRule: true,
    failures: [fail(at(0, "subnet"), "9.0.1.7/16 has host bits set; did you mean 9.0.0.0/16?")] },
  { what: "host bits v6", networks: [{ ...ok6, subnet6: "fd01:b::1/64" }], ownRule: true,
    failures: [fail(at(0, "subnet6"), "fd01:b::1/64 has host bits set; did you mean fd01:b::/64?")] },
  { what: "malformed cidr", networks: [{ ...ok, subnet: "9.0.0/16" }], ownRule: true,
    failures: [fail(at(0, "subnet"), "9.0.0/16 is not a valid IPv4 CIDR network")] },
  { what: "octet out of range", networks: [{ ...ok, subnet: "9.300.0.0/16" }], ownRule: true,
    failures: [fail(at(0, "subnet"), "9.300.0.0/16 is not a valid IPv4 CIDR network")] },
  { what: "bare address", networks: [{ ...ok, subnet: "9.0.0.0" }], ownRule: true,
    failures: [fail(at(0, "subnet"), '"9.0.0.0" is not a CIDR network (expected e.g. 9.0.0.0/8)')] },
  { what: "subnet prefix > 32", networks: [{ ...ok, subnet: "9.0.0.0/33" }], ownRule: true,
    failures: [fail(at(0, "subnet"), "9.0.0.0/33 has an invalid prefix length (0-32 for IPv4)")] },
  { what: "subnet not a string", networks: [{ ...ok, subnet: 9 }], ownRule: true,
    failures: [fail(at(0, "subnet"), "9 is not a CIDR network (expected e.g. 9.0.0.0/8)")] },

  // prefix / prefix6 (DC/OS checks none of these: an unset prefix reads as 0 there).
  { what: "missing prefix", networks: [{ name: "a", subnet: "9.0.0.0/8" }], ownRule: true,
    failures: [fail(at(0, "prefix"), 'Missing "prefix" for subnet 9.0.0.0/8: DC/OS would read it as 0 and cut no blocks')] },
  { what: "missing prefix6", networks: [{ ...ok, subnet6: "fd01:b::/64" }], ownRule: true,
    failures: [fail(at(0, "prefix6"), 'Missing "prefix6" for subnet6 fd01:b::/64: DC/OS would read it as 0 and cut no blocks')] },
  { what: "prefix not longer", networks: [{ ...ok, prefix: 16 }], ownRule: true,
    failures: [fail(at(0, "prefix"), "prefix /16 must be longer than the subnet's /16, or no agent block can be cut from 9.0.0.0/16")] },
  { what: "prefix shorter", networks: [{ ...ok, prefix: 8 }], ownRule: true,
    failures: [fail(at(0, "prefix"), "prefix /8 must be longer than the subnet's /16, or no agent block can be cut from 9.0.0.0/16")] },
  { what: "prefix leaves no containers", networks: [{ ...ok, prefix: 31 }], ownRule: true,
    failures: [fail(at(0, "prefix"), "prefix /31 leaves no container address in a half-block (at most /29 for IPv4)")] },
  { what: "prefix6 leaves no containers", networks: [{ ...ok6, prefix6: 126 }], ownRule: true,
    failures: [fail(at(0, "prefix6"), "prefix6 /126 leaves no container address in a half-block (at most /125 for IPv6)")] },
  { what: "prefix not integer", networks: [{ ...ok, prefix: "24" }], ownRule: true,
    failures: [fail(at(0, "prefix"), 'prefix must be an integer prefix length, got "24"')] },
  { what: "prefix fractional", networks: [{ ...ok, prefix: 24.5 }], ownRule: true,
    failures: [fail(at(0, "prefix"), "prefix must be an integer prefix length, got 24.5")] },
  { what: "too many v6 blocks", networks: [{ ...ok, subnet6: "fc00::/8", prefix6: 80 }], ownRule: true,
    failures: [fail(at(0, "prefix6"), "prefix6 /80 cuts fc00::/8 into 2^72 agent blocks; at most 2^32 are supported")] },
  { what: "prefix6 without subnet6", networks: [{ ...ok, prefix6: 80 }], ownRule: true,
    failures: [fail(at(0, "prefix6"), "prefix6 is set but subnet6 is not")] },

  // enabled (installer), agents, mtu, labels (this project's extras).
  { what: "enabled not boolean", networks: [{ ...ok, enabled: "yes" }], ownRule: true,
    failures: [fail(at(0, "enabled"), 'enabled must be true/false, got "yes"')] },
  { what: "agents not a list", networks: [{ ...ok, agents: "a1" }], ownRule: true,
    failures: [fail(at(0, "agents"), "agents must be a list of agent ids")] },
  { what: "agent listed twice", networks: [{ ...ok, agents: ["a1", "a2", "a1"] }], ownRule: true,
    failures: [fail(at(0, "agents[2]"), "agent a1 is listed twice")] },
  { what: "empty agent id", networks: [{ ...ok, agents: [""] }], ownRule: true,
    failures: [fail(at(0, "agents[0]"), 'agent id must be a non-empty string, got ""')] },
  { what: "agent id not a string", networks: [{ ...ok, agents: ["a1", 2] }], ownRule: true,
    failures: [fail(at(0, "agents[1]"), "agent id must be a non-empty string, got 2")] },
  { what: "mtu too small", networks: [{ ...ok, mtu: 500 }], ownRule: true, failures: [fail(at(0, "mtu"), MTU("500"))] },
  { what: "mtu too large", networks: [{ ...ok, mtu: 65536 }], ownRule: true, failures: [fail(at(0, "mtu"), MTU("65536"))] },
  { what: "mtu fractional", networks: [{ ...ok, mtu: 1400.5 }], ownRule: true, failures: [fail(at(0, "mtu"), MTU("1400.5"))] },
  { what: "mtu as text", networks: [{ ...ok, mtu: "1420" }], ownRule: true, failures: [fail(at(0, "mtu"), MTU('"1420"'))] },
  { what: "labels not strings", networks: [{ ...ok, labels: { team: 1 } }], ownRule: true,
    failures: [fail(at(0, "labels"), "labels must be a map of strings")] },
  { what: "labels a list", networks: [{ ...ok, labels: ["team=a"] }], ownRule: true,
    failures: [fail(at(0, "labels"), "labels must be a map of strings")] },

  // Fields only a stack has.
  { what: "external not boolean", networks: [{ ...ok, external: "yes" }], failures: [fail(at(0, "external"), "external must be true/false")] },
  { what: "unknown field", networks: [{ ...ok, prefx: 24 }],
    failures: [fail(at(0, "prefx"), "unknown field prefx (known: name, subnet, prefix, subnet6, prefix6, enabled, agents, mtu, labels, external)")] },
  { what: "v6-only on local cluster", networks: [{ name: "a", subnet6: "fd01:b::/64", prefix6: 80 }], failures: [fail(at(0, "subnet"), NEEDS_V4)] },

  // Across networks (DC/OS master: duplicates, overlapping address spaces, v4 and v6 alike).
  { what: "duplicate name", networks: [ok, { ...ok, subnet: "9.1.0.0/16" }],
    failures: [fail(at(1, "name"), "Duplicate overlay configuration detected for overlay: dcos-1")] },
  { what: "overlap v4", networks: [ok, { name: "b", subnet: "9.0.128.0/17", prefix: 24 }],
    failures: [fail(at(1, "subnet"), `Incorrect address space for the overlay network 'b': Found overlapping address spaces ("9.0.128.0/17" overlaps 'dcos-1' "9.0.0.0/16")`)] },
  { what: "overlap v6", networks: [ok6, { name: "b", subnet: "9.1.0.0/16", prefix: 24, subnet6: "fd01:b::/80", prefix6: 96 }],
    failures: [fail(at(1, "subnet6"), `Incorrect address space for the overlay network 'b': Found overlapping address spaces ("fd01:b::/80" overlaps 'dcos-1' "fd01:b::/64")`)] },
  { what: "identical subnets", networks: [ok, { ...ok, name: "c" }],
    failures: [fail(at(1, "subnet"), `Incorrect address space for the overlay network 'c': Found overlapping address spaces ("9.0.0.0/16" overlaps 'dcos-1' "9.0.0.0/16")`)] },
  { what: "a later network inside an earlier one", networks: [{ name: "wide", subnet: "9.0.0.0/8", prefix: 24 }, ok],
    failures: [fail(at(1, "subnet"), `Incorrect address space for the overlay network 'dcos-1': Found overlapping address spaces ("9.0.0.0/16" overlaps 'wide' "9.0.0.0/8")`)] },
];

export function networkCase(what: string): BadNetworkCase {
  const found = BAD_NETWORKS.find((c) => c.what === what);
  if (!found) throw new Error(`no bad network case named ${JSON.stringify(what)}`);
  return found;
}

/**
 * Networks the stack config accepts but VirtualNetwork's check refuses: only the check plans the
 * agents' blocks, so only it sees a subnet with fewer blocks than agents (DC/OS's exhaustion wording).
 * `network` is the resource's inputs; `failures` are its check's, relative to the network.
 */
export const EXHAUSTED_NETWORKS: Array<{ what: string; network: Record<string, unknown>; failures: Failure[] }> = [
  { what: "three agents, two blocks", network: { name: "small", subnet: "9.0.0.0/23", prefix: 24, agents: ["a1", "a2", "a3"] },
    failures: [fail("agents", "No free subnets available in the small overlay: 3 agents need a block, the subnet holds 2")] },
  { what: "a /24 cut into /25 blocks, for three agents", network: { name: "tiny", subnet: "9.0.0.0/24", prefix: 25, agents: ["a1", "a2", "a3"] },
    failures: [fail("agents", "No free subnets available in the tiny overlay: 3 agents need a block, the subnet holds 2")] },
  // Dual stack: the IPv6 subnet runs out first, and the message must say so with its numbers.
  { what: "IPv6 blocks run out before IPv4 ones", network: { name: "dual", subnet: "9.0.0.0/16", prefix: 24, subnet6: "fd01:b::/124", prefix6: 125, agents: ["a1", "a2", "a3"] },
    failures: [fail("agents", "No free subnets available in the dual overlay: 3 agents need a block, the subnet6 holds 2")] },
];
