// Implementation of the LocalAgents dynamic provider: the agents of a local cluster, each a
// container with its own address on the cluster's host network. Addresses are planned in check,
// from the inputs and the state (agents keep theirs), so a preview shows them.
import * as pulumi from "@pulumi/pulumi";
import { Owner } from "../../core/local/dockerNetworkSpec";
import { HostNetwork, agentContainerName, planAgentAddresses, validateAgentNames, validateHostSubnet } from "../../core/local/agents";
import { stableJson } from "../../core/common/stableJson";
import { Failure } from "../../core/common/failure";
import { providerChanged } from "./diffKeys";
import { isUnknown } from "./unknown";
import { ROUTES_CHAIN, RouteState } from "../../core/local/agentRoutes";

interface Inputs {
  /** Docker network playing the host network. */
  dockerNetwork: string;
  subnet: string;
  agents: string[];
  /** DNS names each agent's address answers to (the host and bridge apps placed on it). */
  aliases: Record<string, string[]>;
  /** The stack's overlays' Docker networks, opened to the host network and back (absent in states of earlier versions). */
  overlays?: string[];
  owner: Owner;
  // ---- computed by check ----
  hostNetwork: HostNetwork;
}

interface Outputs extends Inputs {
  /** As last seen by create, update or read. */
  agentStates: Record<string, "running" | "stopped" | "missing">;
  /** Each overlay's rules in force on the engine (in our chain, jumped to from DOCKER-USER), as last seen. */
  routeStates?: Record<string, RouteState>;
  /** The chain the rules were written to (absent: DOCKER-USER itself, by a release before our chain). */
  routesChain?: string;
}

const backend = () => require("../../backends/docker/localAgents") as typeof import("../../backends/docker/localAgents");
const routes = () => require("../../backends/docker/agentRoutes") as typeof import("../../backends/docker/agentRoutes");
const routesSpec = (s: Inputs) => ({ hostNetwork: s.dockerNetwork, overlays: s.overlays ?? [], owner: s.owner });

export const provider: pulumi.dynamic.ResourceProvider = {
  async check(olds, news) {
    const failures: Failure[] = [];
    const inputs = { ...news } as Inputs;
    if ([news.subnet, news.agents, news.dockerNetwork, news.owner].some(isUnknown)) return { inputs, failures };
    const bad = validateHostSubnet(news.subnet);
    if (bad) return { inputs, failures: [{ property: "subnet", reason: bad }] };
    const names = Array.isArray(news.agents) ? news.agents.filter((a: unknown): a is string => typeof a === "string") : [];
    const badNames = validateAgentNames(names);
    if (badNames.length > 0) return { inputs, failures: badNames };
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
    const drifted =
      Object.values<string>(olds.agentStates ?? {}).some((s) => s !== "running") ||
      Object.values<string>(olds.routeStates ?? {}).some((s) => s === "missing");
    // A state of an earlier version has no overlays: the new input is an update (the rules are added), never a replace.
    // A state written before our chain has its rules in DOCKER-USER: an update moves them (agents kept).
    const changed =
      stableJson(olds.hostNetwork) !== stableJson(news.hostNetwork) ||
      stableJson(olds.aliases ?? {}) !== stableJson(news.aliases ?? {}) ||
      stableJson(olds.overlays ?? []) !== stableJson(news.overlays ?? []) ||
      ((olds.overlays ?? []).length > 0 && olds.routesChain !== ROUTES_CHAIN);
    return { changes: replaces.length > 0 || drifted || changed || providerChanged(olds, news), replaces, deleteBeforeReplace: replaces.length > 0 };
  },

  async create(inputs) {
    const spec = inputs as Inputs;
    try {
      const agentStates = await backend().reconcileAgents(spec, undefined);
      const routeStates = await routes().reconcileRoutes(routesSpec(spec));
      return { id: spec.dockerNetwork, outs: { ...spec, agentStates, routeStates, routesChain: ROUTES_CHAIN } };
    } catch (err) {
      // A failed create leaves no state to destroy from: what it started (agents, rules) goes now.
      await backend().removeAgents(spec).catch(() => undefined);
      await routes().removeRoutes(spec.owner).catch(() => undefined);
      throw err;
    }
  },

  async read(id, props) {
    const old = props as Outputs;
    const routeStates = old.overlays ? { routeStates: await routes().observeRoutes(routesSpec(old)) } : {};
    return { id, props: { ...old, agentStates: await backend().observeAgents(old), ...routeStates } };
  },

  async update(_id, olds, news) {
    const spec = news as Inputs;
    const agentStates = await backend().reconcileAgents(spec, olds as Outputs);
    return { outs: { ...spec, agentStates, routeStates: await routes().reconcileRoutes(routesSpec(spec)), routesChain: ROUTES_CHAIN } };
  },

  async delete(_id, props) {
    await backend().removeAgents(props as Outputs);
    // Every rule of this stack goes (a state written before the overlays input existed never made any).
    if ((props as Outputs).overlays) await routes().removeRoutes((props as Outputs).owner);
  },
};
