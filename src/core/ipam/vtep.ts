// VTEP addressing of DC/OS agents: each agent's VXLAN endpoint takes the lowest free host of
// vtep_subnet, and its MAC is the configured OUI followed by the low 24 bits of that IP
// (44.128.0.1 with OUI 70:B3:D5:00:00:00 → 70:b3:d5:80:00:01).
import { Cidr, formatAddress, parseCidr, BITS } from "../ip/cidr";
import { BlockPool, NoFreeBlocksError } from "./blockPool";

export const VTEP_EXHAUSTED = "Unable to allocate a VTEP IP due to exhaustion";

export interface Vtep {
  ip: string;
  mac: string;
}

/** VTEPs for the agents, stable for agents in `previous` (the same rules as agent blocks). */
export function allocateVteps(
  vtepSubnet: string,
  oui: string,
  agents: string[],
  previous: Record<string, Vtep> = {},
): Record<string, Vtep> {
  const parsed = parseCidr(vtepSubnet);
  if (!parsed.ok) throw new Error(parsed.reason);
  const base: Cidr = parsed.value;
  const single = BITS[base.family];
  const probe = new BlockPool(base, single);
  const held = new Map<string, number>();
  const wanted = new Set(agents);
  for (const [agent, v] of Object.entries(previous)) {
    if (!wanted.has(agent)) continue;
    const ip = parseCidr(`${v.ip}/${single}`);
    const index = ip.ok ? probe.indexOf(ip.value.start) : undefined;
    if (index !== undefined && index > 0) held.set(agent, index);
  }
  // Index 0 is the network address: never a VTEP.
  const pool = BlockPool.restore(base, single, [0, ...held.values()], VTEP_EXHAUSTED);
  const out: Record<string, Vtep> = {};
  for (const agent of agents) {
    let index = held.get(agent);
    if (index === undefined) {
      index = pool.allocate();
      if (base.family === 4 && index === pool.capacity - 1) throw new NoFreeBlocksError(VTEP_EXHAUSTED); // broadcast
      held.set(agent, index);
    }
    const ip = pool.blockStart(index);
    out[agent] = { ip: formatAddress(base.family, ip), mac: vtepMac(oui, ip) };
  }
  return out;
}

export function vtepMac(oui: string, ip: bigint): string {
  const prefix = oui.toLowerCase().split(":").slice(0, 3);
  const low = Number(ip & 0xffffffn);
  const bytes = [(low >> 16) & 255, (low >> 8) & 255, low & 255].map((b) => b.toString(16).padStart(2, "0"));
  return [...prefix, ...bytes].join(":");
}
