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

export function formatAddress(family: Family, value: bigint): string {
  if (family === 6) return Address6.fromBigInt(value).correctForm();
  // Dotted quad by hand: this runs once per allocated block, ip-address's parser is 10x slower.
  const n = Number(value);
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
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
