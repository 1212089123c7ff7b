// A local cluster spread over several Docker hosts: its virtual networks are swarm-scoped overlay
// networks (VXLAN between the hosts, as DC/OS's overlay), created through a manager, attachable so
// each instance is a plain container started on its agent's host with its fixed address.
//
// The swarm: with mode "form" this project inits it on the first host and joins the others with
// the worker token; a host already in a swarm must be in the same one (nothing of another swarm is
// changed). With "existing" the hosts must already be one swarm with a manager among them; the
// swarm is never changed beyond this project's own labelled networks.
import { DockerNetworkSpec, Owner, isOwnedBy, ownerLabels, swarmOverlayOptions } from "../../core/local/dockerNetworkSpec";
import { parseCidr, formatAddress, lastAddress } from "../../core/ip/cidr";
import { docker, engineCall, statusOf } from "./client";
import { EngineRef, onEngine } from "./engines";
import { NetworkOwnershipError, NetworkState, inspectNetwork, overlapMessage } from "./networks";
import { attachedContainers, removeOnceReleased } from "./networkRemoval";

export interface SwarmHost extends EngineRef {
  advertiseAddr?: string;
}

export interface SwarmTarget {
  mode: "form" | "existing";
  /** In config order: the first is the manager a formed swarm is initialised on. */
  hosts: SwarmHost[];
}

interface NodeInfo {
  state: string;
  nodeId: string;
  isManager: boolean;
  error?: string;
}

async function nodeInfo(host: SwarmHost): Promise<NodeInfo> {
  const info: any = await onEngine(host, () => engineCall("read the engine's swarm state (docker info)", () => docker().info()));
  const s = info.Swarm ?? {};
  return { state: s.LocalNodeState ?? "inactive", nodeId: s.NodeID ?? "", isManager: Boolean(s.ControlAvailable), error: s.Error };
}

// One swarm formation at a time in this process: a stack's networks are created concurrently, and
// a second init or join while the first is pending would find a half-formed swarm.
let forming: Promise<unknown> = Promise.resolve();

/** Brings the hosts into one swarm (mode form) or checks that they are one (existing); returns a manager. */
export function ensureSwarm(target: SwarmTarget): Promise<SwarmHost> {
  const run = forming.then(() => ensureSwarmNow(target), () => ensureSwarmNow(target));
  forming = run.catch(() => undefined);
  return run;
}

async function ensureSwarmNow(target: SwarmTarget): Promise<SwarmHost> {
  const infos = await Promise.all(target.hosts.map(nodeInfo));
  let manager: SwarmHost | undefined;
  if (target.mode === "form") {
    manager = target.hosts[0];
    if (infos[0].state === "inactive") {
      const addr = requireAdvertise(manager);
      await onEngine(manager, () =>
        engineCall("init the swarm (docker swarm init)", () => docker().swarmInit({ ListenAddr: `${addr}:2377`, AdvertiseAddr: addr })),
      );
      infos[0] = await nodeInfo(manager);
    } else if (!infos[0].isManager) {
      throw new Error(`host ${manager.host} (${manager.docker}) is in a swarm as a worker (${infos[0].state}); swarm: form needs it to be the manager, or use swarm: existing`);
    }
  } else {
    const k = infos.findIndex((i) => i.isManager);
    if (k < 0) throw new Error(`swarm: existing needs a swarm manager among the hosts; none of ${target.hosts.map((h) => h.host).join(", ")} is one (swarm states: ${infos.map((i, j) => `${target.hosts[j].host} ${i.state}`).join(", ")})`);
    manager = target.hosts[k];
  }
  const members = new Set(
    (await onEngine(manager, () => engineCall("list the swarm's nodes", () => docker().listNodes()))).map((n: any) => n.ID as string),
  );
  let token: string | undefined;
  for (let i = 0; i < target.hosts.length; i++) {
    const host = target.hosts[i];
    if (host === manager) continue;
    const info = infos[i];
    if (info.state === "active" && members.has(info.nodeId)) continue;
    if (info.state !== "inactive" || target.mode === "existing") {
      throw new Error(
        `host ${host.host} (${host.docker}) is not a node of the swarm managed by host ${manager.host} (its swarm state: ${info.state}${info.error ? `, ${info.error}` : ""}); ` +
          (target.mode === "existing"
            ? "join it to that swarm (docker swarm join) or use swarm: form with hosts outside any swarm"
            : "it is in another swarm, which this project never changes: run `docker swarm leave` on it first"),
      );
    }
    token ??= ((await onEngine(manager, () => engineCall("read the swarm's join token", () => docker().swarmInspect()))) as any).JoinTokens.Worker;
    const addr = requireAdvertise(host);
    const managerAddr = requireAdvertise(manager);
    await onEngine(host, () =>
      engineCall(`join the swarm of host ${manager!.host} (docker swarm join)`, () =>
        docker().swarmJoin({ ListenAddr: `${addr}:2377`, AdvertiseAddr: addr, RemoteAddrs: [`${managerAddr}:2377`], JoinToken: token }),
      ),
    );
  }
  return manager;
}

function requireAdvertise(host: SwarmHost): string {
  if (host.advertiseAddr) return host.advertiseAddr;
  const url = new URL(host.docker);
  if (url.protocol === "tcp:") return url.hostname;
  throw new Error(`host ${host.host} needs advertiseAddr (the address the other hosts reach it at) to form a swarm`);
}

/**
 * The range the engines' own dynamic addresses come from (each host's load-balancer endpoint on the
 * network): the subnet's top /28, the last addresses any agent's half hands out. Instances always
 * get explicit addresses, and those endpoints are read as used (usedAddressesOnEngines) anyway.
 */
export function dynamicRange(subnet: string): string | undefined {
  const p = parseCidr(subnet);
  if (!p.ok || p.value.family !== 4 || p.value.prefix > 24) return undefined;
  return `${formatAddress(4, lastAddress(p.value) - 15n)}/28`;
}

/** The overlay network as the manager has it. */
export async function inspectOverlay(target: SwarmTarget, nameOrId: string): Promise<NetworkState | undefined> {
  const manager = await managerOf(target);
  return onEngine(manager, () => inspectNetwork(nameOrId));
}

async function managerOf(target: SwarmTarget): Promise<SwarmHost> {
  if (target.mode === "form") return target.hosts[0];
  const infos = await Promise.all(target.hosts.map(nodeInfo));
  const k = infos.findIndex((i) => i.isManager);
  if (k < 0) throw new Error(`no swarm manager among the hosts ${target.hosts.map((h) => h.host).join(", ")}`);
  return target.hosts[k];
}

/** Creates the overlay network through a manager, forming the swarm first if asked to; a network of that name not ours is refused. */
export async function createOverlayNetwork(spec: DockerNetworkSpec, owner: Owner, target: SwarmTarget): Promise<NetworkState> {
  const manager = await ensureSwarm(target);
  return onEngine(manager, async () => {
    const existing = await inspectNetwork(spec.name);
    if (existing) {
      if (!isOwnedBy(existing.labels, owner)) throw new NetworkOwnershipError(spec.name, existing.labels, owner);
      if (existing.subnet === spec.subnet) return existing;
      throw new Error(`Docker network "${spec.name}" of this stack exists with other settings (subnet ${existing.subnet}); run \`pulumi refresh\`, then \`pulumi up\``);
    }
    const list = await engineCall("list networks", () => docker().listNetworks());
    const clash = list.filter((n: any) => n.Name !== spec.name && (n.IPAM?.Config ?? []).some((c: any) => c.Subnet === spec.subnet));
    if (clash.length > 0) {
      throw new Error(overlapMessage(spec.name, spec.subnet, clash.map((n: any) => ({ name: n.Name, subnet: spec.subnet, stack: n.Labels?.["io.dcos-vnet.stack"] }))));
    }
    const range = dynamicRange(spec.subnet);
    await engineCall(`create overlay network ${spec.name} on host ${manager.host}`, () =>
      docker().createNetwork({
        Name: spec.name,
        CheckDuplicate: true,
        Driver: "overlay",
        Attachable: true,
        IPAM: { Driver: "default", Config: [{ Subnet: spec.subnet, ...(spec.gateway ? { Gateway: spec.gateway } : {}), ...(range ? { IPRange: range } : {}) }] },
        Options: swarmOverlayOptions(spec),
        Labels: { ...spec.labels, ...ownerLabels(owner) },
      }),
    );
    const created = await inspectNetwork(spec.name);
    if (!created) throw new Error(`overlay network "${spec.name}" vanished right after it was created on host ${manager.host}`);
    return created;
  });
}

/**
 * Removes our overlay network through a manager; someone else's is refused; gone already is fine.
 * A container attached on the manager's engine is named at once (networkRemoval.ts); the swarm
 * drops a removed container's network attachment a moment after the container is gone ("is in use
 * by task …"): that is waited for, bounded, rather than fail the destroy.
 */
export async function removeOverlay(target: SwarmTarget, id: string, name: string, owner: Owner): Promise<void> {
  const manager = await managerOf(target);
  await onEngine(manager, async () => {
    const existing = await inspectNetwork(id);
    if (!existing) return;
    if (!isOwnedBy(existing.labels, owner)) throw new NetworkOwnershipError(name, existing.labels, owner);
    try {
      await removeOnceReleased(
        name,
        owner,
        () => engineCall(`remove overlay network ${name}`, () => docker().getNetwork(existing.id).remove()),
        () => attachedContainers(existing.id),
        { boundMs: 60_000, releasing: (err) => /is in use by task/.test(String((err as Error)?.message)) },
      );
    } catch (err) {
      if (statusOf(err) !== 404) throw err;
    }
  });
}

/**
 * Every host is in the swarm, else an error naming the first that is not. Checked before an app
 * changes anything: a host that left the swarm (or never joined) would start its instances off
 * the overlay, and its running ones are cut off from it.
 */
export async function requireInSwarm(engines: EngineRef[]): Promise<void> {
  const states = await Promise.all(
    engines.map((e) => onEngine(e, async () => ((await engineCall("read the engine's swarm state (docker info)", () => docker().info())) as any).Swarm?.LocalNodeState as string | undefined)),
  );
  const k = states.findIndex((s) => s !== "active");
  if (k < 0) return;
  const e = engines[k];
  throw new Error(
    `host ${e.host} (${e.docker}) is not in the swarm (its swarm state: ${states[k] ?? "unknown"}): its instances cannot be on the overlay, ` +
      "and nothing was changed. Join it to the swarm again (docker swarm join), then run `pulumi up --refresh`",
  );
}

/**
 * Addresses taken on an overlay network, over every host: the endpoints each engine shows (its
 * containers and its load-balancer endpoint) and the fixed addresses of its stopped containers.
 * A host whose engine does not answer fails the read, naming the host: an address is never chosen
 * without seeing every host. (The swarm's IPAM refuses a duplicate too, but only after a long
 * timeout and without saying so, so this read is what keeps addresses unique.)
 */
export async function usedAddressesOnEngines(network: string, engines: EngineRef[]): Promise<string[]> {
  const used = new Set<string>();
  await Promise.all(
    engines.map((e) =>
      onEngine(e, async () => {
        try {
          const net: any = await engineCall(`inspect network ${network}`, () => docker().getNetwork(network).inspect());
          for (const ep of Object.values<any>(net.Containers ?? {})) {
            const ip = String(ep.IPv4Address ?? "").split("/")[0];
            if (ip) used.add(ip);
          }
          if (net.IPAM?.Config?.[0]?.Gateway) used.add(net.IPAM.Config[0].Gateway);
        } catch (err) {
          if (statusOf(err) !== 404) throw err; // a worker sees the network only once a container of its is on it
        }
        const all = await engineCall("list containers", () => docker().listContainers({ all: true }));
        for (const c of all) {
          const ep: any = (c.NetworkSettings?.Networks as any)?.[network];
          const ip = ep?.IPAMConfig?.IPv4Address || ep?.IPAddress;
          if (ip) used.add(ip);
        }
      }),
    ),
  );
  return [...used];
}

