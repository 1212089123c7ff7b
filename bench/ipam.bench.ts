// Allocation core benchmarks: agent blocks of a /8, IPv6 agents, overlap checks — each at n and
// 10n, side by side, so growth is visible (linear ≈ 10x, n log n ≈ 11-13x).
import { parseCidr, Cidr } from "../src/core/ip/cidr";
import { BlockPool } from "../src/core/ipam/blockPool";
import { allocateAgentSubnets } from "../src/core/ipam/agentSubnets";
import { findOverlaps, NamedCidr } from "../src/core/ip/overlap";
import { bestOf, fmt, heapUsed, row } from "./measure";

const cidr = (t: string): Cidr => {
  const p = parseCidr(t);
  if (!p.ok) throw new Error(p.reason);
  return p.value;
};

function agents(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `agent-${i}`);
}

export function benchIpam(): string[] {
  const out: string[] = [];
  out.push("## Allocation core", "", row(["measure", "n", "time (ms)", "10n", "time (ms)", "ratio 10n/n", "rate at 10n", "target"]), row(["---", "---", "---", "---", "---", "---", "---", "---"]));

  // 1. Raw allocator: the lowest-free decision alone.
  const base8 = cidr("9.0.0.0/8");
  const raw = (n: number) => bestOf(5, () => { const p = new BlockPool(base8, 24); for (let i = 0; i < n; i++) p.allocate(); return p.used; });
  const r1 = raw(6554), r10 = raw(65536);
  out.push(row(["agent blocks of 9.0.0.0/8 (/24), allocator only", 6554, fmt(r1.ms, 2), 65536, fmt(r10.ms, 2), fmt(r10.ms / r1.ms), `${fmt(65536 / r10.ms * 1000, 0)} allocs/s`, "≥ 1,000,000 allocs/s"]));

  // 2. Full plan as VirtualNetwork.check computes it: blocks, halves, CIDR strings.
  const plan = { name: "dcos", subnet: "9.0.0.0/8", prefix: 24 };
  const a1 = agents(6554), a10 = agents(65536);
  const full1 = bestOf(3, () => allocateAgentSubnets(plan, a1));
  const full10 = bestOf(3, () => allocateAgentSubnets(plan, a10));
  out.push(row(["9.0.0.0/8 fully allocated (/24), with halves as CIDR text", 6554, fmt(full1.ms, 1), 65536, fmt(full10.ms, 1), fmt(full10.ms / full1.ms), `${fmt(65536 / full10.ms * 1000, 0)} agents/s`, "< 100 ms for the /8"]));

  // 3. IPv6: 100k agents (fd01:b::/64 holds only 65,536 /80 blocks, so fd01:b::/48 with /80).
  const plan6 = { name: "dcos6", subnet6: "fd01:b::/48", prefix6: 80 };
  const v6 = (n: number) => {
    const list = agents(n);
    const before = heapUsed();
    const t0 = process.hrtime.bigint();
    const result = allocateAgentSubnets(plan6, list);
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    const grown = heapUsed() - before;
    if (Object.keys(result.agentSubnets).length !== n) throw new Error("v6 allocation incomplete");
    return { ms, grown };
  };
  v6(1000); // warm-up
  const s1 = v6(10000), s10 = v6(100000);
  out.push(row(["IPv6 agents on fd01:b::/48 (/80), with halves as text", 10000, fmt(s1.ms, 1), 100000, fmt(s10.ms, 1), fmt(s10.ms / s1.ms), `${fmt(100000 / s10.ms * 1000, 0)} agents/s`, "memory O(allocated)"]));
  out.push(row(["  heap growth holding the result (MB)", 10000, fmt(s1.grown / 2 ** 20, 1), 100000, fmt(s10.grown / 2 ** 20, 1), fmt(s10.grown / s1.grown), `${fmt(s10.grown / 100000, 0)} B/agent`, "∝ agents, not 2^32 blocks"]));

  // 4. Overlap check across many networks.
  const nets = (n: number): NamedCidr[] => Array.from({ length: n }, (_, i) => ({ name: `n${i}`, cidr: cidr(`10.${(i >> 8) & 255}.${i & 255}.0/24`) }));
  const o1n = nets(1000), o10n = nets(10000);
  const o1 = bestOf(5, () => findOverlaps(o1n)), o10 = bestOf(5, () => findOverlaps(o10n));
  if (o10.result.length !== 0) throw new Error("unexpected overlap");
  out.push(row(["overlap check (sort + sweep)", 1000, fmt(o1.ms, 2), 10000, fmt(o10.ms, 2), fmt(o10.ms / o1.ms), `${fmt(10000 / o10.ms * 1000, 0)} networks/s`, "O(n log n)"]));
  out.push("");
  return out;
}
