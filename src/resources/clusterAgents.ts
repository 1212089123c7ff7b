// A local cluster's agents, declared only when an app needs them (host or bridge networking), so a
// stack of container-network apps is unchanged: the host network (a LocalDockerNetwork on
// `cluster.hostSubnet`), the agent containers (LocalAgents), and the host ports of every host and
// bridge app planned over the whole cluster in declaration order, each app given the ports the
// apps before it hold (its own check plans it the same way, and says when no agent can hold it).
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

/** What one host- or bridge-mode app is given (MarathonAppArgs' host fields). */
export interface AppOnAgents {
  hostAgents: string[];
  hostNetwork: pulumi.Output<HostNetwork>;
  hostPortsTaken: TakenPorts;
  agents: LocalAgents;
}

export function declareAgents(
  config: StackConfig,
  definitions: Record<string, unknown>[],
  prefix: string,
  child: (extra?: pulumi.CustomResourceOptions) => pulumi.CustomResourceOptions,
  overlays: pulumi.Input<string>[] = [],
): Array<AppOnAgents | undefined> {
  if (config.cluster.target !== "local") return definitions.map(() => undefined);
  const agents = config.cluster.agents;
  const onAgents = definitions.map((app) => {
    if (validateApp(app).length > 0) return undefined;
    const canonical = normalizeApp(app as unknown as AppDefinition);
    return networkingMode(canonical) === "container" ? undefined : canonical;
  });
  if (onAgents.every((a) => a === undefined)) return definitions.map(() => undefined);

  let taken: TakenPorts = {};
  const takenBefore: TakenPorts[] = [];
  const aliases: Record<string, string[]> = {};
  onAgents.forEach((app, i) => {
    takenBefore[i] = taken;
    if (!app) return;
    const plan = planHostPorts(app, agents, taken);
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
    app ? { hostAgents: agents, hostNetwork: localAgents.hostNetwork, hostPortsTaken: takenBefore[i], agents: localAgents } : undefined,
  );
}
