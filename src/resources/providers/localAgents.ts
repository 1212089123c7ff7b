// Implementation of the LocalAgents dynamic provider: the agents of a local cluster, each a
// container with its own address on the cluster's host network. Addresses are planned in check,
// from the inputs and the state (agents keep theirs), so a preview shows them.
import * as pulumi from "@pulumi/pulumi";
import { Owner } from "../../core/local/dockerNetworkSpec";
import { HostNetwork, agentContainerName, planAgentAddresses, validateHostSubnet } from "../../core/local/agents";
import { stableJson } from "../../core/common/stableJson";
import { Failure } from "../../core/common/failure";
import { providerChanged } from "./diffKeys";
import { isUnknown } from "./unknown";

interface Inputs {
  /** Docker network playing the host network. */
  dockerNetwork: string;
  subnet: string;
  agents: string[];
  /** DNS names each agent's address answers to (the host and bridge apps placed on it). */
  aliases: Record<string, string[]>;
  owner: Owner;
  // ---- computed by check ----
  hostNetwork: HostNetwork;
}

interface Outputs extends Inputs {
  /** As last seen by create, update or read. */
  agentStates: Record<string, "running" | "stopped" | "missing">;
}

const backend = () => require("../../backends/docker/localAgents") as typeof import("../../backends/docker/localAgents");

export const provider: pulumi.dynamic.ResourceProvider = {
  async check(olds, news) {
    const failures: Failure[] = [];
    const inputs = { ...news } as Inputs;
    if ([news.subnet, news.agents, news.dockerNetwork, news.owner].some(isUnknown)) return { inputs, failures };
    const bad = validateHostSubnet(news.subnet);
    if (bad) return { inputs, failures: [{ property: "subnet", reason: bad }] };
    const previous = olds.subnet === news.subnet ? Object.fromEntries(Object.entries<any>(olds.hostNetwork?.agents ?? {}).map(([a, v]) => [a, v.ip])) : {};
    const plan = planAgentAddresses(news.subnet, news.agents ?? [], previous);
    if (!plan.ok) return { inputs, failures: [{ property: "agents", reason: plan.reason }] };
    inputs.aliases = news.aliases ?? {};
    inputs.hostNetwork = {
      dockerNetwork: news.dockerNetwork,
      subnet: news.subnet,
      agents: Object.fromEntries(
        Object.entries(plan.addresses).map(([agent, ip]) => [agent, { ip, container: agentContainerName(news.owner.stack, agent) }]),
      ),
    };
    return { inputs, failures };
  },

  // From the state and the inputs alone. Agents found stopped or missing by read are an update that brings them back.
  async diff(_id, olds, news) {
    const replaces = ["dockerNetwork", "subnet", "owner"].filter((k) => stableJson(olds[k]) !== stableJson(news[k]));
    const drifted = Object.values<string>(olds.agentStates ?? {}).some((s) => s !== "running");
    const changed = stableJson(olds.hostNetwork) !== stableJson(news.hostNetwork) || stableJson(olds.aliases ?? {}) !== stableJson(news.aliases ?? {});
    return { changes: replaces.length > 0 || drifted || changed || providerChanged(olds, news), replaces, deleteBeforeReplace: replaces.length > 0 };
  },

  async create(inputs) {
    const spec = inputs as Inputs;
    const agentStates = await backend().reconcileAgents(spec, undefined);
    return { id: spec.dockerNetwork, outs: { ...spec, agentStates } };
  },

  async read(id, props) {
    const old = props as Outputs;
    return { id, props: { ...old, agentStates: await backend().observeAgents(old) } };
  },

  async update(_id, olds, news) {
    const spec = news as Inputs;
    return { outs: { ...spec, agentStates: await backend().reconcileAgents(spec, olds as Outputs) } };
  },

  async delete(_id, props) {
    await backend().removeAgents(props as Outputs);
  },
};
