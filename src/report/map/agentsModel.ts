// The local cluster's agents as the address-plan picture shows them: the host network's subnet,
// each agent's own address, and the host- and bridge-mode tasks on it with their host ports (and a
// bridge task's own address behind them). From the stack's `hostNetwork` and `marathonApps` outputs.
import { PlanOutputs } from "./planOutputs";

export interface MapAgentTask {
  app: string;
  mode: string;
  ports: number[];
  /** Bridge-mode tasks: their own address, behind the agent's ports. */
  taskIp?: string;
  state: string;
}

export interface MapAgent {
  agent: string;
  ip: string;
  tasks: MapAgentTask[];
}

export interface MapAgents {
  subnet?: string;
  dockerNetwork?: string;
  agents: MapAgent[];
}

/** Networking modes whose tasks run on the agents rather than on a virtual network. */
export const AGENT_MODES = new Set(["host", "bridge"]);

export function buildAgentsModel(outputs: PlanOutputs): MapAgents | undefined {
  const host = outputs.hostNetwork;
  if (!host || typeof host !== "object") return undefined;
  const agents = new Map<string, MapAgent>(
    Object.entries(host.agents ?? {}).map(([agent, a]) => [agent, { agent, ip: String(a?.ip ?? ""), tasks: [] }]),
  );
  for (const [app, def] of Object.entries(outputs.marathonApps ?? {})) {
    if (!AGENT_MODES.has(String(def?.network))) continue;
    for (const inst of Array.isArray(def.instances) ? def.instances : []) {
      const agent = String(inst?.agent ?? "");
      if (!agents.has(agent)) agents.set(agent, { agent, ip: String(inst?.ip ?? ""), tasks: [] });
      agents.get(agent)!.tasks.push({
        app,
        mode: String(def.network),
        ports: Array.isArray(inst.ports) ? inst.ports.filter((p): p is number => typeof p === "number") : [],
        ...(typeof inst.taskIp === "string" ? { taskIp: inst.taskIp } : {}),
        state: String(inst.state ?? "unknown"),
      });
    }
  }
  const list = [...agents.values()].sort((a, b) => compareText(a.agent, b.agent));
  for (const a of list) a.tasks.sort((x, y) => compareText(x.app, y.app) || (x.ports[0] ?? 0) - (y.ports[0] ?? 0));
  return { subnet: host.subnet, dockerNetwork: host.dockerNetwork, agents: list };
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
