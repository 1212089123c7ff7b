// Where a host- or bridge-mode task's health check probes, as Marathon resolves it. Pure: the
// Docker backend (backends/docker/hostHealth.ts) runs the plan as the task's HEALTHCHECK.
//
// Marathon (HealthCheck.scala, effectivePort / effectiveIpAddress):
//  - MESOS_HTTP / MESOS_TCP run on the agent inside the task's network namespace, on localhost;
//    the port is `port`, else the port assignment at `portIndex`: its container port when it has
//    one (bridge), else its host port (host mode: the task shares the agent's namespace).
//  - HTTP / TCP (legacy) are sent by Marathon to the agent's address and the host port at
//    `portIndex` (or `port`). Locally the probe comes from inside the task to agent-ip:hostPort:
//    in host mode that is the task's own namespace; in bridge mode the agent's DNAT (with its
//    masquerade, backends/docker/agents publishPorts) brings it back to the task, as any client's.
//  - COMMAND runs inside the task, whatever the networking.
import { CanonicalApp } from "../marathon/types";
import { HealthPlan, healthPlanFor } from "./healthProbe";
import { HostSlot, NetworkingMode } from "./hostPorts";
import { containerPorts } from "./hostTask";

/** The app's health check as a probe for the task on `slot` of an agent at `agentIp`, or undefined without one. */
export function hostHealthPlanFor(app: CanonicalApp, mode: Exclude<NetworkingMode, "container">, slot: HostSlot, agentIp: string): HealthPlan | undefined {
  const inside = mode === "bridge" ? containerPorts(app, slot) : slot.ports;
  return healthPlanFor(app, (hc, protocol) => {
    const index = hc.portIndex ?? 0;
    const fixed = hc.port !== undefined && hc.port > 0 ? hc.port : undefined;
    if (protocol.startsWith("MESOS_")) return { host: "127.0.0.1", port: fixed ?? inside[index] };
    return { host: agentIp, port: fixed ?? slot.ports[index] };
  });
}
