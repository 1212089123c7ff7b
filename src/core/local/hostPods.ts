// Pods whose endpoints are host ports on their agents, on the local cluster:
// - host-mode pods (pod `networks: [{mode: host}]`, or none: Marathon's default). Each instance
//   runs on an agent, as a host-mode app's task does: its holder and its containers are in the
//   agent's network namespace, so every endpoint listens on the agent's address at its host port
//   (Marathon requires a hostPort on every endpoint of a host-mode pod);
// - container-network pods with endpoint `hostPort`s ("published" pods): each instance keeps its
//   own address on each of its networks, and its holder also has one on the host network's task
//   half, to which the agent forwards agent-ip:hostPort (as for a bridge-mode task).
// Either way the host ports are planned with the cluster's other host ports (core/local/hostPorts)
// by seeing the pod as a host-mode app whose port definitions are its endpoints with a hostPort,
// in container order: `hostPort: 0` is assigned from the agent's range, any other is fixed.
import { PodDefinition, PodEndpoint } from "../marathon/podTypes";
import { HostSlot } from "./hostPorts";

/** Marathon's default network for a pod is one host network. */
export function isHostModePod(pod: PodDefinition): boolean {
  const nets = pod.networks ?? [];
  return nets.length === 0 || nets.some((n) => n.mode === "host");
}

/** Every endpoint of the pod that asks for a host port, with where it is declared, in container order. */
export function podEndpoints(pod: PodDefinition): Array<{ endpoint: PodEndpoint; path: string }> {
  return pod.containers.flatMap((c, i) =>
    (c.endpoints ?? []).flatMap((endpoint, j) => (endpoint.hostPort !== undefined ? [{ endpoint, path: `containers[${i}].endpoints[${j}]` }] : [])),
  );
}

/** A container-network pod with endpoint hostPorts, published at its agents' addresses. */
export function isPublishedPod(pod: PodDefinition): boolean {
  return !isHostModePod(pod) && podEndpoints(pod).length > 0;
}

/**
 * The port part of a pod seen as a host-mode app: one port definition per endpoint with a hostPort
 * (0 = assigned), with `requirePorts` so a fixed one is the host port itself.
 */
export function hostPodPorts(pod: PodDefinition): { portDefinitions: Array<{ port: number; name: string; protocol: string }>; requirePorts: boolean } {
  const endpoints = podEndpoints(pod).map((e) => e.endpoint);
  return {
    portDefinitions: endpoints.map((ep) => ({ port: ep.hostPort ?? 0, name: ep.name, protocol: portProtocol(ep.protocol) })),
    requirePorts: endpoints.some((ep) => (ep.hostPort ?? 0) !== 0),
  };
}

/** An endpoint's protocols as a port definition's (Marathon's spelling of both is "udp,tcp"). */
function portProtocol(protocols: string[] | undefined): string {
  const set = new Set(protocols ?? ["tcp"]);
  return set.has("udp") && set.has("tcp") ? "udp,tcp" : [...set][0] ?? "tcp";
}

/** A failure on the pod-as-app's `portDefinitions[k]...`, as the endpoint's own field. */
export function endpointPath(pod: PodDefinition, property: string): string {
  return property.replace(/^app\.portDefinitions\[(\d+)\](\.port\b)?/, (whole, k: string, port: string | undefined) => {
    const found = podEndpoints(pod)[Number(k)];
    return found ? `pod.${found.path}${port ? ".hostPort" : ""}` : whole;
  });
}

/** What the holder of a published pod's instance forwards: agent-ip:hostPort to its containerPort. */
export function publishedPorts(pod: PodDefinition, slot: HostSlot): Array<{ hostPort: number; containerPort: number; protocol: string }> {
  return podEndpoints(pod).map(({ endpoint }, k) => ({
    hostPort: slot.ports[k],
    containerPort: endpoint.containerPort ?? slot.ports[k],
    protocol: portProtocol(endpoint.protocol),
  }));
}

/**
 * What Marathon gives a host-mode pod's containers besides the pod's own environment: each
 * endpoint's host port as `ENDPOINT_<NAME>` (the name upper-cased, `-` as `_`), and `HOST`, the
 * agent's address (where `$HOST:$ENDPOINT_HTTP` is reached).
 */
export function hostPodEnv(pod: PodDefinition, slot: HostSlot, agentIp: string): Record<string, string> {
  const env: Record<string, string> = { HOST: agentIp };
  podEndpoints(pod).forEach(({ endpoint }, k) => {
    if (slot.ports[k] !== undefined) env[`ENDPOINT_${endpoint.name.toUpperCase().replace(/-/g, "_")}`] = String(slot.ports[k]);
  });
  return env;
}
