// A host-mode pod's instance on its agent (backends/docker/hostTasks runs it as a host-mode task):
// the task is the pod's holder, in the agent's network namespace; the pod's containers join the
// holder's namespace, which is the agent's, so they listen on the agent's address and reach each
// other on localhost. What differs from a host-mode app's task is said here.
import { ResolvedApp } from "../../core/marathon/appInputs";
import { HostSlot } from "../../core/local/hostPorts";
import { hostPodEnv } from "../../core/local/hostPods";
import { podMembers } from "../../core/local/podMembers";
import { APP_LABELS, ContainerSpec, ContainerState, listAppContainers, removeContainer } from "./containers";
import { preparePodImages } from "./podImages";

/** The holder's part of a host-mode pod instance's spec: its label and its containers. */
export function hostPodSpec(inputs: ResolvedApp, holder: string, index: number, slot: HostSlot, agentIp: string): Pick<ContainerSpec, "members"> & { labels: Record<string, string> } {
  const ports = hostPodEnv(inputs.pod!, slot, agentIp);
  return {
    labels: { [APP_LABELS.podHolder]: "true" },
    members: podMembers(inputs.pod!, holder, slot.agent).map(({ member, env, ...m }) => ({
      ...m,
      // Marathon's ENDPOINT_<NAME> host ports, and HOST as the agent's address (a host-mode task's).
      env: { ...env, ...ports },
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
  const members = (await listAppContainers(inputs.owner, inputs.canonical.id)).filter((c) => c.labels[APP_LABELS.podMember] === holder);
  await Promise.all(members.map((m) => removeContainer(m.id, inputs.owner, m)));
}
