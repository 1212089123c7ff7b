// Starting app instances with addresses of their own, never a duplicate. The Docker engine is the
// source of truth for what is used: the addresses in use are read from the engine, the core
// allocator picks the lowest free ones in each instance's half-block, and the containers are
// created with exactly those. One provider process handles all of a stack's apps, so within it a
// per-network lock covers only the choice: the addresses chosen are held as reservations until
// their containers have started (the engine shows them from then on) or failed, and the next
// choice on that network skips them. So the apps of one network start concurrently, as on
// different networks. Another stack on the same engine may race us; the engine then refuses with
// "Address already in use", and we re-read and pick again.
import { parseCidr, formatAddress, Cidr } from "../../core/ip/cidr";
import { pickAddresses } from "../../core/ipam/addressPool";
import { Owner } from "../../core/local/dockerNetworkSpec";
import { AddressInUseError, ContainerSpec, ContainerState, removeContainer, runContainer, usedAddresses } from "./containers";
import { EngineRef, onEngine } from "./engines";
import { usedAddressesOnEngines } from "./swarm";

const locks = new Map<string, Promise<unknown>>();

export async function withNetworkLock<T>(network: string, fn: () => Promise<T>): Promise<T> {
  const previous = locks.get(network) ?? Promise.resolve();
  const run = previous.then(fn, fn);
  const tail = run.catch(() => undefined);
  locks.set(network, tail);
  try {
    return await run;
  } finally {
    if (locks.get(network) === tail) locks.delete(network);
  }
}

/** Addresses chosen in this process whose containers have not started yet, by network. */
const reserved = new Map<string, Set<string>>();

/** Chooses addresses under the network's lock and holds them until `use` settles. */
async function withReservedAddresses<T>(network: string, requests: AddressChoice[], use: (ips: string[]) => Promise<T>, hosts?: EngineRef[]): Promise<T> {
  const held = reserved.get(network) ?? new Set<string>();
  reserved.set(network, held);
  const ips = await withNetworkLock(network, async () => {
    const chosen = await chooseAddresses(network, requests, held, hosts);
    chosen.forEach((ip) => held.add(ip));
    return chosen;
  });
  try {
    return await use(ips);
  } finally {
    ips.forEach((ip) => held.delete(ip));
    if (held.size === 0 && reserved.get(network) === held) reserved.delete(network);
  }
}

/** Where one address on one network must come from. */
export interface AddressChoice {
  /** The half-block (CIDR) the address must come from. */
  half: string;
  /** Names the range in an exhaustion error, e.g. "agent-1's Docker half of the dcos-1 overlay". */
  context: string;
  /** Keep this address if it is free (an instance coming back keeps its IP). */
  preferredIp?: string;
}

/** A further network an instance joins (a UCR app on several), with its own address there. */
export interface MoreNetwork extends AddressChoice {
  network: string;
  aliases: string[];
}

export interface AddressedRequest extends AddressChoice {
  spec: Omit<ContainerSpec, "ip" | "moreNetworks">;
  /** The other networks, in the same order for every request of one call. */
  more?: MoreNetwork[];
  /** On a cluster of several Docker hosts: the engine of the instance's agent. */
  engine?: EngineRef;
}

/**
 * Reserves addresses on each network in turn (each under its own lock, only while choosing), and
 * gives `use` the addresses chosen: `ips[j][k]` is request k's address on the j-th network.
 */
async function withReservationsOn<T>(nets: { network: string; requests: AddressChoice[] }[], use: (ips: string[][]) => Promise<T>, hosts?: EngineRef[]): Promise<T> {
  if (nets.length === 0) return use([]);
  const [first, ...rest] = nets;
  return withReservedAddresses(first.network, first.requests, (ips) => withReservationsOn(rest, (more) => use([ips, ...more]), hosts), hosts);
}

const MAX_ATTEMPTS = 5;

/**
 * Runs all requests on one network (and on each request's further networks). Either every container runs, or none of this call's
 * containers is left behind (so a failed create leaves nothing for Pulumi not to know about).
 */
export async function runAddressed(network: string, requests: AddressedRequest[], owner: Owner, hosts?: EngineRef[]): Promise<ContainerState[]> {
  const started: ContainerState[] = new Array(requests.length);
  const startedOn = new Map<ContainerState, EngineRef | undefined>();
  let pending = requests.map((_, i) => i);
  try {
    for (let attempt = 1; pending.length > 0; attempt++) {
      const others = (requests[pending[0]].more ?? []).map((m, j) => ({ network: m.network, requests: pending.map((i) => requests[i].more![j]) }));
      const nets = [{ network, requests: pending.map((i) => requests[i] as AddressChoice) }, ...others];
      const results = await withReservationsOn(nets, (ips) =>
        Promise.allSettled(pending.map((i, k) => onEngine(requests[i].engine, () => runContainer({
          ...requests[i].spec,
          ip: ips[0][k],
          ...(others.length > 0 ? { moreNetworks: (requests[i].more ?? []).map((m, j) => ({ network: m.network, ip: ips[j + 1][k], aliases: m.aliases })) } : {}),
        } as ContainerSpec, owner)).catch((e) => {
          throw onHost(e, requests[i].engine);
        }))),
      hosts);
      const retry: number[] = [];
      let failure: unknown;
      results.forEach((r, k) => {
        const i = pending[k];
        if (r.status === "fulfilled") {
          started[i] = r.value;
          startedOn.set(r.value, requests[i].engine);
        }
        else if (r.reason instanceof AddressInUseError && attempt < MAX_ATTEMPTS) retry.push(i);
        else failure ??= r.reason;
      });
      if (failure) throw failure;
      pending = retry;
    }
    return started;
  } catch (err) {
    throw await rollBack(started.filter(Boolean), owner, err, startedOn);
  }
}

/** An instance's failure on a host of a multi-host cluster names the host (kept as is when it does already, or is a retry). */
function onHost(err: unknown, engine?: EngineRef): unknown {
  if (!engine || err instanceof AddressInUseError || !(err instanceof Error) || err.message.includes(`(host ${engine.host})`)) return err;
  const named = new Error(`on host ${engine.host} (${engine.docker}): ${err.message}`);
  named.cause = err;
  return named;
}

/** A container a rollback could not remove, and the engine's reason. */
export interface Leftover {
  id: string;
  name: string;
  reason: string;
}

/**
 * The error that stopped a run, with the containers its rollback could not remove. Those carry
 * this stack's labels but are in no state, so the message names them and how to remove them.
 */
export class RollbackError extends Error {
  constructor(readonly original: unknown, readonly leftovers: Leftover[]) {
    const list = leftovers.map((l) => `"${l.name}" (${l.id.slice(0, 12)}): ${l.reason}`).join("; ");
    super(
      `${(original instanceof Error ? original.message : String(original)).trim()}; rolling back, ` +
        `${leftovers.length} container(s) it started could not be removed: ${list}; ` +
        `remove them with \`docker rm -f ${leftovers.map((l) => l.name).join(" ")}\``,
    );
    this.name = "RollbackError";
    this.cause = original;
  }
}

/**
 * Removes the containers a failed run started, and returns the error to throw: the original one
 * when every removal worked (so callers still see its type), else a RollbackError naming the
 * containers left behind and why. Removal errors are never swallowed.
 */
async function rollBack(started: ContainerState[], owner: Owner, original: unknown, on: Map<ContainerState, EngineRef | undefined>): Promise<unknown> {
  const results = await Promise.allSettled(started.map((c) => onEngine(on.get(c), () => removeContainer(c.id, owner))));
  const leftovers: Leftover[] = [];
  results.forEach((r, i) => {
    if (r.status === "rejected") {
      const reason = r.reason instanceof Error ? r.reason.message : String(r.reason);
      leftovers.push({ id: started[i].id, name: started[i].name, reason });
    }
  });
  return leftovers.length > 0 ? new RollbackError(original, leftovers) : original;
}

/** Picks an address per request: its preferred one if free, else the lowest free in its half. */
async function chooseAddresses(network: string, requests: AddressChoice[], held: Set<string>, hosts?: EngineRef[]): Promise<string[]> {
  // Several hosts: every host's engine is read, so the choice sees the whole overlay.
  const used = new Set([...(await (hosts ? usedAddressesOnEngines(network, hosts) : usedAddresses(network))), ...held]);
  const chosen: string[] = new Array(requests.length);
  requests.forEach((r, k) => {
    if (r.preferredIp && !used.has(r.preferredIp)) {
      chosen[k] = r.preferredIp;
      used.add(r.preferredIp);
    }
  });
  // Group the rest by half so each half's exhaustion error counts everything asked of it.
  const byHalf = new Map<string, number[]>();
  requests.forEach((r, k) => {
    if (chosen[k] === undefined) byHalf.set(r.half, [...(byHalf.get(r.half) ?? []), k]);
  });
  for (const [halfText, ks] of byHalf) {
    const half = mustParse(halfText);
    const usedInHalf = [...used].map((ip) => mustParse(`${ip}/${half.family === 4 ? 32 : 128}`).start);
    const picked = pickAddresses(half, usedInHalf, ks.length, requests[ks[0]].context);
    ks.forEach((k, j) => {
      chosen[k] = formatAddress(half.family, picked[j]);
      used.add(chosen[k]);
    });
  }
  return chosen;
}

function mustParse(text: string): Cidr {
  const parsed = parseCidr(text);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.value;
}
