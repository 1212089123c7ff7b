// How a host- or bridge-mode app runs on the local cluster: what its check plans (the agent and
// host ports of each instance) and what each task is given (Marathon's port variables, the agent's
// address as HOST). Pure: the Docker backend (backends/docker/hostTasks) runs it.
import { CanonicalApp } from "../marathon/types";
import { Failure } from "../common/failure";
import { HostNetwork } from "./agents";
import { HostSlot, NetworkingMode, TakenPorts, networkingMode, planHostPorts } from "./hostPorts";

/** What a MarathonApp of host or bridge mode carries besides the definition. */
export interface HostModeInputs {
  /** The cluster's agents (known at preview, unlike their addresses). */
  hostAgents: string[];
  /** The host network and each agent's address and container (from LocalAgents). */
  hostNetwork: HostNetwork;
  /** Ports other apps of the cluster hold on each agent (only read by check, not kept). */
  hostPortsTaken: TakenPorts;
  // ---- computed by check ----
  /** Each instance's agent and host ports, in instance order. */
  hostPlan: HostSlot[];
}

/**
 * Plans a host- or bridge-mode app on the agents given. Failures name the field that asks for the
 * port no agent can give (Marathon would leave the deployment waiting for offers; the preview says so).
 */
export function planHostModeApp(
  app: CanonicalApp,
  news: Record<string, any>,
  isUnknown: (v: unknown) => boolean,
): { plan?: Pick<HostModeInputs, "hostAgents" | "hostPlan">; failures: Failure[] } {
  const agents: string[] | undefined = Array.isArray(news.hostAgents)
    ? news.hostAgents
    : news.hostNetwork && !isUnknown(news.hostNetwork) && !isUnknown(news.hostNetwork.agents)
      ? Object.keys(news.hostNetwork.agents)
      : undefined;
  if (agents === undefined || agents.length === 0) {
    return {
      failures: [{
        property: "app.networks",
        reason: `a ${networkingMode(app)}-mode app runs on the local cluster's agents: give hostAgents and hostNetwork (DcosCluster does)`,
      }],
    };
  }
  const taken = isUnknown(news.hostPortsTaken) ? {} : (news.hostPortsTaken ?? {});
  const planned = planHostPorts(app, agents, taken);
  if (!planned.ok) return { failures: [{ property: `app.${planned.property}`, reason: planned.reason }] };
  return { plan: { hostAgents: agents, hostPlan: planned.slots }, failures: [] };
}

/** The port a bridge-mode task listens on for mapping i: containerPort, or the host port when 0. */
export function containerPorts(app: CanonicalApp, slot: HostSlot): number[] {
  return (app.container?.portMappings ?? []).map((m, i) => m.containerPort || slot.ports[i]);
}

/**
 * Marathon's port variables for a host- or bridge-mode task: PORT0…, PORT_<NAME>, PORTS and PORT
 * are the host ports; HOST is the agent's address (a DC/OS agent's hostname is usually its IP, and
 * it is what `$HOST:$PORT0` must reach).
 */
export function hostTaskEnv(app: CanonicalApp, mode: NetworkingMode, slot: HostSlot, agentIp: string): Record<string, string> {
  const env: Record<string, string> = { HOST: agentIp };
  const names = mode === "host" ? app.portDefinitions.map((d) => d.name) : (app.container?.portMappings ?? []).map((m) => m.name);
  slot.ports.forEach((port, i) => {
    env[`PORT${i}`] = String(port);
    const name = names[i];
    if (name) env[`PORT_${name.toUpperCase().replace(/-/g, "_")}`] = String(port);
  });
  if (slot.ports.length > 0) {
    env.PORT = String(slot.ports[0]);
    env.PORTS = slot.ports.join(",");
  }
  return env;
}
