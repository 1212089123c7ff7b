// VirtualNetwork on a real DC/OS cluster (inputs carry the cluster `connection`): the overlay master
// owns the blocks. create/update resolve the plan's predictions against the master, refresh takes
// the master's whole allocation (and writes it into the inputs too, so the next preview plans from
// it), and diff compares what the cluster holds, not the blocks a plan could only predict.
import * as pulumi from "@pulumi/pulumi";
import { REPLACE_ON, UnhealthyAgent, VirtualNetworkInputs, VirtualNetworkOutputs, virtualNetworkOutputs } from "../../core/overlay/virtualNetwork";
import { allocationChanged, allocationFromMaster, resolvePlan } from "../../core/overlay/masterAllocation";
import { masterAgentSubnets, unhealthyAgents } from "../../core/overlay/masterState";
import type { AgentSubnets } from "../../core/ipam/agentSubnets";
import type { MarathonConnection } from "../../core/marathon/connection";
import { readOverlayMasterState } from "../../backends/marathon/overlayMaster";
import { changedKeys, providerChanged } from "./diffKeys";

type Inputs = VirtualNetworkInputs & { connection: MarathonConnection };

/** Inputs besides the allocation whose change is an update (the connection included: refresh reads with the one in the state). */
const UPDATE_ON = ["agents", "enabled", "mtu", "labels", "connection"];

/** The keys of the inputs, to hand refresh's view back as inputs. */
const INPUT_KEYS = ["name", "subnet", "prefix", "subnet6", "prefix6", "enabled", "agents", "mtu", "labels", "agentSubnets", "connection"];

export function onMaster(...props: Array<Record<string, unknown>>): boolean {
  return props.some((p) => p?.connection !== undefined);
}

export const dcosNetwork = {
  diff(olds: Record<string, any>, news: Record<string, any>): pulumi.dynamic.DiffResult {
    const replaces = changedKeys(olds, news, REPLACE_ON);
    const updates = changedKeys(olds, news, UPDATE_ON);
    const allocation = allocationChanged(olds.agentSubnets, news.agentSubnets);
    return { changes: replaces.length + updates.length > 0 || allocation || providerChanged(olds, news), replaces, deleteBeforeReplace: replaces.length > 0 };
  },

  async create(inputs: Inputs): Promise<VirtualNetworkOutputs> {
    return resolved(inputs);
  },

  async update(news: Inputs): Promise<VirtualNetworkOutputs> {
    return resolved(news);
  },

  /** Refresh: the master's allocation of this overlay is the truth, for the outputs and the inputs alike. */
  async read(id: string, props: Record<string, any>): Promise<{ id: string; props: Record<string, unknown>; inputs?: Record<string, unknown> }> {
    const old = props as VirtualNetworkOutputs & Inputs;
    const master = old.enabled === false ? undefined : await masterView(old);
    if (!master) return { id, props };
    const agentSubnets = allocationFromMaster(old, old.agents ?? [], master.subnets);
    const outs = { ...outputsOf({ ...old, agentSubnets }), unhealthyAgents: master.unhealthy };
    return { id, props: outs, inputs: Object.fromEntries(INPUT_KEYS.filter((k) => k in outs).map((k) => [k, (outs as Record<string, unknown>)[k]])) };
  },
};

async function resolved(inputs: Inputs): Promise<VirtualNetworkOutputs> {
  const master = inputs.enabled === false ? undefined : await masterView(inputs);
  const agentSubnets = resolvePlan(inputs, inputs.agentSubnets ?? {}, master?.subnets);
  return { ...outputsOf({ ...inputs, agentSubnets }), unhealthyAgents: master?.unhealthy ?? [] };
}

/** The master's blocks of this overlay and its unhealthy agents; undefined when the cluster serves no overlay master. */
async function masterView(vn: Inputs): Promise<{ subnets: AgentSubnets; unhealthy: UnhealthyAgent[] } | undefined> {
  const answer = await readOverlayMasterState(vn.connection);
  if (!answer.served) return undefined;
  return { subnets: masterAgentSubnets(answer.state, vn.name), unhealthy: unhealthyAgents(answer.state, vn.name) };
}

function outputsOf(vn: Inputs): VirtualNetworkOutputs {
  // Outputs computed before (gateway, capacity) are computed again from the new allocation.
  const { gateway: _g, capacity: _c, unhealthyAgents: _u, ...inputs } = vn as Inputs & VirtualNetworkOutputs;
  return virtualNetworkOutputs(inputs);
}
