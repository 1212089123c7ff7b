// A pod's instance on its agent, run by backends/docker/hostTasks as a host-mode task is (one slot
// of its check's plan each, replaced old first). The task is the pod's holder and the pod's
// containers join the holder's network namespace, so they reach each other on localhost:
// - a host-mode pod's holder is in the agent's namespace: its endpoints listen on the agent's address;
// - a published pod's holder (a container-network pod with endpoint hostPorts) has its own address
//   on each network, and one on the host network to which the agent forwards its hostPorts.
// What differs from a host- or bridge-mode app's task is said here.
import { ResolvedApp } from "../../core/marathon/appInputs";
import { HostSlot, networkingMode } from "../../core/local/hostPorts";
import { hostPodEnv, publishedPorts } from "../../core/local/hostPods";
import { podMembers } from "../../core/local/podMembers";
import { hostHalves } from "../../core/local/agents";
import { halfFor, halfRange } from "../../core/local/instanceSpec";
import { formatCidr, parseCidr } from "../../core/ip/cidr";
import { Instance } from "../../core/local/instance";
import { APP_LABELS, ContainerSpec, ContainerState, listAppContainers, removeContainer } from "./containers";
import { runAddressed } from "./addressedRun";
import { AgentRef, publishPorts, unpublishPorts } from "./agents";
import { preparePodImages } from "./podImages";
import { memberHealthSpec } from "./podHealth";

/** The holder's part of a host-mode or published pod instance's spec: its label and its containers. */
export function hostPodSpec(inputs: ResolvedApp, holder: string, index: number, slot: HostSlot, agentIp: string): Pick<ContainerSpec, "members"> & { labels: Record<string, string> } {
  // Host mode: ENDPOINT_<NAME> and HOST as Marathon sets them; a published pod's containers get a pod's usual env.
  const ports = networkingMode(inputs.canonical) === "host" ? hostPodEnv(inputs.pod!, slot, agentIp) : {};
  return {
    labels: { [APP_LABELS.podHolder]: "true" },
    members: podMembers(inputs.pod!, holder, slot.agent).map(({ member, env, ...m }) => ({
      ...m,
      // Marathon's ENDPOINT_<NAME> host ports, and HOST as the agent's address (a host-mode task's).
      env: { ...env, ...ports },
      ...memberHealthSpec(inputs, member, slot.ports), // its healthCheck (backends/docker/podHealth)
      labels: { [APP_LABELS.app]: inputs.canonical.id, [APP_LABELS.instance]: String(index), [APP_LABELS.agent]: slot.agent, "io.dcos-vnet.pod-container": member },
    })),
  };
}

/** The pod's containers' images, besides the holder's. */
export async function prepareHostPodImages(inputs: ResolvedApp): Promise<void> {
  if (inputs.pod) await preparePodImages(inputs);
}

/** A pod's containers are parts of their holder's instance, not instances (nor strays). */
export function withoutMembers(containers: ContainerState[]): ContainerState[] {
  return containers.filter((c) => c.labels[APP_LABELS.podMember] === undefined);
}

/** A pod instance one of whose containers stopped or went is down as a whole (its holder's name → true). */
export function podInstancesDown(inputs: ResolvedApp, containers: ContainerState[]): Set<string> {
  const down = new Set<string>();
  if (!inputs.pod) return down;
  const up = new Map<string, number>();
  for (const c of containers) {
    const holder = c.labels[APP_LABELS.podMember];
    if (holder !== undefined && c.running) up.set(holder, (up.get(holder) ?? 0) + 1);
  }
  for (const c of withoutMembers(containers)) if ((up.get(c.name) ?? 0) < inputs.pod.containers.length) down.add(c.name);
  return down;
}

/** The containers of a pod instance whose holder is named `holder`, removed (even when the holder itself is already gone). */
export async function removePodMembers(inputs: ResolvedApp, holder: string): Promise<void> {
  if (!inputs.pod) return;
  const members = (await listAppContainers(inputs.owner, inputs.canonical.id, "pod")).filter((c) => c.labels[APP_LABELS.podMember] === holder);
  await Promise.all(members.map((m) => removeContainer(m.id, inputs.owner, m)));
}

/** A container-network pod whose endpoints have host ports (its check planned them: hostPlan). */
export function isPublishedPodTask(inputs: ResolvedApp): boolean {
  return inputs.pod !== undefined && inputs.hostPlan !== undefined && networkingMode(inputs.canonical) === "container";
}

/**
 * Starts a published pod's instance: its holder with an address on each of its container networks
 * (from its agent's half of each, as any pod instance) and one on the host network's task half,
 * to which the agent forwards agent-ip:hostPort of each endpoint (DNAT, as for a bridge-mode task).
 */
export async function startPublishedPod(
  inputs: ResolvedApp,
  spec: Omit<ContainerSpec, "ip">,
  base: Omit<Instance, "container" | "containerId" | "state">,
  slot: HostSlot,
  agentIp: string,
  agent: AgentRef,
): Promise<Instance> {
  const half = halfFor(inputs.canonical);
  const nets = [inputs.network, ...inputs.canonical.networks.flatMap((n) => (n.mode === "container" && n.name !== inputs.network ? [n.name] : []))];
  const dockerNet = (n: string) => {
    const name = inputs.networks[n]?.dockerNetwork;
    if (!name) throw new Error(`virtual network ${n} has no Docker network on this local cluster`);
    return name;
  };
  const choice = (n: string) => {
    const range = halfRange(inputs.networks[n]?.agentSubnets?.[slot.agent] ?? {}, half);
    if (!range) throw new Error(`agent ${slot.agent} has no block in the ${n} overlay any more`);
    return { half: range, context: `${slot.agent}'s ${half === "docker" ? "Docker" : "Mesos"} half of the ${n} overlay` };
  };
  const hostNet = inputs.hostNetwork!.dockerNetwork;
  const subnet = parseCidr(inputs.hostNetwork!.subnet);
  if (!subnet.ok) throw new Error(`host network subnet: ${subnet.reason}`);
  const taskHalf = formatCidr(hostHalves(subnet.value).tasks);
  const [first, ...others] = nets;
  const [c] = await runAddressed(
    dockerNet(first),
    [{
      spec: { ...spec, network: dockerNet(first), aliases: inputs.aliases, labels: { ...spec.labels, [APP_LABELS.network]: inputs.network } },
      ...choice(first),
      more: [
        ...others.map((n) => ({ network: dockerNet(n), aliases: inputs.aliases, ...choice(n) })),
        { network: hostNet, aliases: [], half: taskHalf, context: `the task half of the host network ${taskHalf}` },
      ],
    }],
    inputs.owner,
  );
  const taskIp = c.addresses[hostNet];
  try {
    await publishPorts(agent, agentIp, c.name, taskIp, publishedPorts(inputs.pod!, slot));
  } catch (err) {
    await unpublishPorts(agent, c.name).catch(() => undefined);
    await removeContainer(c.id, inputs.owner, c);
    throw err;
  }
  return {
    ...base,
    ip: c.addresses[dockerNet(first)],
    ...(nets.length > 1 ? { ips: Object.fromEntries(nets.map((n) => [n, c.addresses[dockerNet(n)] ?? ""])) } : {}),
    half,
    container: c.name,
    containerId: c.id,
    state: "running",
    taskIp,
  };
}
