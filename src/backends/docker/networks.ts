// Docker user-defined networks through the Engine API, with ownership checks: a network we did not
// create (no ownership labels for this project and stack) is never adopted, changed or deleted.
import {
  DockerNetworkSpec,
  Owner,
  bridgeOptions,
  isOwnedBy,
  ownerLabels,
  OWNER_LABELS,
} from "../../core/local/dockerNetworkSpec";
import { docker, engineCall, statusOf } from "./client";
import { parseCidr } from "../../core/ip/cidr";
import { findOverlaps } from "../../core/ip/overlap";
import { attachedContainers, removeOnceReleased } from "./networkRemoval";

/** What the engine reports about a network, reduced to what we manage. */
export interface NetworkState {
  id: string;
  name: string;
  subnet?: string;
  gateway?: string;
  bridgeName?: string;
  mtu?: number;
  ipMasquerade: boolean;
  labels: Record<string, string>;
  /** Attached containers: id → IPv4 address (without prefix). */
  endpoints: Record<string, string>;
  /** A swarm overlay created with Docker's `encrypted` option. */
  encrypted?: boolean;
}

export class NetworkOwnershipError extends Error {
  constructor(name: string, labels: Record<string, string> | undefined, owner: Owner) {
    const mark = labels?.[OWNER_LABELS.managedBy]
      ? `it belongs to project "${labels[OWNER_LABELS.project]}" stack "${labels[OWNER_LABELS.stack]}"`
      : "it has no pulumi-dcos-vnet ownership labels";
    super(
      `Docker network "${name}" already exists and is not owned by project "${owner.project}" ` +
        `stack "${owner.stack}" (${mark}); it is never adopted or deleted. ` +
        "Remove or rename it, or rename the virtual network.",
    );
    this.name = "NetworkOwnershipError";
  }
}

export async function inspectNetwork(nameOrId: string): Promise<NetworkState | undefined> {
  try {
    const raw = await engineCall(`inspect network ${nameOrId}`, () =>
      docker().getNetwork(nameOrId).inspect(),
    );
    return toState(raw);
  } catch (err) {
    if (statusOf(err) === 404) return undefined;
    throw err;
  }
}

function toState(raw: any): NetworkState {
  const ipam = raw.IPAM?.Config?.[0] ?? {};
  const options: Record<string, string> = raw.Options ?? {};
  const endpoints: Record<string, string> = {};
  for (const [id, ep] of Object.entries<any>(raw.Containers ?? {})) {
    endpoints[id] = String(ep.IPv4Address ?? "").split("/")[0];
  }
  const mtu = options["com.docker.network.driver.mtu"];
  return {
    id: raw.Id,
    name: raw.Name,
    subnet: ipam.Subnet,
    gateway: ipam.Gateway,
    bridgeName: options["com.docker.network.bridge.name"],
    mtu: mtu === undefined ? undefined : Number(mtu),
    ipMasquerade: options["com.docker.network.bridge.enable_ip_masquerade"] !== "false",
    labels: raw.Labels ?? {},
    endpoints,
    ...("encrypted" in options ? { encrypted: true } : {}),
  };
}

/**
 * Creates the network. If one of that name exists and carries our ownership labels for this
 * project and stack with the same subnet (left behind by an interrupted `pulumi up` whose state
 * was never written), it is taken back instead of failing; anything else of that name is refused.
 */
export async function createNetwork(spec: DockerNetworkSpec, owner: Owner): Promise<NetworkState> {
  const existing = await inspectNetwork(spec.name);
  if (existing) {
    if (!isOwnedBy(existing.labels, owner)) {
      throw new NetworkOwnershipError(spec.name, existing.labels, owner);
    }
    // Labels are not compared: the engine keeps a network's labels of creation (see relabelNetwork).
    if (existing.subnet === spec.subnet) return existing;
    throw new Error(
      `Docker network "${spec.name}" of this stack exists with other settings ` +
        `(subnet ${existing.subnet}); run \`pulumi refresh\` so the state sees it, then \`pulumi up\``,
    );
  }
  const overlaps = await overlappingNetworks(spec.name, spec.subnet);
  if (overlaps.length > 0) throw new Error(overlapMessage(spec.name, spec.subnet, overlaps));
  await engineCall(`create network ${spec.name}`, () =>
    docker().createNetwork({
      Name: spec.name,
      CheckDuplicate: true,
      Driver: "bridge",
      Attachable: true,
      IPAM: {
        Driver: "default",
        Config: [{ Subnet: spec.subnet, ...(spec.gateway ? { Gateway: spec.gateway } : {}) }],
      },
      Options: bridgeOptions(spec),
      Labels: { ...spec.labels, ...ownerLabels(owner) },
    }),
  );
  const created = await inspectNetwork(spec.name);
  if (!created) throw new Error(`Docker network "${spec.name}" vanished right after it was created`);
  return created;
}

/**
 * Networks on the engine (other than `name` itself) whose subnet overlaps `subnet`: Docker refuses
 * a second network on an overlapping address space ("Pool overlaps with other one on this address
 * space"), so this names the one in the way before anything is tried.
 */
export async function overlappingNetworks(name: string, subnet: string): Promise<Array<{ name: string; subnet: string; stack?: string }>> {
  const wanted = parseCidr(subnet);
  if (!wanted.ok) return [];
  const list = await engineCall("list networks", () => docker().listNetworks());
  const out: Array<{ name: string; subnet: string; stack?: string }> = [];
  for (const n of list) {
    if (n.Name === name) continue;
    for (const c of (n.IPAM?.Config ?? []) as Array<{ Subnet?: string }>) {
      const other = c.Subnet ? parseCidr(c.Subnet) : undefined;
      if (other?.ok && findOverlaps([{ name: "a", cidr: wanted.value }, { name: "b", cidr: other.value }]).length > 0) {
        out.push({ name: n.Name, subnet: c.Subnet!, stack: n.Labels?.[OWNER_LABELS.stack] });
      }
    }
  }
  return out;
}

export function overlapMessage(name: string, subnet: string, others: Array<{ name: string; subnet: string; stack?: string }>): string {
  const list = others.map((o) => `"${o.name}" (${o.subnet}${o.stack ? `, stack ${o.stack}` : ""})`).join(", ");
  return `Docker network "${name}" (${subnet}) overlaps ${list} on this engine: Pool overlaps with other one on this address space. ` +
    "Give the virtual network a subnet of its own, or share that network (external: true)";
}

/**
 * Deletes the network if it is ours; a network already gone is fine (delete is idempotent). A
 * container still attached, ours or not, stops it, named with what to do (networkRemoval.ts).
 */
export async function removeNetwork(id: string, name: string, owner: Owner): Promise<void> {
  const existing = await inspectNetwork(id);
  if (!existing) return;
  if (!isOwnedBy(existing.labels, owner)) {
    throw new NetworkOwnershipError(name, existing.labels, owner);
  }
  try {
    await removeOnceReleased(
      name,
      owner,
      () => engineCall(`remove network ${name}`, () => docker().getNetwork(existing.id).remove()),
      () => attachedContainers(existing.id),
    );
  } catch (err) {
    if (statusOf(err) !== 404) throw err;
  }
}

/**
 * Applies a label change, and touches no container.
 *
 * Docker network labels are immutable: the only way to change them is to remove the network and
 * create it again, which detaches every container. Doing that (disconnect, remove, create,
 * reconnect) left containers detached whenever a step failed part-way, and a stopped container
 * (not listed among the network's endpoints) kept pointing at the removed network, so it could never
 * start again. So a network is never re-created for a label change: the engine keeps the labels it
 * was created with (ownership labels included), and the declared labels live in the Pulumi state
 * (the resource's `labels` output). Re-creating only when no container is attached was rejected:
 * another stack sharing the network (external: true) can create a container between the check and
 * the removal. To get new labels onto the engine, replace the network while no app is on it.
 *
 * Compatible with the provider's update: same arguments, and it returns the network as it is. A
 * network removed behind our back is created anew, with the new labels (no container can be on it).
 */
export async function relabelNetwork(id: string, spec: DockerNetworkSpec, owner: Owner): Promise<NetworkState> {
  const existing = await inspectNetwork(id);
  if (!existing) return createNetwork(spec, owner);
  if (!isOwnedBy(existing.labels, owner)) throw new NetworkOwnershipError(spec.name, existing.labels, owner);
  return existing;
}
