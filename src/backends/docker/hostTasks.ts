// Host- and bridge-mode apps on the local cluster: each instance a task on the agent its check
// planned (with the host ports planned there). A host-mode task runs in its agent's network
// namespace (`container:<agent>`), so it listens on the agent's address and competes for its
// ports; a bridge-mode task has an address of its own on the host network's task half and listens
// on its containerPort, published at agent-ip:hostPort by the agent (backends/docker/agents).
// Instances are replaced one at a time, the old one first: the new one needs the same host ports.
import { ResolvedApp } from "../../core/marathon/appInputs";
import { CanonicalApp } from "../../core/marathon/types";
import { AgentAddress, hostHalves } from "../../core/local/agents";
import { HostSlot, networkingMode } from "../../core/local/hostPorts";
import { containerPorts, hostTaskEnv } from "../../core/local/hostTask";
import { commandFor, containerName, halfFor, imageFor, instanceEnv, resolvedEnv } from "../../core/local/instanceSpec";
import { formatCidr, parseCidr } from "../../core/ip/cidr";
import { AppState, Instance } from "../../core/local/instance";
import { stableJson } from "../../core/common/stableJson";
import {
  APP_LABELS, ContainerSpec, ContainerState, inspectContainer, listAppContainers, removeContainer, restartContainer, runContainer,
} from "./containers";
import { runAddressed } from "./addressedRun";
import { agentRefOf, inspectAgent, isAgentContainer, publishPorts, unpublishPorts } from "./agents";
import { prepareImage } from "./imagePull";
import {
  hostPodSpec, isPublishedPodTask, podInstancesDown, prepareHostPodImages, removePodMembers, startPublishedPod, withoutMembers,
} from "./hostPodTasks";
import {
  ParkedTask, awaitTasksHealthy, hasHostHealthCheck, parkTask, readyToProbeTasks, taskHealthSpec, undoTaskRoll, unhealthyPodInstances,
} from "./hostHealth";

/** The id of the agent container a task was started in (host) or published by (bridge). */
const AGENT_CONTAINER_LABEL = "io.dcos-vnet.agent-container";

/** True for apps this module runs (host or bridge networking), and pods whose endpoints have host ports. */
export function runsOnAgents(inputs: ResolvedApp): boolean {
  return networkingMode(inputs.canonical) !== "container" || isPublishedPodTask(inputs);
}

function agentOf(inputs: ResolvedApp, agent: string): AgentAddress {
  const found = inputs.hostNetwork?.agents?.[agent];
  if (!found) throw new Error(`agent ${agent} has no address on the local cluster's host network (is it in cluster.agents?)`);
  return found;
}

function taskSpec(inputs: ResolvedApp, index: number, slot: HostSlot): Omit<ContainerSpec, "ip"> {
  const app: CanonicalApp = inputs.canonical;
  const mode = networkingMode(app);
  const agent = agentOf(inputs, slot.agent);
  const name = containerName(inputs.owner.stack, app.id, index);
  // A pod (host-mode, or with endpoint hostPorts): this task is its holder, and its containers join it (hostPodTasks).
  const pod = inputs.pod ? hostPodSpec(inputs, name, index, slot, agent.ip) : undefined;
  return {
    name,
    image: imageFor(app),
    cmd: commandFor(app),
    env: {
      ...instanceEnv(app, { agent: slot.agent, container: name, plainEnv: resolvedEnv(inputs) }),
      ...hostTaskEnv(app, mode, slot, agent.ip),
    },
    labels: {
      [APP_LABELS.app]: app.id,
      [APP_LABELS.instance]: String(index),
      [APP_LABELS.agent]: slot.agent,
      [APP_LABELS.network]: mode,
      ...pod?.labels,
    },
    network: inputs.hostNetwork!.dockerNetwork,
    aliases: [],
    memoryMb: app.mem,
    cpus: app.cpus,
    privileged: app.container?.docker?.privileged,
    ...taskHealthSpec(inputs, slot, agent.ip),
    ...(mode === "host" ? { networkMode: `container:${agent.container}` } : {}),
    ...(pod ? { members: pod.members } : {}),
  };
}

/** Starts instance `index` on its slot: in the agent's namespace (host), or behind its published ports (bridge). */
async function startTask(inputs: ResolvedApp, index: number, slot: HostSlot): Promise<Instance> {
  await prepareImage(inputs); // pulled once per app and step, as for container-network apps
  await prepareHostPodImages(inputs);
  await readyToProbeTasks(inputs);
  const agent = agentOf(inputs, slot.agent);
  const spec = taskSpec(inputs, index, slot);
  const base = { index, agent: slot.agent, ip: agent.ip, half: halfFor(inputs.canonical), ports: slot.ports };
  // The agent container's id goes on the task, so a task of an agent since re-created (whose
  // namespace, and published ports, went with the old container) is told apart by observe.
  const ref = { agent: slot.agent, container: agent.container, owner: inputs.owner };
  const holder = await inspectAgent(ref); // never a container of someone else's by the agent's name
  if (!holder?.running) throw new Error(`agent ${slot.agent}: its container ${agent.container} is not running (pulumi up --refresh brings it back)`);
  spec.labels[AGENT_CONTAINER_LABEL] = holder.id;
  if (isPublishedPodTask(inputs)) return startPublishedPod(inputs, spec, base, slot, agent.ip, ref);
  if (spec.networkMode) {
    const c = await runContainer({ ...spec, ip: agent.ip, networkMode: `container:${holder.id}` }, inputs.owner);
    return { ...base, container: c.name, containerId: c.id, state: "running" };
  }
  const subnet = parseCidr(inputs.hostNetwork!.subnet);
  if (!subnet.ok) throw new Error(`host network subnet: ${subnet.reason}`);
  const half = formatCidr(hostHalves(subnet.value).tasks);
  const [c] = await runAddressed(spec.network, [{ spec, half, context: `the task half of the host network ${half}` }], inputs.owner);
  const taskIp = c.addresses[spec.network];
  const mappings = inputs.canonical.container?.portMappings ?? [];
  const inside = containerPorts(inputs.canonical, slot);
  try {
    await publishPorts(ref, agent.ip, c.name, taskIp, mappings.map((m, i) => ({ hostPort: slot.ports[i], containerPort: inside[i], protocol: m.protocol })));
  } catch (err) {
    await unpublishPorts(ref, c.name).catch(() => undefined);
    await removeContainer(c.id, inputs.owner, c);
    throw err;
  }
  return { ...base, container: c.name, containerId: c.id, state: "running", taskIp };
}

/**
 * Stops a task: its published ports first (so nothing is sent to an address about to be reused), then its container.
 * A stray or leftover has no taskIp in hand, so a bridge task's or a published pod's holder is unpublished by its kind.
 */
async function stopTask(inputs: ResolvedApp, inst: Pick<Instance, "agent" | "container" | "containerId" | "taskIp">, seen?: ContainerState): Promise<void> {
  const agent = agentRefOf(inputs, inst.agent);
  const published = inst.taskIp !== undefined || networkingMode(inputs.canonical) === "bridge" || isPublishedPodTask(inputs);
  if (agent && published) await unpublishPorts(agent, inst.container);
  await removePodMembers(inputs, inst.container);
  await removeContainer(inst.containerId || inst.container, inputs.owner, seen);
}

export async function createHostApp(inputs: ResolvedApp): Promise<AppState> {
  const instances: Instance[] = [];
  const slots = inputs.hostPlan ?? [];
  try {
    // One after the other: tasks of one app on one agent publish in the same namespace.
    for (let i = 0; i < slots.length; i++) instances.push(await startTask(inputs, i, slots[i]));
    await awaitTasksHealthy(inputs, instances, (inst) => stopTask(inputs, inst));
  } catch (err) {
    await Promise.allSettled(instances.map((inst) => stopTask(inputs, inst)));
    throw err;
  }
  return { instances, nextIndex: instances.length };
}

/**
 * The instances as the engine has them. A task whose agent container is gone or was re-created
 * counts as missing: a host-mode task lives in a namespace that no longer has the agent's address,
 * a bridge-mode task's ports were published in the old one. The next update replaces it.
 */
export async function observeHostApp(inputs: ResolvedApp, previous: Instance[]): Promise<{ instances: Instance[]; strays: string[] }> {
  const listed = await listAppContainers(inputs.owner, inputs.canonical.id, inputs.pod ? "pod" : "app");
  const containers = withoutMembers(listed);
  const podDown = podInstancesDown(inputs, listed);
  const podUnhealthy = unhealthyPodInstances(listed);
  const byName = new Map(containers.map((c) => [c.name, c]));
  const agentIds = new Map<string, string | undefined>();
  for (const agent of new Set(previous.map((i) => i.agent))) {
    const ref = agentRefOf(inputs, agent);
    const seen = ref ? await inspectContainer(ref.container) : undefined;
    agentIds.set(agent, seen && isAgentContainer(seen, ref!) ? seen.id : undefined);
  }
  const instances = previous.map((inst): Instance => {
    const c = byName.get(inst.container);
    if (!c) return { ...inst, state: "missing", containerId: "" };
    const holder = c.labels[AGENT_CONTAINER_LABEL];
    if (holder !== undefined && holder !== agentIds.get(inst.agent)) return { ...inst, containerId: c.id, state: "missing" };
    if (c.running && (c.health === "unhealthy" || podUnhealthy.has(c.name))) return { ...inst, containerId: c.id, state: "unhealthy" };
    return { ...inst, containerId: c.id, state: c.running && !podDown.has(c.name) ? "running" : "stopped" };
  });
  const known = new Set(previous.map((i) => i.container));
  return { instances, strays: containers.filter((c) => !known.has(c.name)).map((c) => c.name) };
}

/**
 * Brings the instances to the plan, slot by slot: an instance on its slot's agent with its ports,
 * of an unchanged definition, stays (restarted if stopped); any other (or one failing its health
 * check) is replaced, the old task stopped before the new one starts. Extra instances go (the
 * newest), missing slots are filled. With a health check, each new (or restarted) task must turn
 * healthy before the next slot; old tasks are only parked until the end, and if one does not, the
 * new tasks go and the parked ones start again on their ports (hostHealth.ts), so the app serves
 * as before and the state, unchanged by the failed update, still describes it.
 */
export async function updateHostApp(inputs: ResolvedApp, previous: AppState, definitionChanged: boolean): Promise<AppState> {
  const observed = await observeHostApp(inputs, previous.instances);
  const agentOfStray = new Map(withoutMembers(await listAppContainers(inputs.owner, inputs.canonical.id, inputs.pod ? "pod" : "app")).map((c) => [c.name, c.labels[APP_LABELS.agent]]));
  for (const name of observed.strays) await stopTask(inputs, { agent: agentOfStray.get(name) ?? "", container: name, containerId: name });
  const slots = inputs.hostPlan ?? [];
  const current = [...observed.instances].sort((a, b) => a.index - b.index);
  let nextIndex = previous.nextIndex;
  const out: Instance[] = [];
  for (const inst of current.slice(slots.length).reverse()) await stopTask(inputs, inst);
  const stop = (i: Instance) => stopTask(inputs, i);
  const parked: ParkedTask[] = [];
  const fresh: Instance[] = [];
  try {
    for (let k = 0; k < slots.length; k++) {
      const inst = current[k];
      // (A published pod's instance has its own address; its agent's, if changed, went with the agent container: missing.)
      const sameSlot = inst && inst.agent === slots[k].agent && stableJson(inst.ports ?? []) === stableJson(slots[k].ports) &&
        (isPublishedPodTask(inputs) || inst.ip === inputs.hostNetwork?.agents?.[inst.agent]?.ip);
      // A pod instance that is down comes back whole (a new holder and containers), as on the overlay.
      const keep = inst && sameSlot && !definitionChanged && inst.state !== "missing" && inst.state !== "unhealthy" && !(inputs.pod && inst.state === "stopped");
      if (inst && keep) {
        if (inst.state === "stopped") {
          await restartContainer(inst.containerId, inputs.hostNetwork!.dockerNetwork, inst.taskIp ?? inst.ip);
          await awaitTasksHealthy(inputs, [inst], stop);
        }
        out.push({ ...inst, state: "running" });
        continue;
      }
      // Parked (stopped, kept) with a health check, so a replacement that never turns healthy can be undone.
      if (inst && hasHostHealthCheck(inputs) && (inst.state === "running" || inst.state === "unhealthy")) parked.push(await parkTask(inputs, inst));
      else if (inst) await stopTask(inputs, inst);
      const started = await startTask(inputs, nextIndex++, slots[k]);
      fresh.push(started);
      await awaitTasksHealthy(inputs, [started], stop);
      out.push(started);
    }
  } catch (err) {
    if (parked.length === 0) throw err;
    throw await undoTaskRoll(inputs, fresh, parked, stop, err);
  }
  for (const p of parked) await stopTask(inputs, p.inst);
  return { instances: out, nextIndex };
}

export async function deleteHostApp(inputs: ResolvedApp, previous: AppState): Promise<void> {
  const labelled = withoutMembers(await listAppContainers(inputs.owner, inputs.canonical.id, inputs.pod ? "pod" : "app"));
  const byName = new Map(labelled.map((c) => [c.name, c]));
  for (const inst of previous.instances) {
    await stopTask(inputs, inst, byName.get(inst.container));
    byName.delete(inst.container);
  }
  for (const c of byName.values()) await stopTask(inputs, { agent: c.labels[APP_LABELS.agent], container: c.name, containerId: c.id }, c);
  // A pod's containers left without a holder (it was removed by hand) go too.
  if (inputs.pod) for (const m of await listAppContainers(inputs.owner, inputs.canonical.id, inputs.pod ? "pod" : "app")) await removeContainer(m.id, inputs.owner, m);
}
