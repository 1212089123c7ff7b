// Where an agent's subnet is chosen. Each agent of a virtual network gets one /prefix block of the
// overlay subnet (and one /prefix6 block of subnet6, if set), the lowest free one, exactly as the
// DC/OS overlay master does. Allocations are stable: agents that stay keep their blocks, removed
// agents free theirs, new agents take the lowest free blocks in the order they are listed.
import { Cidr, formatCidr, formatIPv4, halves, parseCidr } from "../ip/cidr";
import { BlockPool } from "./blockPool";

/** One agent's share of a virtual network: its block and the block's two halves. */
export interface AgentSubnet {
  /** The agent's /prefix block, e.g. 9.0.1.0/24. */
  block: string;
  /** First half, the Mesos bridge `m-<name>` (9.0.1.0/25). */
  mesos: string;
  /** Second half, the Docker bridge `d-<name>` (9.0.1.128/25). */
  docker: string;
  block6?: string;
  mesos6?: string;
  docker6?: string;
  /**
   * Target marathon only: the agent has not registered with the overlay master yet, and this is
   * the block it will get if nothing else registers first (the lowest free one, as the master
   * allocates). Absent on a local cluster and for every block read from the master.
   */
  predicted?: true;
}

export type AgentSubnets = Record<string, AgentSubnet>;

/** The parts of a virtual network that allocation depends on (already validated). */
export interface AddressPlan {
  name: string;
  subnet?: string;
  prefix?: number;
  subnet6?: string;
  prefix6?: number;
}

export interface AllocationChange {
  agentSubnets: AgentSubnets;
  /** Agents that got a block in this change. */
  gained: string[];
  /** Agents whose block was freed in this change. */
  lost: string[];
}

export function noFreeSubnetsMessage(name: string): string {
  return `No free subnets available in the ${name} overlay`;
}

/**
 * Allocates blocks for `agents`, keeping the blocks of `previous` for agents that remain.
 * `previous` must come from the same plan (same subnet and prefix); when those change the network
 * is replaced and allocation starts afresh (pass no `previous`).
 * Throws NoFreeBlocksError with DC/OS's message when the subnet has no block left.
 */
export function allocateAgentSubnets(
  plan: AddressPlan,
  agents: string[],
  previous: AgentSubnets = {},
): AllocationChange {
  const families = [
    familyAllocator(plan.name, plan.subnet, plan.prefix, previous, "block"),
    familyAllocator(plan.name, plan.subnet6, plan.prefix6, previous, "block6"),
  ].filter((f): f is FamilyAllocator => f !== undefined);

  const wanted = new Set(agents);
  const lost = Object.keys(previous).filter((agent) => !wanted.has(agent));
  for (const f of families) for (const agent of lost) f.release(agent);

  const agentSubnets: AgentSubnets = {};
  const gained: string[] = [];
  for (const agent of agents) {
    if (agentSubnets[agent]) continue; // listed twice: one block
    const kept = previous[agent] !== undefined;
    if (!kept) gained.push(agent);
    const subnet = {} as AgentSubnet;
    for (const f of families) Object.assign(subnet, f.blockFor(agent));
    agentSubnets[agent] = subnet;
  }
  return { agentSubnets, gained, lost };
}

interface FamilyAllocator {
  release(agent: string): void;
  blockFor(agent: string): Partial<AgentSubnet>;
}

function familyAllocator(
  name: string,
  subnet: string | undefined,
  prefix: number | undefined,
  previous: AgentSubnets,
  key: "block" | "block6",
): FamilyAllocator | undefined {
  if (subnet === undefined || prefix === undefined) return undefined;
  const parsed = parseCidr(subnet);
  if (!parsed.ok) throw new Error(parsed.reason);
  const base = parsed.value;

  // Restore the pool from the blocks already held.
  const held = new Map<string, number>();
  const probe = new BlockPool(base, prefix);
  for (const [agent, s] of Object.entries(previous)) {
    const block = s[key] === undefined ? undefined : parseCidr(s[key]);
    const index = block?.ok && block.value.prefix === prefix ? probe.indexOf(block.value.start) : undefined;
    if (index !== undefined) held.set(agent, index);
  }
  const pool = BlockPool.restore(base, prefix, held.values(), noFreeSubnetsMessage(name));

  const suffix = key === "block" ? "" : "6";
  const blockSize4 = Number(pool.blockSize);
  return {
    release(agent) {
      const index = held.get(agent);
      if (index !== undefined) pool.release(index);
      held.delete(agent);
    },
    blockFor(agent) {
      let index = held.get(agent);
      if (index === undefined) {
        index = pool.allocate();
        held.set(agent, index);
      }
      if (base.family === 4) {
        // IPv4 fits a double: skip bigint and object churn (this runs once per agent).
        const start = Number(base.start) + index * blockSize4;
        const first = formatIPv4(start);
        return { block: `${first}/${prefix}`, mesos: `${first}/${prefix + 1}`, docker: `${formatIPv4(start + blockSize4 / 2)}/${prefix + 1}` };
      }
      const block: Cidr = { family: base.family, start: pool.blockStart(index), prefix };
      const [mesos, docker] = halves(block);
      return {
        [`block${suffix}`]: formatCidr(block),
        [`mesos${suffix}`]: formatCidr(mesos),
        [`docker${suffix}`]: formatCidr(docker),
      };
    },
  };
}

/** Capacity figures of a virtual network's IPv4 (or, failing that, IPv6) plan. */
export interface Capacity {
  /** Blocks the subnet holds (agents it can serve). */
  blocks: number;
  blocksUsed: number;
  blocksFree: number;
  /** Container addresses per half-block (network, broadcast and bridge addresses excluded). */
  containersPerHalf: number;
}

export function capacityOf(plan: AddressPlan, agentCount: number): Capacity | undefined {
  const subnet = plan.subnet ?? plan.subnet6;
  const prefix = plan.subnet !== undefined ? plan.prefix : plan.prefix6;
  if (subnet === undefined || prefix === undefined) return undefined;
  const parsed = parseCidr(subnet);
  if (!parsed.ok) return undefined;
  const bits = parsed.value.family === 4 ? 32 : 128;
  const blocks = 2 ** (prefix - parsed.value.prefix);
  const halfSize = 2 ** (bits - prefix - 1);
  // v4: network, broadcast and bridge address; v6: subnet-router anycast and bridge address.
  const reserved = parsed.value.family === 4 ? 3 : 2;
  return {
    blocks,
    blocksUsed: agentCount,
    blocksFree: blocks - agentCount,
    containersPerHalf: Math.max(0, Math.min(Number.MAX_SAFE_INTEGER, halfSize - reserved)),
  };
}
