// What the address-plan picture shows, worked out from stack outputs before anything is drawn:
// networks by name, each network's agent blocks in address order with the instances that live in
// each half, the free space left, and instances that fit no block. The renderers only lay this out.
import { Cidr, containsAddress, formatAddress, formatCidr, lastAddress, parseAddress, parseCidr, size } from "../../core/ip/cidr";
import { PlanAgentSubnet, PlanCapacity, PlanOutputs, PlanVirtualNetwork } from "./planOutputs";
import { AGENT_MODES, MapAgents, buildAgentsModel } from "./agentsModel";

export type HalfKind = "mesos" | "docker";

export interface MapInstance {
  app: string;
  network: string;
  agent: string;
  ip: string;
  state: string;
  index: number;
}

export interface MapHalf {
  kind: HalfKind;
  cidr: string;
  cidr6?: string;
  instances: MapInstance[];
}

export interface MapBlock {
  agent: string;
  block: string;
  block6?: string;
  /** Where the block sits in the network's subnet, as fractions of it (for the overview bar). */
  offset?: number;
  share?: number;
  mesos: MapHalf;
  docker: MapHalf;
  /** The overlay master has not registered the agent: its block is a prediction (target marathon). */
  predicted?: boolean;
}

/** Free blocks below the highest allocated one: space agents left (or never took), where the next agents go first. */
export interface MapGap {
  /** The gap comes before blocks[before] (blocks.length: after the last block; never in this model). */
  before: number;
  first: string;
  count: number;
}

export interface MapCapacity {
  blocks: number;
  blocksUsed: number;
  blocksFree: number;
  containersPerHalf?: number;
}

export interface MapNetwork {
  name: string;
  subnet?: string;
  /** First and last address of the subnet, the ends of its overview bar. */
  range?: { first: string; last: string };
  dockerNetwork?: string;
  /** Length of each agent block's prefix, e.g. 24. */
  blockPrefix?: number;
  capacity?: MapCapacity;
  blocks: MapBlock[];
  /** The block the next agent would get (DC/OS gives the lowest free one). */
  nextFreeBlock?: string;
  /** Free runs between allocated blocks, in address order. */
  gaps: MapGap[];
  /** Instances on this network whose agent holds no block of it (e.g. an agent just removed). */
  outsideBlocks: MapInstance[];
}

export interface PlanModel {
  networks: MapNetwork[];
  /** App ids that have instances, sorted: the legend's order and the key of each app's colour. */
  apps: string[];
  /** Instances of apps on networks this stack does not declare (nothing to draw them in). */
  onUnknownNetworks: MapInstance[];
  /** The agents' host network with the host- and bridge-mode tasks on each agent. */
  agents?: MapAgents;
}

export function buildPlanModel(outputs: PlanOutputs): PlanModel {
  const byNetwork = instancesByNetwork(outputs);
  const networkEntries = Object.entries(objectOr(outputs.virtualNetworks));
  // An address plan reads in address order: networks by subnet (IPv4 first), then by name.
  const networks = networkEntries
    .map(([name, net]) => buildNetwork(name, objectOr(net), byNetwork.get(name) ?? []))
    .sort(compareNetworks);
  const declared = new Set(networkEntries.map(([name]) => name));
  const onUnknownNetworks = [...byNetwork.entries()]
    .filter(([name]) => !declared.has(name) && !AGENT_MODES.has(name))
    .flatMap(([, list]) => list);
  const apps = [...new Set([...byNetwork.values()].flatMap((list) => list.map((i) => i.app)))].sort(compareText);
  const agents = buildAgentsModel(outputs);
  return { networks, apps, onUnknownNetworks, ...(agents ? { agents } : {}) };
}

function buildNetwork(name: string, net: PlanVirtualNetwork, instances: MapInstance[]): MapNetwork {
  // An IPv6-only overlay (DC/OS's subnet6/prefix6) has its blocks in subnet6: draw it to that scale.
  const subnet = parsedOrUndefined(net.subnet ?? net.subnet6);
  const blocks = Object.entries(objectOr(net.agentSubnets))
    .map(([agent, s]) => buildBlock(agent, objectOr(s), subnet))
    .filter((b): b is MapBlock & { start: bigint } => b !== undefined)
    .sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : compareText(a.agent, b.agent)));

  const outsideBlocks: MapInstance[] = [];
  const byAgent = new Map(blocks.map((b) => [b.agent, b]));
  for (const inst of instances) {
    const block = byAgent.get(inst.agent);
    if (!block) outsideBlocks.push(inst);
    else halfOf(block, inst).instances.push(inst);
  }
  for (const b of blocks) for (const half of [b.mesos, b.docker]) half.instances.sort(compareInstances);

  const blockPrefix = blocks.length > 0 ? parsedOrUndefined(blocks[0].block)?.prefix : undefined;
  return {
    name,
    subnet: net.subnet ?? net.subnet6,
    range: subnet && { first: formatAddress(subnet.family, subnet.start), last: formatAddress(subnet.family, lastAddress(subnet)) },
    dockerNetwork: net.dockerNetwork,
    blockPrefix,
    capacity: capacityOf(net.capacity, subnet, blockPrefix, blocks.length),
    blocks: blocks.map(({ start: _start, ...b }) => b),
    nextFreeBlock: subnet && blockPrefix !== undefined ? lowestFreeBlock(subnet, blockPrefix, blocks.map((b) => b.start)) : undefined,
    gaps: subnet && blockPrefix !== undefined ? gapsBetween(subnet, blockPrefix, blocks) : [],
    outsideBlocks: outsideBlocks.sort(compareInstances),
  };
}

function buildBlock(agent: string, s: PlanAgentSubnet, subnet: Cidr | undefined): (MapBlock & { start: bigint }) | undefined {
  // An IPv6-only network carries only the *6 fields: draw those as the block.
  const block = s.block ?? s.block6;
  const parsed = parsedOrUndefined(block);
  if (block === undefined || !parsed) return undefined;
  const v4 = s.block !== undefined;
  const whole = subnet && subnet.family === parsed.family ? size(subnet) : undefined;
  return {
    agent,
    block,
    block6: v4 ? s.block6 : undefined,
    start: parsed.start,
    offset: whole && subnet ? ratio(parsed.start - subnet.start, whole) : undefined,
    share: whole ? ratio(size(parsed), whole) : undefined,
    mesos: { kind: "mesos", cidr: (v4 ? s.mesos : s.mesos6) ?? "", cidr6: v4 ? s.mesos6 : undefined, instances: [] },
    docker: { kind: "docker", cidr: (v4 ? s.docker : s.docker6) ?? "", cidr6: v4 ? s.docker6 : undefined, instances: [] },
    ...(s.predicted === true ? { predicted: true } : {}),
  };
}

/** The instance's half as the app recorded it, else the half its address falls in. */
function halfOf(block: MapBlock, inst: MapInstance): MapHalf {
  const address = parseAddress(inst.ip);
  if (address.ok) {
    for (const half of [block.mesos, block.docker]) {
      const cidr = parsedOrUndefined(half.cidr);
      if (cidr && containsAddress(cidr, address.value.family, address.value.value)) return half;
    }
  }
  return block.docker;
}

function instancesByNetwork(outputs: PlanOutputs): Map<string, MapInstance[]> {
  const result = new Map<string, MapInstance[]>();
  for (const [app, def] of Object.entries(objectOr(outputs.marathonApps))) {
    const network = objectOr(def).network;
    if (typeof network !== "string") continue;
    const instances = Array.isArray(def.instances) ? def.instances : [];
    const list = result.get(network) ?? [];
    instances.forEach((inst, i) => {
      const recorded = objectOr(inst);
      list.push({
        app,
        network,
        agent: String(recorded.agent ?? ""),
        ip: String(recorded.ip ?? ""),
        state: String(recorded.state ?? "unknown"),
        index: typeof recorded.index === "number" ? recorded.index : i,
      });
    });
    result.set(network, list);
  }
  return result;
}

/** The outputs' capacity when present; otherwise what the subnet and the block length imply. */
function capacityOf(
  recorded: PlanCapacity | undefined,
  subnet: Cidr | undefined,
  blockPrefix: number | undefined,
  used: number,
): MapCapacity | undefined {
  const c = objectOr(recorded);
  if (typeof c.blocks === "number") {
    const blocksUsed = typeof c.blocksUsed === "number" ? c.blocksUsed : used;
    return {
      blocks: c.blocks,
      blocksUsed,
      blocksFree: typeof c.blocksFree === "number" ? c.blocksFree : c.blocks - blocksUsed,
      containersPerHalf: c.containersPerHalf,
    };
  }
  if (!subnet || blockPrefix === undefined || blockPrefix - subnet.prefix > 52) return undefined;
  const blocks = 2 ** (blockPrefix - subnet.prefix);
  return { blocks, blocksUsed: used, blocksFree: blocks - used };
}

/** Lowest block of the subnet no agent holds: the one DC/OS would hand the next agent. O(used). */
function lowestFreeBlock(subnet: Cidr, prefix: number, used: bigint[]): string | undefined {
  if (prefix < subnet.prefix) return undefined;
  const taken = new Set(used);
  const step = size({ family: subnet.family, start: 0n, prefix });
  const end = subnet.start + size(subnet);
  for (let start = subnet.start; start < end; start += step) {
    if (!taken.has(start)) return formatCidr({ family: subnet.family, start, prefix });
  }
  return undefined;
}

/** Runs of free blocks before each allocated block (blocks sorted by start, all of one prefix). */
function gapsBetween(subnet: Cidr, prefix: number, blocks: Array<{ start: bigint; block: string }>): MapGap[] {
  if (prefix < subnet.prefix) return [];
  const step = size({ family: subnet.family, start: 0n, prefix });
  const gaps: MapGap[] = [];
  let expected = subnet.start;
  blocks.forEach((b, i) => {
    const parsed = parsedOrUndefined(b.block);
    if (!parsed || parsed.prefix !== prefix || b.start < expected) return; // another size, or a duplicate
    if (b.start > expected) gaps.push({ before: i, first: formatCidr({ family: subnet.family, start: expected, prefix }), count: Number((b.start - expected) / step) });
    expected = b.start + step;
  });
  return gaps;
}

function ratio(part: bigint, whole: bigint): number {
  // Parts per billion keep the arithmetic in bigint until the end, exact enough for drawing.
  return Number((part * 1_000_000_000n) / whole) / 1e9;
}

function compareNetworks(a: MapNetwork, b: MapNetwork): number {
  const x = parsedOrUndefined(a.subnet);
  const y = parsedOrUndefined(b.subnet);
  if (x && y && (x.family !== y.family || x.start !== y.start)) return x.family - y.family || (x.start < y.start ? -1 : 1);
  if (x && !y) return -1;
  if (y && !x) return 1;
  return compareText(a.name, b.name);
}

function compareInstances(a: MapInstance, b: MapInstance): number {
  const x = parseAddress(a.ip);
  const y = parseAddress(b.ip);
  if (x.ok && y.ok && x.value.value !== y.value.value) return x.value.value < y.value.value ? -1 : 1;
  return compareText(a.app, b.app) || a.index - b.index;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function parsedOrUndefined(text: unknown): Cidr | undefined {
  const parsed = parseCidr(text);
  return parsed.ok ? parsed.value : undefined;
}

/** Outputs come from JSON: a secret shows as the string "[secret]", a missing map as null. */
function objectOr<T extends object>(value: T | undefined | null): T {
  return (value !== null && typeof value === "object" ? value : {}) as T;
}
