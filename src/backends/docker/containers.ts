// App instance containers through the Engine API. Every container carries our ownership labels;
// one without them is never touched.
import { Owner, isOwnedBy, ownerLabels, OWNER_LABELS } from "../../core/local/dockerNetworkSpec";
import type Docker from "dockerode";
import { docker, engineCall, statusOf } from "./client";
import { HealthPlan, dockerHealthConfig } from "../../core/local/healthProbe";
import { releasingEndpoints } from "./endpointRelease";

/** Labels that tie a container to its app instance. */
export const APP_LABELS = {
  app: "io.dcos-vnet.app",
  instance: "io.dcos-vnet.instance",
  agent: "io.dcos-vnet.agent",
  network: "io.dcos-vnet.network",
  /** On a pod instance's holder container (it owns the addresses): "true". */
  podHolder: "io.dcos-vnet.pod-holder",
  /** On a pod's container: the name of its instance's holder, whose network namespace it joins. */
  podMember: "io.dcos-vnet.pod-member",
} as const;

/**
 * Labels saying what a container of ours is for: a task of an app or pod (the id), an agent (its
 * name), an app's VIP proxy (the app's id). A container holding a name we place under is reused
 * only when these are the same: two ids can map to one name, and one app's container is never
 * removed to place another's.
 */
export const ROLE_LABELS = { app: APP_LABELS.app, agent: "io.dcos-vnet.local-agent", vipOf: "io.dcos-vnet.vip-of" } as const;

/** Whose task a container runs: an app's, or a pod's (its holder or one of its containers). */
export type TaskKind = "app" | "pod";

/**
 * The kind of task a container of ours runs, undefined for one that runs none (an agent, a VIP
 * proxy). An app and a pod may have one id (two resources outside a DcosCluster): the pod labels,
 * which every pod container has carried since pods ran locally, keep their containers apart.
 */
export function taskKindOf(labels: Record<string, string>): TaskKind | undefined {
  if (labels[ROLE_LABELS.app] === undefined) return undefined;
  return labels[APP_LABELS.podHolder] !== undefined || labels[APP_LABELS.podMember] !== undefined ? "pod" : "app";
}

/** What a container of ours is, by its role labels (`app /shop/web`, `pod /shop/web`, `agent agent-1`, `the VIP proxy of app /shop/web`). */
export function roleOf(labels: Record<string, string>): string {
  if (labels[ROLE_LABELS.agent] !== undefined) return `agent ${labels[ROLE_LABELS.agent]}`;
  if (labels[ROLE_LABELS.vipOf] !== undefined) return `the VIP proxy of app ${labels[ROLE_LABELS.vipOf]}`;
  if (labels[ROLE_LABELS.app] !== undefined) return `${taskKindOf(labels)} ${labels[ROLE_LABELS.app]}`;
  return "no app or agent of ours";
}

function sameRole(a: Record<string, string>, b: Record<string, string>): boolean {
  return Object.values(ROLE_LABELS).every((key) => a[key] === b[key]) && taskKindOf(a) === taskKindOf(b);
}

export class ContainerNameTakenError extends Error {
  constructor(name: string, holder: Record<string, string>, wanted: Record<string, string>) {
    super(
      `Docker container "${name}" belongs to ${roleOf(holder)}, not to ${roleOf(wanted)}, which needs that name: ` +
        "it is never removed for another. Their names map to one container name (ids are written with '.' for '/' and " +
        "'-' for what Docker names do not allow); give one of them another name.",
    );
    this.name = "ContainerNameTakenError";
  }
}

/**
 * A container that holds the name `labels`' container needs, left by an interrupted run of ours:
 * removed; one of someone else's, or of ours for another app or agent, is refused (and kept).
 */
async function clearLeftover(name: string, labels: Record<string, string>, owner: Owner): Promise<void> {
  const existing = await inspectContainer(name);
  if (!existing) return;
  if (!isOwnedBy(existing.labels, owner)) throw new ContainerOwnershipError(name, owner);
  if (!sameRole(existing.labels, labels)) throw new ContainerNameTakenError(name, existing.labels, labels);
  await removeContainer(existing.id, owner, existing);
}

export interface ContainerSpec {
  name: string;
  image: string;
  /** Replaces the image's command (Marathon `cmd` → sh -c, or `args`). */
  cmd?: string[];
  entrypoint?: string[];
  env: Record<string, string>;
  labels: Record<string, string>;
  network: string;
  ip: string;
  aliases: string[];
  /** Further networks (a UCR app on several), each joined at its own address before the container starts. */
  moreNetworks?: Endpoint[];
  /** A pod instance: containers started, once this one runs, in its network namespace. */
  members?: MemberSpec[];
  hostname?: string;
  memoryMb?: number;
  cpus?: number;
  privileged?: boolean;
  /** Join another container's network namespace (`container:<id>`, a host-mode task in its agent) instead of `network`. */
  networkMode?: string;
  /** Extra HostConfig of agent containers (capabilities, sysctls). */
  capAdd?: string[];
  sysctls?: Record<string, string>;
  /** The app's health check, run by Docker as the container's HEALTHCHECK. */
  health?: HealthPlan;
  /** Named volumes to mount (the health probe tools). */
  mounts?: { Type: "volume"; Source: string; Target: string; ReadOnly: boolean }[];
}

/** A pod's container: joins its holder's network namespace (NetworkMode container:<holder>). */
export interface MemberSpec {
  name: string;
  image: string;
  cmd?: string[];
  env: Record<string, string>;
  labels: Record<string, string>;
  memoryMb?: number;
  cpus?: number;
  /** The pod container's healthCheck, run by Docker as its HEALTHCHECK (core/local/podHealth). */
  health?: HealthPlan;
  mounts?: ContainerSpec["mounts"];
}

/** One network a container joins, at a fixed address, answering to DNS aliases there. */
export interface Endpoint {
  network: string;
  ip: string;
  aliases: string[];
}

export interface ContainerState {
  id: string;
  name: string;
  running: boolean;
  /** "running", "exited", "created", … as the engine says. */
  status: string;
  labels: Record<string, string>;
  /** Address on each network, from the endpoint if running, else from its static IPAM config. */
  addresses: Record<string, string>;
  /** Docker's verdict of its HEALTHCHECK, when it has one. */
  health?: "starting" | "healthy" | "unhealthy";
}

export class AddressInUseError extends Error {
  constructor(readonly ip: string, readonly network: string) {
    super(`Address ${ip} is already in use on network ${network}`);
    this.name = "AddressInUseError";
  }
}

export class ContainerOwnershipError extends Error {
  constructor(name: string, owner: Owner) {
    super(
      `Docker container "${name}" exists and is not owned by project "${owner.project}" stack "${owner.stack}"; ` +
        "it is never adopted or deleted. Remove or rename it.",
    );
    this.name = "ContainerOwnershipError";
  }
}

/** From `inspect` (State is an object) or from a `list` entry (State is a word, Names a list). */
function toState(raw: any): ContainerState {
  const networks: Record<string, any> = raw.NetworkSettings?.Networks ?? {};
  const addresses: Record<string, string> = {};
  for (const [name, ep] of Object.entries<any>(networks)) {
    const ip = ep.IPAddress || ep.IPAMConfig?.IPv4Address;
    if (ip) addresses[name] = ip;
  }
  return {
    id: raw.Id,
    name: String(raw.Name ?? raw.Names?.[0] ?? "").replace(/^\//, ""),
    // A container between two runs of its restart policy still counts as running, as inspect says.
    running: raw.State?.Running ?? (raw.State === "running" || raw.State === "restarting"),
    status: raw.State?.Status ?? raw.State ?? "unknown",
    labels: raw.Config?.Labels ?? raw.Labels ?? {},
    addresses,
    ...healthOf(raw),
  };
}

/** inspect: State.Health.Status; list: the status text, e.g. "Up 2 minutes (unhealthy)". */
function healthOf(raw: any): Pick<ContainerState, "health"> {
  const word = raw.State?.Health?.Status ?? /\((healthy|unhealthy|health: starting)\)/.exec(String(raw.Status ?? ""))?.[1];
  if (word === "healthy" || word === "unhealthy") return { health: word };
  return word === "starting" || word === "health: starting" ? { health: "starting" } : {};
}

export async function inspectContainer(nameOrId: string): Promise<ContainerState | undefined> {
  try {
    return toState(await engineCall(`inspect container ${nameOrId}`, () => docker().getContainer(nameOrId).inspect()));
  } catch (err) {
    if (statusOf(err) === 404) return undefined;
    throw err;
  }
}

/**
 * Our containers of one app (any state), by labels. The list entries carry state, labels and
 * addresses already: no inspect per container (this runs in every diff).
 */
export async function listAppContainers(owner: Owner, appId: string, kind: TaskKind): Promise<ContainerState[]> {
  const label = [
    `${OWNER_LABELS.project}=${owner.project}`,
    `${OWNER_LABELS.stack}=${owner.stack}`,
    `${APP_LABELS.app}=${appId}`,
  ];
  const list = await engineCall("list containers", () => docker().listContainers({ all: true, filters: { label } }));
  // Only the app's, or only the pod's: the other kind's containers of the same id are never its strays.
  return list.map(toState).filter((c) => taskKindOf(c.labels) === kind);
}

/**
 * Addresses taken on a network: endpoints of running containers, plus the static addresses of
 * stopped containers attached to it (a stopped container gets its address back when restarted).
 */
export async function usedAddresses(network: string): Promise<string[]> {
  const used = new Set<string>();
  const net: any = await engineCall(`inspect network ${network}`, () => docker().getNetwork(network).inspect());
  for (const ep of Object.values<any>(net.Containers ?? {})) {
    const ip = String(ep.IPv4Address ?? "").split("/")[0];
    if (ip) used.add(ip);
  }
  const all = await engineCall("list containers", () =>
    docker().listContainers({ all: true, filters: { network: [network] } }),
  );
  for (const c of all) {
    const ep: any = (c.NetworkSettings?.Networks as any)?.[network];
    const ip = ep?.IPAMConfig?.IPv4Address || ep?.IPAddress;
    if (ip) used.add(ip);
  }
  if (net.IPAM?.Config?.[0]?.Gateway) used.add(net.IPAM.Config[0].Gateway);
  return [...used];
}

/**
 * The engine's 404 "network <id> not found" for a container whose network attachment is gone: a
 * swarm worker whose engine restarted keeps its containers' stale attachments to an overlay, and
 * starting one again fails so (seen in the several-hosts test); heal recreates such an instance.
 */
export function staleNetworkAttachment(err: unknown): boolean {
  return statusOf(err) === 404 && /network \S+ not found/i.test(String((err as Error)?.message));
}

/**
 * Creates and starts the container with its fixed address. Removes it again if the start fails.
 * Two Engine API calls when all goes well (create, start): the name is looked at only when the
 * engine says it is taken, and the state returned is what was asked for and started.
 */
export async function runContainer(spec: ContainerSpec, owner: Owner): Promise<ContainerState> {
  let container: Docker.Container;
  try {
    container = await createContainer(spec, owner);
  } catch (err) {
    if (statusOf(err) !== 409) throw err;
    // The name is taken: a leftover of an interrupted run of ours for the same app or agent goes; anything else is refused.
    await clearLeftover(spec.name, spec.labels, owner);
    container = await createContainer(spec, owner);
  }
  await connectMore(container, spec);
  await startCreated(container, spec);
  if (spec.members) await startMembers(container.id, spec, owner);
  return {
    id: container.id,
    name: spec.name,
    running: true,
    status: "running",
    labels: { ...spec.labels, ...ownerLabels(owner) },
    addresses: Object.fromEntries([[spec.network, spec.ip], ...(spec.moreNetworks ?? []).map((e) => [e.network, e.ip])]),
  };
}

/**
 * The engine's API (1.41) creates a container on one network; the others are joined while it is
 * still created, so it starts with every address. A container that cannot join is removed.
 */
async function connectMore(container: Docker.Container, spec: ContainerSpec): Promise<void> {
  for (const e of spec.moreNetworks ?? []) {
    try {
      await engineCall(`connect container ${spec.name} to ${e.network}`, () =>
        docker().getNetwork(e.network).connect({ Container: container.id, EndpointConfig: { IPAMConfig: { IPv4Address: e.ip }, Aliases: e.aliases } }),
      );
    } catch (err) {
      await engineCall(`remove container ${spec.name}`, () => container.remove({ force: true })).catch(() => undefined);
      if (/address already in use/i.test(String((err as Error).message))) throw new AddressInUseError(e.ip, e.network);
      throw err;
    }
  }
}

/**
 * Starts a pod instance's containers in its holder's network namespace. If one cannot start, the
 * holder is removed, and its members with it (removeContainer), so nothing half-made stays.
 */
async function startMembers(holderId: string, spec: ContainerSpec, owner: Owner): Promise<void> {
  try {
    for (const m of spec.members ?? []) {
      const labels = { ...m.labels, [APP_LABELS.podMember]: spec.name, ...ownerLabels(owner) };
      const create = () =>
        engineCall(`create container ${m.name}`, () =>
          docker().createContainer({
            name: m.name,
            Image: m.image,
            ...(m.cmd ? { Cmd: m.cmd } : {}),
            Env: Object.entries(m.env).map(([k, v]) => `${k}=${v}`),
            Labels: labels,
            HostConfig: {
              NetworkMode: `container:${holderId}`,
              RestartPolicy: { Name: "unless-stopped" },
              ...(m.memoryMb && m.memoryMb >= 6 ? { Memory: Math.round(m.memoryMb * 2 ** 20) } : {}),
              ...(m.cpus ? { NanoCpus: Math.round(m.cpus * 1e9) } : {}),
              ...(m.mounts ? { Mounts: m.mounts } : {}),
            },
            ...(m.health ? { Healthcheck: dockerHealthConfig(m.health, "127.0.0.1") } : {}),
          }),
        );
      let member: Docker.Container;
      try {
        member = await create();
      } catch (err) {
        if (statusOf(err) !== 409) throw err;
        await clearLeftover(m.name, labels, owner);
        member = await create();
      }
      await engineCall(`start container ${m.name}`, () => member.start());
    }
  } catch (err) {
    await removeContainer(holderId, owner);
    throw err;
  }
}

/** A pod holder's members, removed before the holder (their network namespace is its). */
async function removeMembers(holder: ContainerState, owner: Owner): Promise<void> {
  const label = [`${OWNER_LABELS.project}=${owner.project}`, `${OWNER_LABELS.stack}=${owner.stack}`, `${APP_LABELS.podMember}=${holder.name}`];
  const list = await engineCall("list containers", () => docker().listContainers({ all: true, filters: { label } }));
  await Promise.all(list.map(toState).map((m) => removeContainer(m.id, owner, m)));
}

function createContainer(spec: ContainerSpec, owner: Owner): Promise<Docker.Container> {
  return engineCall(`create container ${spec.name}`, () =>
    docker().createContainer({
      name: spec.name,
      Image: spec.image,
      ...(spec.cmd ? { Cmd: spec.cmd } : {}),
      ...(spec.entrypoint ? { Entrypoint: spec.entrypoint } : {}),
      Env: Object.entries(spec.env).map(([k, v]) => `${k}=${v}`),
      Labels: { ...spec.labels, ...ownerLabels(owner) },
      ...(spec.networkMode ? {} : { Hostname: spec.hostname }),
      HostConfig: {
        NetworkMode: spec.networkMode ?? spec.network,
        ...(spec.capAdd ? { CapAdd: spec.capAdd } : {}),
        ...(spec.sysctls ? { Sysctls: spec.sysctls } : {}),
        // Marathon relaunches tasks that end; a container stopped or killed by hand stays down
        // (that is drift, seen by refresh) — Docker's unless-stopped does exactly this.
        RestartPolicy: { Name: "unless-stopped" },
        ...(spec.memoryMb && spec.memoryMb >= 6 ? { Memory: Math.round(spec.memoryMb * 2 ** 20) } : {}),
        ...(spec.cpus ? { NanoCpus: Math.round(spec.cpus * 1e9) } : {}),
        ...(spec.privileged ? { Privileged: true } : {}),
        ...(spec.mounts ? { Mounts: spec.mounts } : {}),
      },
      ...(spec.health ? { Healthcheck: dockerHealthConfig(spec.health, spec.ip) } : {}),
      // A container in another's network namespace has no endpoint (nor hostname) of its own.
      NetworkingConfig: spec.networkMode
        ? {}
        : { EndpointsConfig: { [spec.network]: { IPAMConfig: { IPv4Address: spec.ip }, Aliases: spec.aliases } } },
    }),
  );
}

/** Starts a container just created for `spec`; if it cannot start, it is removed (or the error says why not). */
async function startCreated(container: Docker.Container, spec: ContainerSpec): Promise<void> {
  try {
    await startContainer(spec.name, () => container.start());
  } catch (err) {
    // The created container must go too; if the engine refuses, say so rather than leave it unseen.
    const removal = await engineCall(`remove container ${spec.name}`, () => container.remove({ force: true })).then(
      () => undefined,
      (e: unknown) => (statusOf(e) === 404 ? undefined : (e as Error)),
    );
    if (removal) {
      throw new Error(
        `${String((err as Error).message).trim()}; and container "${spec.name}" (${container.id.slice(0, 12)}), created for it, ` +
          `could not be removed: ${removal.message.trim()}; remove it with \`docker rm -f ${spec.name}\``,
      );
    }
    if (/address already in use/i.test(String((err as Error).message))) throw new AddressInUseError(spec.ip, spec.network);
    throw err;
  }
}

/** How many times a start is tried while a swarm manager hands out the overlay attachment too late. */
const ATTACH_TRIES = 3;

/**
 * Starts a container. On a swarm overlay the worker asks the manager for the network attachment at
 * start; a manager busy right after the swarm formed can answer too late (500 "attaching to network
 * failed, … context deadline exceeded" after ~30 s, seen in the several-hosts test on a 2-core
 * machine), and the container stays created: the start is asked again, at most ATTACH_TRIES times
 * in all. Any other failure is thrown at once.
 */
export async function startContainer(name: string, start: () => Promise<unknown>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await engineCall(`start container ${name}`, start);
      return;
    } catch (err) {
      if (attempt >= ATTACH_TRIES || !attachmentTimedOut(err)) throw err;
    }
  }
}

/** The engine's words when a swarm manager did not hand out a container's overlay attachment in time. */
export function attachmentTimedOut(err: unknown): boolean {
  const message = String((err as Error)?.message);
  return /attaching to network failed/i.test(message) && /context deadline exceeded/i.test(message);
}

/** Starts a stopped container of ours again (same address); AddressInUseError if it was taken. */
export async function restartContainer(id: string, network: string, ip: string): Promise<void> {
  try {
    await startContainer(id, () => docker().getContainer(id).start());
  } catch (err) {
    if (statusOf(err) === 304) return; // already running
    if (/address already in use/i.test(String((err as Error).message))) throw new AddressInUseError(ip, network);
    throw err;
  }
}

/**
 * Removes a container of ours; already gone is fine; someone else's is refused. `seen` (from a
 * list or inspect just made) saves asking the engine for its labels again.
 */
export async function removeContainer(id: string, owner: Owner, seen?: ContainerState): Promise<void> {
  const existing = seen ?? (await inspectContainer(id));
  if (!existing) return;
  if (!isOwnedBy(existing.labels, owner)) throw new ContainerOwnershipError(existing.name, owner);
  if (existing.labels[APP_LABELS.podHolder] === "true") await removeMembers(existing, owner);
  try {
    // Its endpoints are released one network at a time (endpointRelease.ts: dockerd loses count otherwise).
    await releasingEndpoints(Object.keys(existing.addresses), () =>
      engineCall(`remove container ${existing.name}`, () => docker().getContainer(id).remove({ force: true })),
    );
  } catch (err) {
    if (statusOf(err) !== 404) throw err;
  }
}
