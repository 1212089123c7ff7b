// A virtual network's allocation on a real DC/OS cluster (target marathon). The overlay master
// owns every agent's block: it hands a registering agent the lowest free block and keeps it across
// its own restarts, so the blocks of a cluster that has lived are not in lowest-free order and no
// code can move one. This module decides, without any I/O, what the state holds:
//   - registered agents: the master's block, verbatim, whether the code declares the agent or not;
//   - declared agents the master has not registered: a prediction (`predicted: true`), the lowest
//     free block in declaration order, as the master will allocate when they register.
// Who feeds it what (see the VirtualNetwork provider): check() the blocks of the previous state,
// create()/update() the master's blocks for the agents the plan predicted, read() the master's all.
import { stableJson } from "../common/stableJson";
import { formatCidr, parseCidr } from "../ip/cidr";
import { AddressPlan, AgentSubnet, AgentSubnets, allocateAgentSubnets } from "../ipam/agentSubnets";

/** The registered (not predicted) part of an allocation. */
export function registeredOf(agentSubnets: AgentSubnets | undefined): AgentSubnets {
  return Object.fromEntries(Object.entries(agentSubnets ?? {}).filter(([, s]) => !s.predicted));
}

/** Agents whose block is a prediction, in the allocation's order. */
export function predictedAgents(agentSubnets: AgentSubnets | undefined): string[] {
  return Object.entries(agentSubnets ?? {}).flatMap(([agent, s]) => (s.predicted ? [agent] : []));
}

/**
 * The registered blocks kept verbatim, plus a predicted block for each declared agent that has
 * none: the lowest block no registered agent holds, taken in declaration order. Throws
 * NoFreeBlocksError (DC/OS's wording) when the subnet has no block left for a prediction.
 */
export function withPredictions(plan: AddressPlan, registered: AgentSubnets, declared: string[]): AgentSubnets {
  const waiting = declared.filter((agent, i) => registered[agent] === undefined && declared.indexOf(agent) === i);
  const held = distinctBlocks(registered);
  const planned = allocateAgentSubnets(plan, [...Object.keys(held), ...waiting], held).agentSubnets;
  const out: AgentSubnets = { ...registered };
  for (const agent of waiting) out[agent] = { ...planned[agent], predicted: true };
  return out;
}

/** The entries whose blocks no earlier entry holds: the pool takes each block once (a master answer, or a stale plan beside it, may name one twice). */
function distinctBlocks(registered: AgentSubnets): AgentSubnets {
  const seen = new Set<string>();
  const out: AgentSubnets = {};
  for (const [agent, s] of Object.entries(registered)) {
    const blocks = [s.block, s.block6].flatMap((b) => {
      const parsed = parseCidr(b);
      return parsed.ok ? [formatCidr(parsed.value)] : [];
    });
    if (blocks.some((b) => seen.has(b))) continue;
    blocks.forEach((b) => seen.add(b));
    out[agent] = s;
  }
  return out;
}

/**
 * The plan of a preview (check): the blocks the state holds for registered agents stay, declared
 * or not (the code cannot free a block the master holds); predictions are made afresh. `previous`
 * is undefined when the state holds no allocation read from the master (a new network, a network
 * whose addressing changed, a state written before the master was read).
 */
export function planOnMaster(plan: AddressPlan, declared: string[], previous: AgentSubnets | undefined): AgentSubnets {
  return withPredictions(plan, registeredOf(previous), declared);
}

/**
 * What create() and update() store: the plan's registered blocks stay as they are (a change of
 * them is drift, and drift is refresh's to report), each predicted agent the master has registered
 * takes the master's block, and the others are predicted again against everything the master holds.
 * Agents the plan does not name are left to refresh: an up changes the state only where the plan
 * said it would. `master` undefined: the cluster serves no overlay master state (no DC/OS overlay).
 */
export function resolvePlan(plan: AddressPlan, planned: AgentSubnets, master: AgentSubnets | undefined): AgentSubnets {
  if (master === undefined) return withPredictions(plan, registeredOf(planned), predictedAgents(planned));
  const registered = registeredOf(planned);
  for (const agent of predictedAgents(planned)) if (master[agent] !== undefined) registered[agent] = master[agent];
  // Blocks of agents outside the plan are held too: a prediction never lands on one of them.
  const held = { ...master, ...registered };
  const resolved = withPredictions(plan, held, predictedAgents(planned));
  return Object.fromEntries(Object.keys(planned).map((agent) => [agent, resolved[agent]]));
}

/** What refresh (read) stores: every block the master holds, and predictions for declared agents it lacks. */
export function allocationFromMaster(plan: AddressPlan, declared: string[], master: AgentSubnets): AgentSubnets {
  return withPredictions(plan, master, declared);
}

/**
 * Whether two allocations differ in what the cluster holds. `olds` is the newer view (the state's
 * outputs at a preview, what the master answered at a refresh), `news` the plan or the older
 * state's inputs. A prediction in `news` compares only by being there: its block is not something
 * an up applies, and the master's block (or a newer prediction) in `olds` supersedes it. Anything
 * else counts: an agent the one has and the other not, a registered block that differs, an agent
 * that was registered and is now only predicted (it left the master).
 */
export function allocationChanged(olds: AgentSubnets | undefined, news: AgentSubnets | undefined): boolean {
  const a = olds ?? {};
  const b = news ?? {};
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length || keys.some((k) => b[k] === undefined)) return true;
  return keys.some((agent) => !b[agent].predicted && stableJson(a[agent]) !== stableJson(b[agent]));
}

/** Registered agents the code does not declare: kept with the master's block, and said. */
export function undeclaredAgents(agentSubnets: AgentSubnets | undefined, declared: string[]): Array<{ agent: string; subnet: AgentSubnet }> {
  const known = new Set(declared);
  return Object.entries(agentSubnets ?? {}).flatMap(([agent, subnet]) => (!subnet.predicted && !known.has(agent) ? [{ agent, subnet }] : []));
}

/**
 * What a preview or an up says of a virtual network on a real cluster, from the state alone:
 * predicted blocks, registered agents the code lacks, agents whose overlay the master reports
 * unhealthy. `agentsKey` names where the agents are declared (a stack's `dcos-vnet:cluster.agents`).
 */
export function masterAllocationWarnings(
  network: string,
  agentSubnets: AgentSubnets | undefined,
  declared: string[],
  unhealthy: Array<{ agent: string; status: string; error?: string }> | undefined,
  agentsKey = "the network's agents",
): string[] {
  const warnings: string[] = [];
  const block = (s: AgentSubnet) => [s.block, s.block6].filter(Boolean).join(" and ");
  const predicted = Object.entries(agentSubnets ?? {}).filter(([, s]) => s.predicted);
  if (predicted.length > 0) {
    warnings.push(
      `${network}: predicted blocks (predicted: true) for agents the overlay master has not registered: ` +
        predicted.map(([agent, s]) => `${agent} ${block(s)}`).join(", ") +
        ". The master gives each agent the lowest free block when it registers, so another agent registering first " +
        "takes it; `pulumi refresh` reads the block the master gave.",
    );
  }
  for (const { agent, subnet } of undeclaredAgents(agentSubnets, declared)) {
    warnings.push(
      `${network}: agent ${agent} holds ${block(subnet)} on the overlay master but is not in ${agentsKey}; ` +
        `it keeps that block whatever the code says (DC/OS gives every registered agent one). Add ${agent} to ${agentsKey}.`,
    );
  }
  for (const u of unhealthy ?? []) {
    warnings.push(`${network}: the overlay master reports agent ${u.agent}'s overlay as ${u.status}${u.error ? `: ${u.error}` : ""}.`);
  }
  return warnings;
}
