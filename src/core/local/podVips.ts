// VIPs declared on a pod's endpoints (`containers[i].endpoints[j].labels: {VIP_0: "/shop/cart:80"}`),
// served on the local cluster as an app's are. A pod runs as an app (marathon/podInputs podAsApp),
// so its endpoint VIP labels are carried over to that app where the app machinery looks for them:
// - a container-network pod: one `container.portMappings` entry per endpoint with a VIP label (its
//   containerPort and labels), so the VIP's proxy on the pod's first network forwards to
//   <instance ip>:containerPort, finding the instances' holders by the app's DNS name
//   (core/local/vipPlan), which every holder carries (the pod's containers share its namespace).
//   So too when its endpoints also have hostPorts (a published pod, core/local/hostPods): the
//   holders keep their overlay addresses and DNS name, so the VIP follows them there, and the
//   hostPorts are only published at the agents besides (DC/OS balances a container network's VIP
//   over containerIP:containerPort; clients on the overlay keep the VIP whether or not the pod
//   adds a hostPort). The mapping carries no hostPort: podPortsAsApp plans the endpoints' own;
// - a host-mode pod: the labels on the pod-as-app's `portDefinitions` (its endpoints with their host
//   ports, core/local/hostPods), so the proxy on the host network forwards to agent-ip:hostPort
//   (core/local/hostVipPlan).
// Only a pod with some endpoint VIP label gets anything added: every other pod's app (and with it
// the state and diff of existing stacks) is as it was.
import { PodDefinition, PodEndpoint } from "../marathon/podTypes";
import { Labels, PortMapping } from "../marathon/types";
import { isVipLabel } from "../marathon/vip";
import { isHostModePod, podEndpoints } from "./hostPods";

/** The endpoint's VIP labels only (other labels are no business of the local cluster's). */
function vipLabelsOf(endpoint: PodEndpoint): Labels | undefined {
  const entries = Object.entries(endpoint.labels ?? {}).filter(([k]) => isVipLabel(k));
  return entries.length > 0 ? Object.fromEntries(entries) : undefined;
}

/** Every endpoint of the pod with a VIP label, with where it is declared, in container order. */
export function vipEndpoints(pod: PodDefinition): Array<{ endpoint: PodEndpoint; path: string; labels: Labels }> {
  return pod.containers.flatMap((c, i) =>
    (c.endpoints ?? []).flatMap((endpoint, j) => {
      const labels = vipLabelsOf(endpoint);
      return labels ? [{ endpoint, path: `containers[${i}].endpoints[${j}]`, labels }] : [];
    }),
  );
}

export function hasPodVips(pod: PodDefinition): boolean {
  return vipEndpoints(pod).length > 0;
}

/**
 * What a container-network pod's app gets for its endpoint VIPs: a Mesos container (what Marathon
 * gives the app anyway) whose port mappings are the endpoints with a VIP label. Nothing otherwise.
 */
export function containerPodVipPorts(pod: PodDefinition): { container?: { type: "MESOS"; portMappings: PortMapping[] } } {
  const found = vipEndpoints(pod);
  if (found.length === 0 || isHostModePod(pod)) return {};
  const portMappings = found.map(({ endpoint, labels }) => ({
    ...(endpoint.containerPort !== undefined ? { containerPort: endpoint.containerPort } : {}),
    name: endpoint.name,
    ...(endpoint.protocol ? { protocol: endpoint.protocol.join(",") } : {}),
    labels,
  })) as PortMapping[];
  return { container: { type: "MESOS", portMappings } };
}

/**
 * A host-mode pod's port definitions (hostPodPorts: one per endpoint with a host port, in container
 * order) with each endpoint's VIP labels; the same objects when no endpoint has one.
 */
export function withEndpointVipLabels<T extends { portDefinitions: object[] }>(pod: PodDefinition, ports: T): T {
  if (!hasPodVips(pod)) return ports;
  const endpoints = podEndpoints(pod);
  return {
    ...ports,
    portDefinitions: ports.portDefinitions.map((d, k) => {
      const labels = endpoints[k] ? vipLabelsOf(endpoints[k].endpoint) : undefined;
      return labels ? { ...d, labels } : d;
    }),
  };
}

/** A failure on the pod-as-app's `container.portMappings[k]...`, as the endpoint's own field. */
export function vipEndpointPath(pod: PodDefinition, property: string): string {
  return property.replace(/^app\.container\.portMappings\[(\d+)\]/, (whole, k: string) => {
    const found = vipEndpoints(pod)[Number(k)];
    return found ? `pod.${found.path}` : whole;
  });
}
