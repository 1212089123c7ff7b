// The agents of a local cluster. An agent is: a name (what constraints and placement see), a block
// of each overlay (the VirtualNetwork's agentSubnets), an address of its own on the cluster's
// "host" network, and the engine it runs on (one engine today). On the engine an agent is a
// long-lived container holding a network namespace with that address: host-mode tasks join it
// (Docker's `container:<agent>` network mode), so the apps of one agent compete for its ports as on
// a real agent, and bridge-mode host ports are published in it.
//
// The host network's subnet is cut in two halves: agents take the lowest free addresses of the
// first (after the gateway), keeping theirs while they stay; bridge-mode task containers take
// addresses of the second.
import { Failure } from "../common/failure";
import { Cidr, formatAddress, formatCidr, halves, parseAddress, parseCidr } from "../ip/cidr";
import { findOverlaps } from "../ip/overlap";
import { appDnsNames } from "../marathon/dns";

/** Default subnet of the host network: private, outside Docker's default address pools (172.17–31/16, 192.168/16). */
export const DEFAULT_HOST_SUBNET = "172.16.0.0/24";

/** Image of the agent containers (scripts/agentImage.sh): busybox and iptables. */
export const AGENT_IMAGE = "dcos-vnet-agent:latest";

/** What a task needs of its agent. */
export interface AgentAddress {
  ip: string;
  /** The agent's container: host-mode tasks join its network namespace. */
  container: string;
}

/** What a host- or bridge-mode app needs of the cluster's host network. */
export interface HostNetwork {
  /** The Docker network playing the host network. */
  dockerNetwork: string;
  subnet: string;
  agents: Record<string, AgentAddress>;
}

/** The Docker network of a stack's host network. */
export function hostNetworkName(stack: string): string {
  return `${stack}-host`.replace(/[^a-zA-Z0-9_.-]/g, "-");
}

/** Agent containers are named `<stack>.agent.<agent>` (unique per engine, as task containers are). */
export function agentContainerName(stack: string, agent: string): string {
  return `${stack}.agent.${agent}`.replace(/[^a-zA-Z0-9_.-]/g, "-");
}

/**
 * Longest agent name, in bytes: the name is the agent container's hostname, and Linux keeps at most
 * 64 bytes of it (HOST_NAME_MAX); a longer one fails the container's start ("sethostname: invalid
 * argument"). Not the DNS label's 63: locally the name is never looked up, and a DC/OS agent's
 * hostname may well have several labels.
 */
export const AGENT_NAME_MAX_BYTES = 64;

/**
 * Rules of a local cluster's agent names, each failure on `agents[i]`: a hostname's length, and no
 * two agents sharing a container (`a b` and `a-b` are both `<stack>.agent.a-b`) or a hostname
 * (hostnames are case-insensitive: `Agent-1` is `agent-1`). Takes a list of distinct strings.
 */
export function validateAgentNames(agents: string[]): Failure[] {
  const failures: Failure[] = [];
  const byContainer = new Map<string, number>();
  const byHostname = new Map<string, number>();
  agents.forEach((agent, i) => {
    const property = `agents[${i}]`;
    const bytes = Buffer.byteLength(agent, "utf8");
    if (bytes > AGENT_NAME_MAX_BYTES) {
      failures.push({
        property,
        reason: `agent name ${JSON.stringify(agent)} is ${bytes} bytes; it is the agent container's hostname, and Linux hostnames are at most ${AGENT_NAME_MAX_BYTES} bytes (Docker fails the start with "sethostname: invalid argument")`,
      });
    }
    const container = agentContainerName("", agent);
    const other = byContainer.get(container) ?? byHostname.get(agent.toLowerCase());
    if (other !== undefined) {
      const shared = byContainer.has(container) ? `container <stack>${container}` : "hostname (hostnames are case-insensitive)";
      failures.push({ property, reason: `agents ${JSON.stringify(agent)} and ${JSON.stringify(agents[other])} (agents[${other}]) would share one ${shared}; give one of them another name` });
    }
    if (!byContainer.has(container)) byContainer.set(container, i);
    if (!byHostname.has(agent.toLowerCase())) byHostname.set(agent.toLowerCase(), i);
  });
  return failures;
}

/** The two halves of the host subnet: agents' addresses, then bridge-mode tasks' addresses. */
export function hostHalves(subnet: Cidr): { agents: Cidr; tasks: Cidr } {
  const [agents, tasks] = halves(subnet);
  return { agents, tasks };
}

/** Rules of the host subnet itself: IPv4, with room for agents and tasks (/8 to /28). */
export function validateHostSubnet(subnet: unknown): string | undefined {
  const parsed = parseCidr(subnet);
  if (!parsed.ok) return parsed.reason;
  if (parsed.value.family !== 4) return "the host network subnet must be IPv4";
  if (parsed.value.prefix < 8 || parsed.value.prefix > 28) return `the host network subnet must be /8 to /28, got /${parsed.value.prefix}`;
  if (formatCidr(parsed.value) !== subnet) return `${subnet} is not a network address; did you mean ${formatCidr(parsed.value)}?`;
  return undefined;
}

/**
 * The host subnet against the cluster's other address spaces (overlays, VTEP subnets): DC/OS
 * routes agent addresses and overlay addresses side by side, so none may overlap.
 */
export function hostSubnetOverlaps(subnet: string, others: Array<{ name: string; subnet: string }>, property: string): Failure[] {
  const own = parseCidr(subnet);
  if (!own.ok) return [];
  const named = others.flatMap((o) => {
    const p = parseCidr(o.subnet);
    return p.ok ? [{ name: o.name, cidr: p.value }] : [];
  });
  return findOverlaps([{ name: "\u0000host", cidr: own.value }, ...named])
    .filter(([a, b]) => a.name === "\u0000host" || b.name === "\u0000host")
    .map(([a, b]) => {
      const other = a.name === "\u0000host" ? b : a;
      return { property, reason: `Found overlapping address spaces: the host network ${subnet} overlaps ${other.name} "${formatCidr(other.cidr)}"` };
    });
}

export type AgentAddressPlan = { ok: true; addresses: Record<string, string> } | { ok: false; reason: string };

/**
 * Each agent's address: the one it had (`previous`) while still in the agents' half, else the
 * lowest free one after the gateway. Removing an agent frees its address; others keep theirs.
 */
export function planAgentAddresses(subnet: string, agents: string[], previous: Record<string, string> = {}): AgentAddressPlan {
  const parsed = parseCidr(subnet);
  if (!parsed.ok) return { ok: false, reason: parsed.reason };
  const { agents: half } = hostHalves(parsed.value);
  const first = half.start + 2n; // network address, then the gateway
  const last = half.start + (1n << BigInt(32 - half.prefix)) - 1n;
  const taken = new Set<bigint>();
  const addresses: Record<string, string> = {};
  for (const agent of agents) {
    const old = previous[agent] !== undefined ? parseAddress(previous[agent]) : undefined;
    if (old?.ok && old.value.family === 4 && old.value.value >= first && old.value.value <= last && !taken.has(old.value.value)) {
      taken.add(old.value.value);
      addresses[agent] = previous[agent];
    }
  }
  let next = first;
  for (const agent of agents) {
    if (addresses[agent] !== undefined) continue;
    while (taken.has(next)) next++;
    if (next > last) {
      return { ok: false, reason: `No free agent addresses in the host network's agent half ${formatCidr(half)}: ${agents.length} agents, room for ${Number(last - first + 1n)}` };
    }
    taken.add(next);
    addresses[agent] = formatAddress(4, next);
  }
  return { ok: true, addresses };
}

/**
 * The names under which DC/OS serves a host- or bridge-mode app's agents: Mesos-DNS's
 * `<app>.<group>.marathon.mesos` (the agent IPs of its tasks) and dcos-dns's
 * `<app>-<group>.marathon.agentip.dcos.thisdcos.directory`. Locally they are DNS names of the agents'
 * endpoints on the host network.
 */
export function agentDnsNames(appId: string): string[] {
  const [, mesos, containerIp] = appDnsNames(appId);
  if (!mesos) return [];
  return [mesos, containerIp.replace(".marathon.containerip.", ".marathon.agentip.")];
}
