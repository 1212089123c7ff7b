// A Marathon app on the local Docker cluster: one container per instance on the app's virtual
// network, each with its own address from its agent's half-block. Scaling keeps survivors (and
// their addresses); a changed definition rolls the instances within the app's upgradeStrategy;
// instances found stopped or missing are brought back, on their old address when it is free.
import { ResolvedApp } from "../../core/marathon/appInputs";
import { Placed, placeInstances } from "../../core/local/placement";
import {
  Half, commandFor, containerName, halfFor, halfRange, imageFor, instanceEnv, resolvedEnv,
} from "../../core/local/instanceSpec";
import { CanonicalApp } from "../../core/marathon/types";
import { AppState, Instance } from "../../core/local/instance";

export type { AppState, Instance };
import { AddressedRequest, runAddressed, withNetworkLock } from "./addressedRun";
import { podMembers } from "../../core/local/podMembers";
import { createHostApp, deleteHostApp, observeHostApp, runsOnAgents, updateHostApp } from "./hostTasks";
import { removeVipProxies } from "./vipProxy";
import { hasVips, observeVips, withVips } from "./appVips";
import {
  APP_LABELS, AddressInUseError, MemberSpec, ContainerState, listAppContainers, staleNetworkAttachment, removeContainer, restartContainer,
} from "./containers";
import { HealthPlan, healthPlanFor, settleBoundSeconds } from "../../core/local/healthProbe";
import { awaitHealthy, ensureProbeTools, parkInstance, probeToolsMount, undoRoll } from "./healthChecks";
import { prepareImage } from "./imagePull";
import { preparePodImages } from "./podImages";
import {
  awaitPodHealthy, memberHealthSpec, parkPodInstance, podHasHealthChecks, readyToProbeMembers, unparkPodInstance,
} from "./podHealth";

/** The app's image, and a pod's containers' images. */
const prepareImages = (inputs: ResolvedApp) =>
  inputs.engines
    ? Promise.all(allEngines(inputs)!.map((e) => onEngine(e, () => prepareImage(inputs)))) // every host needs it
    : Promise.all([prepareImage(inputs), inputs.pod ? preparePodImages(inputs) : undefined]);
import { EngineRef, distinctEngines, onEngine } from "./engines";
import { requireInSwarm } from "./swarm";
import { severalHostsFailures, severalHostsPodsReason } from "../../core/local/severalHosts";

// A cluster of several Docker hosts: each agent's instances run on its host's engine. Without
// `engines` (one local engine) every helper below runs on DOCKER_HOST's engine, as before.
function engineOf(inputs: ResolvedApp, agent: string): EngineRef | undefined {
  return inputs.engines?.[agent] as EngineRef | undefined;
}

function allEngines(inputs: ResolvedApp): EngineRef[] | undefined {
  return inputs.engines ? distinctEngines(Object.values(inputs.engines) as EngineRef[]) : undefined;
}

/**
 * Several hosts: all in the swarm before anything is changed (swarm.ts requireInSwarm). What runs
 * there so far is checked at preview (core/local/severalHosts); a state from elsewhere that asks
 * for more still fails here, before anything changes.
 */
async function hostsReady(inputs: ResolvedApp): Promise<void> {
  const hosts = allEngines(inputs);
  if (!hosts) return;
  const refused = [...severalHostsFailures(inputs.canonical).map((f) => `app.${f.property}: ${f.reason}`), ...(inputs.pod ? [`pod: ${severalHostsPodsReason()}`] : [])];
  if (refused.length > 0) throw new Error(`app ${inputs.canonical.id}: ${refused.join("; ")}`);
  await requireInSwarm(hosts);
}

/** The app's containers on every host, each with the engine it is on. */
async function listOnHosts(inputs: ResolvedApp): Promise<Array<{ c: ContainerState; engine?: EngineRef }>> {
  const hosts = allEngines(inputs);
  if (!hosts) return (await listAppContainers(inputs.owner, inputs.canonical.id, inputs.pod ? "pod" : "app")).map((c) => ({ c }));
  const lists = await Promise.all(hosts.map((e) => onEngine(e, () => listAppContainers(inputs.owner, inputs.canonical.id, inputs.pod ? "pod" : "app"))));
  return lists.flatMap((list, k) => list.map((c) => ({ c, engine: hosts[k] })));
}

/** Removes an instance's container on its agent's host. */
function removeInstance(inputs: ResolvedApp, inst: Instance): Promise<void> {
  return onEngine(engineOf(inputs, inst.agent), () => removeContainer(inst.containerId || inst.container, inputs.owner));
}

function dockerNetworkOf(inputs: ResolvedApp, network = inputs.network): string {
  const name = inputs.networks[network]?.dockerNetwork;
  if (!name) throw new Error(`virtual network ${network} has no Docker network on this local cluster`);
  return name;
}

/** The virtual networks the app joins, its first (`network`) first. */
function networksOf(inputs: ResolvedApp): string[] {
  return [inputs.network, ...inputs.canonical.networks.flatMap((n) => (n.mode === "container" && n.name !== inputs.network ? [n.name] : []))];
}

/** Where an instance's address on `network` comes from: its agent's half of that network's block. */
function choiceOn(inputs: ResolvedApp, network: string, agent: string, preferredIp?: string) {
  const half = halfFor(inputs.canonical);
  const range = halfRange(inputs.networks[network]?.agentSubnets[agent] ?? {}, half);
  if (!range) throw new Error(`agent ${agent} has no block in the ${network} overlay any more`);
  return { half: range, context: `${agent}'s ${half === "docker" ? "Docker" : "Mesos"} half of the ${network} overlay`, preferredIp };
}

function requestFor(inputs: ResolvedApp, placed: Placed, preferredIp?: string, preferredIps: Record<string, string> = {}): AddressedRequest {
  const app: CanonicalApp = inputs.canonical;
  const name = containerName(inputs.owner.stack, app.id, placed.index);
  const [first, ...others] = networksOf(inputs);
  return {
    spec: {
      name,
      image: imageFor(app),
      cmd: commandFor(app),
      env: instanceEnv(app, { agent: placed.agent, container: name, plainEnv: resolvedEnv(inputs) }),
      labels: {
        [APP_LABELS.app]: app.id,
        [APP_LABELS.instance]: String(placed.index),
        [APP_LABELS.agent]: placed.agent,
        [APP_LABELS.network]: inputs.network,
        ...(inputs.pod ? { [APP_LABELS.podHolder]: "true" } : {}),
      },
      network: dockerNetworkOf(inputs),
      aliases: inputs.aliases,
      memoryMb: app.mem,
      cpus: app.cpus,
      privileged: app.container?.docker?.privileged,
      ...healthSpec(healthPlanFor(app)),
      ...(inputs.pod ? { members: membersOf(inputs, name, placed) } : {}),
    },
    ...choiceOn(inputs, first, placed.agent, preferredIp),
    ...(others.length > 0
      ? {
          more: others.map((n) => ({
            network: dockerNetworkOf(inputs, n),
            aliases: inputs.aliases, // DC/OS's names on every network the app joins
            ...choiceOn(inputs, n, placed.agent, preferredIps[n]),
          })),
        }
      : {}),
    ...(inputs.engines ? { engine: engineOf(inputs, placed.agent) } : {}),
  };
}

/** A pod instance's containers, labelled as instances of the pod. */
function membersOf(inputs: ResolvedApp, holder: string, placed: Placed): MemberSpec[] {
  return podMembers(inputs.pod!, holder, placed.agent).map(({ member, ...m }) => ({
    ...m,
    ...memberHealthSpec(inputs, member),
    labels: { [APP_LABELS.app]: inputs.canonical.id, [APP_LABELS.instance]: String(placed.index), [APP_LABELS.agent]: placed.agent, "io.dcos-vnet.pod-container": member },
  }));
}

function healthSpec(plan: HealthPlan | undefined) {
  if (!plan) return {};
  return { health: plan, ...(plan.needsTools ? { mounts: [probeToolsMount()] } : {}) };
}

/**
 * Instances just started (or started again) must pass the app's health check before the change
 * counts as done; if one does not, all of them are removed and the error names the check.
 */
async function healthy(inputs: ResolvedApp, instances: Instance[]): Promise<Instance[]> {
  const plan = healthPlanFor(inputs.canonical);
  if (plan && instances.length > 0) await awaitHealthy(inputs.canonical.id, plan, instances, inputs.owner, settleBoundSeconds(plan));
  if (inputs.pod) await awaitPodHealthy(inputs, instances); // its containers' own checks
  return instances;
}

/** Whether new containers need the probe tools volume on the engine first. */
async function readyToProbe(inputs: ResolvedApp): Promise<void> {
  if (healthPlanFor(inputs.canonical)?.needsTools) await ensureProbeTools();
  if (inputs.pod) await readyToProbeMembers(inputs);
}

function toInstance(inputs: ResolvedApp, placed: Placed, c: ContainerState): Instance {
  const nets = networksOf(inputs);
  return {
    index: placed.index,
    agent: placed.agent,
    ip: c.addresses[dockerNetworkOf(inputs)] ?? "",
    // Only apps on several networks list them all (a one-network app's state stays as it was).
    ...(nets.length > 1 ? { ips: Object.fromEntries(nets.map((n) => [n, c.addresses[dockerNetworkOf(inputs, n)] ?? ""])) } : {}),
    container: c.name,
    containerId: c.id,
    half: halfFor(inputs.canonical),
    state: c.running ? "running" : "stopped",
  };
}

/** Agents with a block in every network the app joins. */
function agentsOf(inputs: ResolvedApp): string[] {
  const nets = networksOf(inputs);
  return Object.keys(inputs.networks[inputs.network].agentSubnets).filter((a) => nets.every((n) => inputs.networks[n]?.agentSubnets?.[a]));
}

/** Places and starts `count` new instances next to `existing`. */
async function startNew(inputs: ResolvedApp, existing: Placed[], count: number, firstIndex: number): Promise<Instance[]> {
  if (count <= 0) return [];
  const placement = placeInstances(agentsOf(inputs), inputs.canonical.constraints, existing, count, firstIndex);
  if (!placement.ok) throw new Error(placement.reason);
  await prepareImages(inputs);
  await readyToProbe(inputs);
  const started = await runAddressed(
    dockerNetworkOf(inputs),
    placement.placed.map((p) => requestFor(inputs, p)),
    inputs.owner,
    allEngines(inputs),
  );
  return healthy(inputs, placement.placed.map((p, i) => toInstance(inputs, p, started[i])));
}

export async function createApp(inputs: ResolvedApp): Promise<AppState> {
  await hostsReady(inputs);
  try {
    if (runsOnAgents(inputs)) return await withVips(inputs, await createHostApp(inputs));
    const instances = await startNew(inputs, [], inputs.canonical.instances, 0);
    return await withVips(inputs, { instances, nextIndex: instances.length });
  } catch (err) {
    // A failed create writes no state, so nothing would ever remove what it started (instances,
    // published ports, VIP proxies): they go now, found by the app's labels. With the engine
    // itself gone this fails too, and the next create replaces leftovers of ours by name (containers).
    await deleteApp(inputs, { instances: [], nextIndex: 0 }).catch(() => undefined);
    throw err;
  }
}

/** The app's VIP proxies as the engine has them now (refresh): on its overlay or the host network (appVips). */
export { observeVips };

/** The instances of the state as the engine has them now, and any stray containers of the app. */
export async function observe(inputs: ResolvedApp, previous: Instance[]): Promise<{ instances: Instance[]; strays: string[] }> {
  if (runsOnAgents(inputs)) return observeHostApp(inputs, previous);
  const listed = (await listOnHosts(inputs)).map((x) => x.c);
  // A pod's containers are parts of their holder's instance, not instances.
  const containers = listed.filter((c) => c.labels[APP_LABELS.podMember] === undefined);
  const membersUp = new Map<string, number>();
  const membersUnhealthy = new Set<string>(); // a pod instance with a container failing its check is unhealthy
  for (const m of listed) {
    const holder = m.labels[APP_LABELS.podMember];
    if (holder !== undefined && m.running) membersUp.set(holder, (membersUp.get(holder) ?? 0) + 1);
    if (holder !== undefined && m.running && m.health === "unhealthy") membersUnhealthy.add(holder);
  }
  const byName = new Map(containers.map((c) => [c.name, c]));
  const network = dockerNetworkOf(inputs);
  const instances = previous.map((inst): Instance => {
    const { observedIp: _old, ...base } = inst;
    const c = byName.get(inst.container);
    if (!c) return { ...base, state: "missing", containerId: "" };
    const seenIp = c.addresses[network];
    if (c.running && seenIp && seenIp !== inst.ip) return { ...base, containerId: c.id, state: "moved", observedIp: seenIp };
    // Several hosts: a host that left the swarm and came back keeps its containers running but off
    // the overlay, their address free for others; such an instance is put back like a moved one.
    if (inputs.engines && c.running && !seenIp) return { ...base, containerId: c.id, state: "moved" };
    // A pod instance one of whose containers stopped or went is down as a whole.
    if (inputs.pod && c.running && (membersUp.get(c.name) ?? 0) < inputs.pod.containers.length) return { ...base, containerId: c.id, state: "stopped" };
    const movedElsewhere = Object.entries(inst.ips ?? {}).find(([n, ip]) => c.running && c.addresses[dockerNetworkOf(inputs, n)] !== ip);
    if (movedElsewhere) return { ...base, containerId: c.id, state: "moved", observedIp: c.addresses[dockerNetworkOf(inputs, movedElsewhere[0])] ?? "" };
    if (c.running && (c.health === "unhealthy" || membersUnhealthy.has(c.name))) return { ...base, containerId: c.id, state: "unhealthy" };
    return { ...base, containerId: c.id, state: c.running ? "running" : "stopped" };
  });
  const known = new Set(previous.map((i) => i.container));
  const strays = containers.filter((c) => !known.has(c.name)).map((c) => c.name);
  return { instances, strays };
}

/** Brings stopped or missing instances back, each on its old address when it is still free. */
async function heal(inputs: ResolvedApp, instances: Instance[]): Promise<Instance[]> {
  const network = dockerNetworkOf(inputs);
  const out: Instance[] = [];
  const recreate: Instance[] = [];
  const restarted: Instance[] = [];
  for (const inst of instances) {
    if (inst.state === "running") out.push(inst);
    else if (inst.state === "moved" || inst.state === "unhealthy") {
      // Re-attached elsewhere by hand: put it back where the state says it lives. Failing its
      // health check: Marathon kills such a task and launches a new one.
      await removeInstance(inputs, inst);
      recreate.push(inst);
    } else if (inst.state === "stopped" && inputs.pod) {
      // A pod instance comes back whole: its holder and every container, on its old addresses.
      await removeInstance(inputs, inst);
      recreate.push(inst);
    } else if (inst.state === "stopped") {
      try {
        await withNetworkLock(network, () => onEngine(engineOf(inputs, inst.agent), () => restartContainer(inst.containerId, network, inst.ip)));
        restarted.push({ ...inst, state: "running" });
      } catch (err) {
        // Its address was taken while it was down: it gets a new one. Or its engine restarted and
        // the container's swarm-overlay attachment went with it (404 network not found): a new
        // container is attached afresh, on its old address.
        if (!(err instanceof AddressInUseError) && !staleNetworkAttachment(err)) throw err;
        await removeInstance(inputs, inst);
        recreate.push(inst);
      }
    } else recreate.push(inst);
  }
  const back: Instance[] = [...restarted];
  if (recreate.length > 0) {
    await prepareImages(inputs);
    await readyToProbe(inputs);
    const started = await runAddressed(
      network,
      recreate.map((inst) => requestFor(inputs, inst, inst.ip, inst.ips)),
      inputs.owner,
      allEngines(inputs),
    );
    recreate.forEach((inst, i) => back.push(toInstance(inputs, inst, started[i])));
  }
  out.push(...(await healthy(inputs, back)));
  return out.sort((a, b) => a.index - b.index);
}

/** Scale without changing the definition: survivors keep their containers and addresses. */
async function scale(inputs: ResolvedApp, current: Instance[], nextIndex: number): Promise<AppState> {
  const target = inputs.canonical.instances;
  const sorted = [...current].sort((a, b) => a.index - b.index);
  const removed = sorted.slice(target); // scale down removes the newest
  await Promise.all(removed.map((inst) => removeInstance(inputs, inst)));
  const kept = sorted.slice(0, target);
  const added = await startNew(inputs, kept, target - kept.length, nextIndex);
  return { instances: [...kept, ...added], nextIndex: nextIndex + added.length };
}

/**
 * Replace every instance with one of the new definition, never going below
 * ceil(instances × minimumHealthCapacity) running, nor above instances × (1 + maximumOverCapacity).
 * If the strategy allows no step at all (1 and 0), one old instance is stopped at a time.
 * With a health check (the app's, or a pod container's), each batch of new instances must be healthy before old ones stop, and old
 * ones are only stopped (parked) until the roll is done: if a new batch never turns healthy, the
 * new instances go and the parked ones start again on their addresses, so the app is as before
 * and the state (unchanged by the failed update) still describes it. Without one, a started
 * container counts as healthy and old instances are removed as they go.
 */
async function roll(inputs: ResolvedApp, current: Instance[], nextIndex: number): Promise<AppState> {
  const n = inputs.canonical.instances;
  const { minimumHealthCapacity, maximumOverCapacity } = inputs.canonical.upgradeStrategy;
  const minHealthy = Math.ceil(n * minimumHealthCapacity);
  const maxTotal = n + Math.floor(n * maximumOverCapacity);
  const keepForRollback = healthPlanFor(inputs.canonical) !== undefined || podHasHealthChecks(inputs);
  let old = [...current].sort((a, b) => a.index - b.index);
  const fresh: Instance[] = [];
  const parked: Instance[] = [];
  try {
    while (fresh.length < n || old.length > 0) {
      const canStart = Math.min(n - fresh.length, maxTotal - (old.length + fresh.length));
      if (canStart > 0) {
        const started = await startNew(inputs, fresh, canStart, nextIndex);
        nextIndex += started.length;
        fresh.push(...started);
      }
      let canStop = Math.min(old.length, old.length + fresh.length - minHealthy);
      if (canStart <= 0 && canStop <= 0) canStop = Math.min(1, old.length);
      const stopping = old.slice(0, Math.max(0, canStop));
      if (keepForRollback) {
        await Promise.all(stopping.map((inst) => (inputs.pod ? parkPodInstance(inputs, inst) : parkInstance(inst.containerId || inst.container))));
        parked.push(...stopping);
      } else {
        await Promise.all(stopping.map((inst) => removeInstance(inputs, inst)));
      }
      old = old.slice(stopping.length);
    }
  } catch (err) {
    if (!keepForRollback) throw err;
    const network = dockerNetworkOf(inputs);
    throw await undoRoll(network, fresh, parked, inputs.owner, err, inputs.pod ? (i) => unparkPodInstance(inputs, network, i) : undefined);
  }
  await Promise.all(parked.map((inst) => removeInstance(inputs, inst)));
  return { instances: fresh, nextIndex };
}

export async function updateApp(
  inputs: ResolvedApp,
  previous: AppState,
  definitionChanged: boolean,
): Promise<AppState> {
  await hostsReady(inputs);
  if (runsOnAgents(inputs)) return withVips(inputs, await updateHostApp(inputs, previous, definitionChanged), previous);
  const observed = await observe(inputs, previous.instances);
  if (inputs.engines && observed.strays.length > 0) {
    const strays = new Set(observed.strays);
    await Promise.all((await listOnHosts(inputs)).filter((x) => strays.has(x.c.name)).map((x) => onEngine(x.engine, () => removeContainer(x.c.id, inputs.owner, x.c))));
  } else await Promise.all(observed.strays.map((name) => removeContainer(name, inputs.owner)));
  // The image first: a pull that fails leaves every instance as it was.
  const starts = definitionChanged || observed.instances.some((i) => i.state !== "running") || inputs.canonical.instances > observed.instances.length;
  if (starts) await prepareImages(inputs);
  if (definitionChanged) {
    const live = observed.instances.filter((i) => i.state !== "missing");
    return withVips(inputs, await roll(inputs, live, previous.nextIndex), previous);
  }
  const healed = await heal(inputs, observed.instances);
  return withVips(inputs, await scale(inputs, healed, previous.nextIndex), previous);
}

/**
 * Removes every container of the app: those its labels name (the list carries their labels, so
 * no inspect each), and any instance of the state that the list did not show (checked first).
 */
export async function deleteApp(inputs: ResolvedApp, previous: AppState): Promise<void> {
  if (runsOnAgents(inputs)) {
    if (hasVips(inputs, previous)) await removeVipProxies(inputs.owner, inputs.canonical.id);
    return deleteHostApp(inputs, previous);
  }
  if (inputs.engines) return deleteOnHosts(inputs, previous);
  const all = await listAppContainers(inputs.owner, inputs.canonical.id, inputs.pod ? "pod" : "app");
  // A pod holder's removal takes its members along: they go on their own only if left without one.
  const labelled = all.filter((c) => c.labels[APP_LABELS.podMember] === undefined);
  const members = all.filter((c) => c.labels[APP_LABELS.podMember] !== undefined);
  const listed = new Set(labelled.flatMap((c) => [c.id, c.name]));
  const others = previous.instances.map((i) => i.containerId || i.container).filter((id) => !listed.has(id));
  await Promise.all([
    hasVips(inputs, previous) ? removeVipProxies(inputs.owner, inputs.canonical.id) : undefined,
    ...labelled.map((c) => removeContainer(c.id, inputs.owner, c)),
    ...[...new Set(others)].map((id) => removeContainer(id, inputs.owner)),
  ]);
  await Promise.all(members.map((m) => removeContainer(m.id, inputs.owner)));
}

/** deleteApp on several hosts: every host's containers of the app, and instances of the state not listed. */
async function deleteOnHosts(inputs: ResolvedApp, previous: AppState): Promise<void> {
  const labelled = await listOnHosts(inputs);
  const listed = new Set(labelled.flatMap((x) => [x.c.id, x.c.name]));
  const others = previous.instances.filter((i) => !listed.has(i.containerId || i.container));
  await Promise.all([
    ...labelled.map((x) => onEngine(x.engine, () => removeContainer(x.c.id, inputs.owner, x.c))),
    ...others.map((inst) => removeInstance(inputs, inst)),
  ]);
}
