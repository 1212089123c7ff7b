// Container addresses inside one half-block (an agent's Docker or Mesos bridge range). The network
// address, the broadcast address (IPv4) and the bridge's own address (the first host, which the
// agent's m-/d- bridge holds on DC/OS) are never handed out. Used addresses come from the backend
// (the Docker engine) and are the source of truth; this only picks the lowest free one.
import { Cidr, formatCidr, lastAddress } from "../ip/cidr";

export class NoFreeAddressesError extends Error {
  constructor(
    readonly range: string,
    readonly asked: number,
    readonly available: number,
    context: string,
  ) {
    super(
      `No free container addresses in ${context} ${range}: asked for ${asked}, ${available} available`,
    );
    this.name = "NoFreeAddressesError";
  }
}

/** First and last address a container may take in the half. */
export function usableRange(half: Cidr): { first: bigint; last: bigint } {
  const first = half.start + 2n; // skip network address and bridge address
  const last = half.family === 4 ? lastAddress(half) - 1n : lastAddress(half);
  return { first, last };
}

export function usableCount(half: Cidr): bigint {
  const { first, last } = usableRange(half);
  return last >= first ? last - first + 1n : 0n;
}

/**
 * Picks `count` addresses, lowest first, that are not in `used`. Runs in O(count + |used|) and
 * memory O(|used|), whatever the size of the half (IPv6 halves are huge).
 * `context` names the range in the error (e.g. `agent-1's Docker half of the dcos overlay`).
 */
export function pickAddresses(half: Cidr, used: Iterable<bigint>, count: number, context: string): bigint[] {
  const { first, last } = usableRange(half);
  const taken = new Set<bigint>();
  for (const a of used) if (a >= first && a <= last) taken.add(a);
  const picked: bigint[] = [];
  for (let a = first; a <= last && picked.length < count; a++) {
    if (!taken.has(a)) picked.push(a);
  }
  if (picked.length < count) {
    const available = Number(usableCount(half)) - taken.size;
    throw new NoFreeAddressesError(formatCidr(half), count, available, context);
  }
  return picked;
}
