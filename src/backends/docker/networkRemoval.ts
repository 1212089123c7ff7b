// Removing a Docker network of ours (a bridge, or a swarm overlay through a manager): what may
// stand in the way and what the user is told to do about it. A container still attached is never
// disconnected or removed here, whoever owns it: it is named, with what to do, and the removal
// stops. Only the engine's own bookkeeping of containers already removed is waited for.
import { Owner, isOwnedBy, OWNER_LABELS } from "../../core/local/dockerNetworkSpec";
import { docker, engineCall, statusOf } from "./client";
import { roleOf } from "./containers";

/** A container that exists and is attached to the network (running or not). */
export interface AttachedContainer {
  id: string;
  name: string;
  labels: Record<string, string>;
  /** The engine's state: running, exited, created, restarting … */
  state: string;
}

/**
 * The containers attached to the network that exist, stopped ones included: a stopped container
 * has no endpoint, and the engine would remove the network under it, after which it can never
 * start again. An endpoint the engine still lists for a container that no longer exists is not
 * one of them (its release is what removeOnceReleased waits for).
 */
export async function attachedContainers(networkId: string): Promise<AttachedContainer[]> {
  const list = await engineCall("list the containers on the network", () =>
    docker().listContainers({ all: true, filters: { network: [networkId] } }),
  );
  return list.map((c) => ({ id: c.Id, name: String(c.Names?.[0] ?? c.Id).replace(/^\//, ""), labels: c.Labels ?? {}, state: c.State }));
}

/** One attached container, as the user reads it: whose it is, and what to do about it. */
function describe(network: string, c: AttachedContainer, owner: Owner): string {
  const seen = `Container "${c.name}" (id ${c.id.slice(0, 12)}, ${c.state})`;
  const disconnect = `docker network disconnect ${network} ${c.name}`;
  if (isOwnedBy(c.labels, owner)) {
    return (
      `${seen} is this stack's (${roleOf(c.labels)}), but no resource in the stack's state holds it any more ` +
      `(left by an interrupted run): remove it (docker rm -f ${c.name}).`
    );
  }
  const whose = c.labels[OWNER_LABELS.stack] !== undefined
    ? `belongs to project "${c.labels[OWNER_LABELS.project]}" stack "${c.labels[OWNER_LABELS.stack]}" (${roleOf(c.labels)}), not to this stack`
    : "is not managed by this stack (it has no pulumi-dcos-vnet ownership labels)";
  const there = c.labels[OWNER_LABELS.stack] !== undefined ? `, or remove it from stack "${c.labels[OWNER_LABELS.stack]}"` : `, or remove it (docker rm -f ${c.name}) if it is yours to remove`;
  return `${seen} ${whose}: disconnect it (${disconnect})${there}.`;
}

/** The network cannot go while these containers are on it; what each is, and what to do. */
export class AttachedContainersError extends Error {
  constructor(network: string, attached: AttachedContainer[], owner: Owner) {
    const n = attached.length;
    super(
      `Docker network "${network}" was not removed: ${n} container${n === 1 ? " is" : "s are"} still attached to it, ` +
        `and ${n === 1 ? "it was" : "they were"} left as ${n === 1 ? "it is" : "they are"}. ` +
        attached.map((c) => describe(network, c, owner)).join(" ") +
        " Then run the same pulumi command again.",
    );
    this.name = "AttachedContainersError";
  }
}

/** The engine's refusal to remove a network it still counts endpoints on (403 "… has active endpoints"). */
export function hasActiveEndpoints(err: unknown): boolean {
  return statusOf(err) === 403 && /has active endpoints/.test(String((err as Error)?.message));
}

/**
 * The engine still refuses after the bound with no container attached. For "has active endpoints"
 * that is dockerd's count of the network's endpoints gone wrong (endpointRelease.ts says when):
 * it stays wrong until dockerd restarts, which recounts (seen in its log as "Fixing inconsistent
 * endpoint_cnt"), and no API call corrects it.
 */
function stillRefused(network: string, boundMs: number, err: unknown): string {
  const head = `Docker network "${network}" was not removed: no container is attached to it, but after ${boundMs / 1000} s the engine still refuses (${String((err as Error)?.message).trim()}). `;
  if (!hasActiveEndpoints(err)) return head + "Run the same pulumi command again once the engine has released it.";
  return (
    head +
    "dockerd's count of the network's endpoints is wrong (it loses count when many are released at once) and stays so until dockerd restarts, " +
    "which recounts them: restart dockerd (e.g. sudo systemctl restart docker), then run the same pulumi command again."
  );
}

export interface ReleaseWait {
  /** How long the engine may keep counting endpoints of removed containers. */
  boundMs?: number;
  pollMs?: number;
  /** Other refusals that mean the same on this kind of network (a swarm overlay's "is in use by task"). */
  releasing?: (err: unknown) => boolean;
}

/**
 * Removes a network whose containers were just removed. Any container still attached stops it at
 * once, named (AttachedContainersError). Otherwise the removal is asked; refused with no container
 * attached (403 "has active endpoints"), it is asked again, bounded, in case the engine is still
 * releasing an endpoint. Every such refusal measured on the tests' engine was a count dockerd had
 * lost for good (endpointRelease.ts), which no wait clears: past the bound the error says so and
 * what corrects it. Any other failure is thrown at once.
 */
export async function removeOnceReleased(
  network: string,
  owner: Owner,
  remove: () => Promise<void>,
  attached: () => Promise<AttachedContainer[]>,
  { boundMs = 15_000, pollMs = 250, releasing = () => false }: ReleaseWait = {},
): Promise<void> {
  const first = await attached();
  if (first.length > 0) throw new AttachedContainersError(network, first, owner);
  const deadline = Date.now() + boundMs;
  for (;;) {
    try {
      return await remove();
    } catch (err) {
      if (!hasActiveEndpoints(err) && !releasing(err)) throw err;
      const now = await attached();
      if (now.length > 0) throw new AttachedContainersError(network, now, owner);
      if (Date.now() >= deadline) throw new Error(stillRefused(network, boundMs, err));
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }
}
