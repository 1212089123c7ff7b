// CIDR parsing and address arithmetic. Addresses are bigints so IPv4 and IPv6 share one code path
// and a /64 costs nothing more than a /24.
import { Address4, Address6 } from "ip-address";

export type Family = 4 | 6;

/** A network in canonical form: `start` is the network address, host bits are all zero. */
export interface Cidr {
  family: Family;
  start: bigint;
  prefix: number;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

export const BITS: Record<Family, number> = { 4: 32, 6: 128 };

/**
 * Parses `a.b.c.d/n` or `x:y::/n`. A bare address, a malformed one, a prefix out of range and host
 * bits set are all refused; for the last, the reason names the network the user probably meant.
 */
export function parseCidr(text: unknown): Parsed<Cidr> {
  if (typeof text !== "string" || !text.includes("/")) {
    return { ok: false, reason: `${JSON.stringify(text)} is not a CIDR network (expected e.g. 9.0.0.0/8)` };
  }
  const family: Family = text.includes(":") ? 6 : 4;
  const prefixText = text.slice(text.lastIndexOf("/") + 1);
  if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > BITS[family]) {
    return { ok: false, reason: `${text} has an invalid prefix length (0-${BITS[family]} for IPv${family})` };
  }
  let address: Address4 | Address6;
  try {
    address = family === 4 ? new Address4(text) : new Address6(text);
  } catch {
    return { ok: false, reason: `${text} is not a valid IPv${family} CIDR network` };
  }
  if (family === 4 && !/^\d{1,3}(\.\d{1,3}){3}\/\d+$/.test(text)) {
    return { ok: false, reason: `${text} is not a valid IPv4 CIDR network` };
  }
  const prefix = address.subnetMask;
  const value = address.bigInt();
  const start = networkStart(value, prefix, family);
  if (start !== value) {
    const meant = formatCidr({ family, start, prefix });
    return { ok: false, reason: `${text} has host bits set; did you mean ${meant}?` };
  }
  return { ok: true, value: { family, start, prefix } };
}

/** Parses a single address (no prefix). */
export function parseAddress(text: unknown): Parsed<{ family: Family; value: bigint }> {
  if (typeof text !== "string" || text.includes("/")) {
    return { ok: false, reason: `${JSON.stringify(text)} is not an IP address` };
  }
  try {
    if (text.includes(":")) return { ok: true, value: { family: 6, value: new Address6(text).bigInt() } };
    if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(text)) throw new Error();
    return { ok: true, value: { family: 4, value: new Address4(text).bigInt() } };
  } catch {
    return { ok: false, reason: `${text} is not a valid IP address` };
  }
}

export function networkStart(value: bigint, prefix: number, family: Family): bigint {
  const hostBits = BigInt(BITS[family] - prefix);
  return (value >> hostBits) << hostBits;
}

/** Number of addresses in the network. */
export function size(cidr: Cidr): bigint {
  return 1n << BigInt(BITS[cidr.family] - cidr.prefix);
}

/** Last address of the network (inclusive). */
export function lastAddress(cidr: Cidr): bigint {
  return cidr.start + size(cidr) - 1n;
}

export function contains(outer: Cidr, inner: Cidr): boolean {
  return (
    outer.family === inner.family &&
    outer.prefix <= inner.prefix &&
    inner.start >= outer.start &&
    lastAddress(inner) <= lastAddress(outer)
  );
}

export function containsAddress(cidr: Cidr, family: Family, value: bigint): boolean {
  return cidr.family === family && value >= cidr.start && value <= lastAddress(cidr);
}

// Formatting runs several times per allocated block, so it is done by hand rather than through
// ip-address (10-20x slower); tests compare both forms.
export function formatAddress(family: Family, value: bigint): string {
  return family === 4 ? formatIPv4(Number(value)) : formatIPv6(value);
}

export function formatIPv4(n: number): string {
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

const WORD_SHIFTS = [96n, 64n, 32n, 0n];

/** RFC 5952 text: lowercase, no leading zeros, the first longest run (≥ 2) of zero groups as `::`. */
export function formatIPv6(value: bigint): string {
  const groups = new Array<number>(8);
  for (let i = 0; i < 4; i++) {
    const word = Number((value >> WORD_SHIFTS[i]) & 0xffffffffn);
    groups[2 * i] = word >>> 16;
    groups[2 * i + 1] = word & 0xffff;
  }
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(":");
  return `${hex.slice(0, bestStart).join(":")}::${hex.slice(bestStart + bestLen).join(":")}`;
}

export function formatCidr(cidr: Cidr): string {
  return `${formatAddress(cidr.family, cidr.start)}/${cidr.prefix}`;
}

/** The two halves of a network (`/prefix+1` each): DC/OS gives the first to Mesos, the second to Docker. */
export function halves(cidr: Cidr): [Cidr, Cidr] {
  const prefix = cidr.prefix + 1;
  const half = size(cidr) / 2n;
  return [
    { family: cidr.family, start: cidr.start, prefix },
    { family: cidr.family, start: cidr.start + half, prefix },
  ];
}
