// The LocalAgents resource on the engine: brings the agent containers to what the state plans
// (each on its address, with its DNS names), and removes agents that left the cluster.
import { HostNetwork } from "../../core/local/agents";
import { Owner } from "../../core/local/dockerNetworkSpec";
import { stableJson } from "../../core/common/stableJson";
import { docker, engineCall } from "./client";
import { inspectContainer, removeContainer, restartContainer } from "./containers";
import { releasingEndpoints } from "./endpointRelease";
import { AgentRef, inspectAgent, isAgentContainer, startAgent } from "./agents";

export interface AgentsSpec {
  hostNetwork: HostNetwork;
  aliases: Record<string, string[]>;
  owner: Owner;
}

type AgentState = "running" | "stopped" | "missing";

export async function reconcileAgents(spec: AgentsSpec, old: AgentsSpec | undefined): Promise<Record<string, AgentState>> {
  const { dockerNetwork } = spec.hostNetwork;
  for (const [agent, was] of Object.entries(old?.hostNetwork?.agents ?? {})) {
    if (!(agent in spec.hostNetwork.agents)) await removeAgent({ agent, container: was.container, owner: spec.owner });
  }
  const states: Record<string, AgentState> = {};
  await Promise.all(
    Object.entries(spec.hostNetwork.agents).map(async ([agent, { ip, container }]) => {
      const aliases = spec.aliases[agent] ?? [];
      // A container by the agent's name that is not this stack's agent is refused, and left as it is.
      const seen = await inspectAgent({ agent, container, owner: spec.owner });
      if (seen && seen.addresses[dockerNetwork] === ip) {
        if (!seen.running) await restartContainer(seen.id, dockerNetwork, ip);
        if (stableJson(old?.aliases?.[agent] ?? []) !== stableJson(aliases)) await setAliases(seen.id, dockerNetwork, ip, aliases);
      } else {
        if (seen) await removeContainer(seen.id, spec.owner, seen);
        await startAgent({ agent, container, ip, network: dockerNetwork, aliases }, spec.owner);
      }
      states[agent] = "running";
    }),
  );
  return states;
}

/**
 * Docker sets an endpoint's DNS names when it connects: the agent is reconnected on the same
 * address with the new names (its tasks keep their sockets; the link is down for that moment).
 */
async function setAliases(container: string, network: string, ip: string, aliases: string[]): Promise<void> {
  const net = docker().getNetwork(network);
  await releasingEndpoints([network], () => engineCall(`disconnect ${container} from ${network}`, () => net.disconnect({ Container: container, Force: true })));
  await engineCall(`connect ${container} to ${network}`, () =>
    net.connect({ Container: container, EndpointConfig: { IPAMConfig: { IPv4Address: ip }, Aliases: aliases } }),
  );
}

/** Each agent as the engine has it; a container by its name that is not this stack's agent is no agent (missing). */
export async function observeAgents(spec: AgentsSpec): Promise<Record<string, AgentState>> {
  const states: Record<string, AgentState> = {};
  for (const [agent, { ip, container }] of Object.entries(spec.hostNetwork?.agents ?? {})) {
    const seen = await inspectContainer(container);
    const ours = seen && isAgentContainer(seen, { agent, container, owner: spec.owner });
    states[agent] = !ours || seen.addresses[spec.hostNetwork.dockerNetwork] !== ip ? "missing" : seen.running ? "running" : "stopped";
  }
  return states;
}

export async function removeAgents(spec: AgentsSpec): Promise<void> {
  await Promise.all(Object.entries(spec.hostNetwork?.agents ?? {}).map(([agent, a]) => removeAgent({ agent, container: a.container, owner: spec.owner })));
}

/** Removes the agent's container (already gone is fine); a container by its name that is not this agent is refused. */
async function removeAgent(ref: AgentRef): Promise<void> {
  const seen = await inspectAgent(ref);
  if (seen) await removeContainer(seen.id, ref.owner, seen);
}
