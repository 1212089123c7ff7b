// A Marathon app on the local Docker cluster: one container per instance on the app's virtual
// network, each with its own address from its agent's half-block. Scaling keeps survivors (and
// their addresses); a changed definition rolls the instances within the app's upgradeStrategy;
// instances found stopped or missing are brought back, on their old address when it is free.
import { ResolvedApp } from "../../core/marathon/appInputs";
import { Placed, placeInstances } from "../../core/local/placement";
import {
  Half, commandFor, containerName, halfFor, halfRange, imageFor, instanceEnv,
} from "../../core/local/instanceSpec";
import { CanonicalApp } from "../../core/marathon/types";
import { AppState, Instance } from "../../core/local/instance";

export type { AppState, Instance };
import { AddressedRequest, runAddressed, withNetworkLock } from "./addressedRun";
import {
  APP_LABELS, AddressInUseError, ContainerState, listAppContainers, removeContainer, restartContainer,
} from "./containers";
import { EngineRef, distinctEngines, onEngine } from "./engines";
import { requireInSwarm } from "./swarm";

// A cluster of several Docker hosts: each agent's instances run on its host's engine. Without
// `engines` (one local engine) every helper below runs on DOCKER_HOST's engine, as before.
function engineOf(inputs: ResolvedApp, agent: string): EngineRef | undefined {
  return inputs.engines?.[agent] as EngineRef | undefined;
}

function allEngines(inputs: ResolvedApp): EngineRef[] | undefined {
  return inputs.engines ? distinctEngines(Object.values(inputs.engines) as EngineRef[]) : undefined;
}

/** Several hosts: all in the swarm before anything is changed (swarm.ts requireInSwarm). */
async function hostsReady(inputs: ResolvedApp): Promise<void> {
  const hosts = allEngines(inputs);
  if (hosts) await requireInSwarm(hosts);
}

/** The app's containers on every host, each with the engine it is on. */
async function listOnHosts(inputs: ResolvedApp): Promise<Array<{ c: ContainerState; engine?: EngineRef }>> {
  const hosts = allEngines(inputs);
  if (!hosts) return (await listAppContainers(inputs.owner, inputs.canonical.id)).map((c) => ({ c }));
  const lists = await Promise.all(hosts.map((e) => onEngine(e, () => listAppContainers(inputs.owner, inputs.canonical.id))));
  return lists.flatMap((list, k) => list.map((c) => ({ c, engine: hosts[k] })));
}

/** Removes an instance's container on its agent's host. */
function removeInstance(inputs: ResolvedApp, inst: Instance): Promise<void> {
  return onEngine(engineOf(inputs, inst.agent), () => removeContainer(inst.containerId || inst.container, inputs.owner));
}

function dockerNetworkOf(inputs: ResolvedApp): string {
  const name = inputs.networks[inputs.network]?.dockerNetwork;
  if (!name) throw new Error(`virtual network ${inputs.network} has no Docker network on this local cluster`);
  return name;
}

/** Plain env plus Marathon secret references resolved from the stack's secrets. */
function resolvedEnv(inputs: ResolvedApp): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(inputs.canonical.env)) {
    env[key] = typeof value === "string" ? value : inputs.secretEnv[inputs.app.secrets?.[value.secret]?.source ?? ""] ?? "";
  }
  return env;
}

function requestFor(inputs: ResolvedApp, placed: Placed, preferredIp?: string): AddressedRequest {
  const app: CanonicalApp = inputs.canonical;
  const name = containerName(inputs.owner.stack, app.id, placed.index);
  const half = halfFor(app);
  const range = halfRange(inputs.networks[inputs.network].agentSubnets[placed.agent] ?? {}, half);
  if (!range) throw new Error(`agent ${placed.agent} has no block in the ${inputs.network} overlay any more`);
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
      },
      network: dockerNetworkOf(inputs),
      aliases: inputs.aliases,
      memoryMb: app.mem,
      cpus: app.cpus,
      privileged: app.container?.docker?.privileged,
    },
    half: range,
    context: `${placed.agent}'s ${half === "docker" ? "Docker" : "Mesos"} half of the ${inputs.network} overlay`,
    preferredIp,
    engine: engineOf(inputs, placed.agent),
  };
}

function toInstance(inputs: ResolvedApp, placed: Placed, c: ContainerState): Instance {
  return {
    index: placed.index,
    agent: placed.agent,
    ip: c.addresses[dockerNetworkOf(inputs)] ?? "",
    container: c.name,
    containerId: c.id,
    half: halfFor(inputs.canonical),
    state: c.running ? "running" : "stopped",
  };
}

function agentsOf(inputs: ResolvedApp): string[] {
  return Object.keys(inputs.networks[inputs.network].agentSubnets);
}

/** Places and starts `count` new instances next to `existing`. */
async function startNew(inputs: ResolvedApp, existing: Placed[], count: number, firstIndex: number): Promise<Instance[]> {
  if (count <= 0) return [];
  const placement = placeInstances(agentsOf(inputs), inputs.canonical.constraints, existing, count, firstIndex);
  if (!placement.ok) throw new Error(placement.reason);
  const started = await runAddressed(
    dockerNetworkOf(inputs),
    placement.placed.map((p) => requestFor(inputs, p)),
    inputs.owner,
    allEngines(inputs),
  );
  return placement.placed.map((p, i) => toInstance(inputs, p, started[i]));
}

export async function createApp(inputs: ResolvedApp): Promise<AppState> {
  await hostsReady(inputs);
  const instances = await startNew(inputs, [], inputs.canonical.instances, 0);
  return { instances, nextIndex: instances.length };
}

/** The instances of the state as the engine has them now, and any stray containers of the app. */
export async function observe(inputs: ResolvedApp, previous: Instance[]): Promise<{ instances: Instance[]; strays: string[] }> {
  const containers = (await listOnHosts(inputs)).map((x) => x.c);
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
  for (const inst of instances) {
    if (inst.state === "running") out.push(inst);
    else if (inst.state === "moved") {
      // Re-attached elsewhere by hand: put it back where the state says it lives.
      await removeInstance(inputs, inst);
      recreate.push(inst);
    } else if (inst.state === "stopped") {
      try {
        await withNetworkLock(network, () => onEngine(engineOf(inputs, inst.agent), () => restartContainer(inst.containerId, network, inst.ip)));
        out.push({ ...inst, state: "running" });
      } catch (err) {
        if (!(err instanceof AddressInUseError)) throw err;
        await removeInstance(inputs, inst);
        recreate.push(inst); // its address was taken while it was down: it gets a new one
      }
    } else recreate.push(inst);
  }
  if (recreate.length > 0) {
    const started = await runAddressed(
      network,
      recreate.map((inst) => requestFor(inputs, inst, inst.ip)),
      inputs.owner,
      allEngines(inputs),
    );
    recreate.forEach((inst, i) => out.push(toInstance(inputs, inst, started[i])));
  }
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
 * (Locally, a started container counts as healthy.) If the strategy allows no step at all
 * (1 and 0), one old instance is stopped at a time.
 */
async function roll(inputs: ResolvedApp, current: Instance[], nextIndex: number): Promise<AppState> {
  const n = inputs.canonical.instances;
  const { minimumHealthCapacity, maximumOverCapacity } = inputs.canonical.upgradeStrategy;
  const minHealthy = Math.ceil(n * minimumHealthCapacity);
  const maxTotal = n + Math.floor(n * maximumOverCapacity);
  let old = [...current].sort((a, b) => a.index - b.index);
  const fresh: Instance[] = [];
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
    await Promise.all(stopping.map((inst) => removeInstance(inputs, inst)));
    old = old.slice(stopping.length);
  }
  return { instances: fresh, nextIndex };
}

export async function updateApp(
  inputs: ResolvedApp,
  previous: AppState,
  definitionChanged: boolean,
): Promise<AppState> {
  await hostsReady(inputs);
  const observed = await observe(inputs, previous.instances);
  const strays = new Set(observed.strays);
  if (strays.size > 0) await Promise.all((await listOnHosts(inputs)).filter((x) => strays.has(x.c.name)).map((x) => onEngine(x.engine, () => removeContainer(x.c.id, inputs.owner, x.c))));
  if (definitionChanged) {
    const live = observed.instances.filter((i) => i.state !== "missing");
    return roll(inputs, live, previous.nextIndex);
  }
  const healed = await heal(inputs, observed.instances);
  return scale(inputs, healed, previous.nextIndex);
}

/**
 * Removes every container of the app: those its labels name (the list carries their labels, so
 * no inspect each), and any instance of the state that the list did not show (checked first).
 */
export async function deleteApp(inputs: ResolvedApp, previous: AppState): Promise<void> {
  const labelled = await listOnHosts(inputs);
  const listed = new Set(labelled.flatMap((x) => [x.c.id, x.c.name]));
  const others = previous.instances.filter((i) => !listed.has(i.containerId || i.container));
  await Promise.all([
    ...labelled.map((x) => onEngine(x.engine, () => removeContainer(x.c.id, inputs.owner, x.c))),
    ...others.map((inst) => removeInstance(inputs, inst)),
  ]);
}
