// A local cluster's agents, declared only when an app or a pod needs them (host or bridge
// networking), so a stack of container-network apps is unchanged: the host network (a
// LocalDockerNetwork on `cluster.hostSubnet`), the agent containers (LocalAgents), and the host
// ports of every host and bridge app, then of every host-mode pod, planned over the whole cluster
// in declaration order, each given the ports the ones before it hold (its own check plans it the
// same way, and says when no agent can hold it, naming the holder).
// The stack's own overlays (not external ones: those belong to another stack) are opened to the
// host network and back, as DC/OS routes between agents and overlay containers.
import * as pulumi from "@pulumi/pulumi";
import { StackConfig } from "../config/stackConfig";
import { AppDefinition } from "../core/marathon/types";
import { validateApp } from "../core/marathon/validateApp";
import { normalizeApp } from "../core/marathon/normalize";
import { agentDnsNames, hostNetworkName } from "../core/local/agents";
import { TakenPorts, networkingMode, planHostPorts, withSlots } from "../core/local/hostPorts";
import { firstHostOf } from "../core/local/dockerNetworkSpec";
import type { HostNetwork } from "../core/local/agents";
import { LocalDockerNetwork } from "./localDockerNetwork";
import { LocalAgents } from "./localAgents";
import { validatePod } from "../core/marathon/validatePod";
import { podPortsAsApp } from "../core/marathon/podInputs";
import { isHostModePod, isPublishedPod } from "../core/local/hostPods";
import type { PodDefinition } from "../core/marathon/podTypes";

/** What one host- or bridge-mode app is given (MarathonAppArgs' host fields). */
export interface AppOnAgents {
  hostAgents: string[];
  hostNetwork: pulumi.Output<HostNetwork>;
  hostPortsTaken: TakenPorts;
  hostSubnet: string;
  agents: LocalAgents;
}

/** A host-mode or published pod as the host-mode app holding its endpoints' host ports, or undefined. */
function podOnAgents(pod: Record<string, unknown>) {
  if (validatePod(pod).length > 0) return undefined;
  const typed = pod as unknown as PodDefinition;
  if (!isHostModePod(typed) && !isPublishedPod(typed)) return undefined;
  const app = podPortsAsApp(typed);
  return validateApp(app).length === 0 ? normalizeApp(app) : undefined;
}

/** The agents a pod's instances may use: a published pod's, those with a block in each network it joins. */
function podAgents(config: StackConfig, pod: Record<string, unknown>): string[] {
  const named = Array.isArray(pod.networks) ? (pod.networks as { name?: unknown }[]).map((n) => n?.name) : [];
  const joined = config.networks.filter((n) => named.includes(n.name));
  return config.cluster.agents.filter((a) => joined.every((n) => (n.agents ?? config.cluster.agents).includes(a)));
}

/** Each app, then each pod, that runs on the agents (host or bridge networking, endpoint host ports), as the app it runs as; else undefined. */
export function appsOnAgents(definitions: Record<string, unknown>[], pods: Record<string, unknown>[]) {
  return [
    ...definitions.map((app) => {
      if (validateApp(app).length > 0) return undefined;
      const canonical = normalizeApp(app as unknown as AppDefinition);
      return networkingMode(canonical) === "container" ? undefined : canonical;
    }),
    ...pods.map(podOnAgents),
  ];
}

/** What each app, then each pod, is given: apps' entries first (definitions' order), then pods'. */
export function declareAgents(
  config: StackConfig,
  definitions: Record<string, unknown>[],
  prefix: string,
  child: (extra?: pulumi.CustomResourceOptions) => pulumi.CustomResourceOptions,
  pods: Record<string, unknown>[] = [],
  overlays: pulumi.Input<string>[] = [],
): Array<AppOnAgents | undefined> {
  const none = () => [...definitions, ...pods].map(() => undefined);
  if (config.cluster.target !== "local") return none();
  const agents = config.cluster.agents;
  const onAgents = appsOnAgents(definitions, pods);
  const agentsOf = [...definitions.map(() => agents), ...pods.map((pod) => podAgents(config, pod))];
  if (onAgents.every((a) => a === undefined)) return none();

  let taken: TakenPorts = {};
  const takenBefore: TakenPorts[] = [];
  const aliases: Record<string, string[]> = {};
  onAgents.forEach((app, i) => {
    takenBefore[i] = taken;
    if (!app) return;
    const plan = planHostPorts(app, agentsOf[i], taken);
    if (!plan.ok) return; // the app's own check says why
    taken = withSlots(taken, app.id, plan.slots);
    for (const slot of plan.slots) aliases[slot.agent] = [...new Set([...(aliases[slot.agent] ?? []), ...agentDnsNames(app.id)])];
  });

  const subnet = config.cluster.hostSubnet;
  const network = new LocalDockerNetwork(
    `${prefix}host`,
    { name: hostNetworkName(pulumi.getStack()), subnet, gateway: firstHostOf(subnet), ipMasquerade: false, labels: {} },
    child(),
  );
  const localAgents = new LocalAgents(
    `${prefix}agents`,
    { dockerNetwork: network.name, subnet, agents, aliases, overlays },
    child({ dependsOn: network }),
  );
  return onAgents.map((app, i) =>
    app ? { hostAgents: agents, hostNetwork: localAgents.hostNetwork, hostPortsTaken: takenBefore[i], hostSubnet: subnet, agents: localAgents } : undefined,
  );
}
