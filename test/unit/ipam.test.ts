// The allocation core, without Pulumi or Docker: agent blocks as the DC/OS overlay master hands
// them out, container addresses, VTEPs.
import { strict as assert } from "assert";
import fc from "fast-check";
import { parseCidr, formatCidr, halves, lastAddress, Cidr } from "../../src/core/ip/cidr";
import { BlockPool, NoFreeBlocksError } from "../../src/core/ipam/blockPool";
import { allocateAgentSubnets, AgentSubnets, capacityOf } from "../../src/core/ipam/agentSubnets";
import { pickAddresses, NoFreeAddressesError } from "../../src/core/ipam/addressPool";
import { allocateVteps, VTEP_EXHAUSTED } from "../../src/core/ipam/vtep";

const cidr = (text: string): Cidr => {
  const p = parseCidr(text);
  if (!p.ok) throw new Error(p.reason);
  return p.value;
};
const dcos = { name: "dcos", subnet: "9.0.0.0/8", prefix: 24 };

describe("agent subnet allocation (DC/OS overlay master rules)", function () {
  it("hands out the lowest free /prefix block, cut in Mesos and Docker halves", function () {
    const { agentSubnets } = allocateAgentSubnets(dcos, ["a", "b"]);
    assert.deepEqual(agentSubnets, {
      a: { block: "9.0.0.0/24", mesos: "9.0.0.0/25", docker: "9.0.0.128/25" },
      b: { block: "9.0.1.0/24", mesos: "9.0.1.0/25", docker: "9.0.1.128/25" },
    });
  });

  it("keeps survivors' blocks, frees removed agents' blocks, and reuses the lowest freed block", function () {
    const first = allocateAgentSubnets(dcos, ["a", "b", "c"]).agentSubnets;
    const second = allocateAgentSubnets(dcos, ["a", "c", "d", "e"], first);
    assert.deepEqual(second.lost, ["b"]);
    assert.deepEqual(second.gained, ["d", "e"]);
    assert.equal(second.agentSubnets.a.block, "9.0.0.0/24");
    assert.equal(second.agentSubnets.c.block, "9.0.2.0/24");
    assert.equal(second.agentSubnets.d.block, "9.0.1.0/24", "b's freed block is the lowest free");
    assert.equal(second.agentSubnets.e.block, "9.0.3.0/24");
  });

  it("allocates IPv6 blocks too (DC/OS's default dcos6: fd01:b::/64 with /80)", function () {
    const { agentSubnets } = allocateAgentSubnets({ name: "dcos6", subnet6: "fd01:b::/64", prefix6: 80 }, ["a", "b"]);
    assert.deepEqual(agentSubnets.b, { block6: "fd01:b:0:0:1::/80", mesos6: "fd01:b:0:0:1::/81", docker6: "fd01:b::1:8000:0:0/81" });
  });

  it("fails with DC/OS's message when the overlay has no block left", function () {
    const tiny = { name: "tiny", subnet: "9.0.0.0/23", prefix: 24 };
    assert.throws(() => allocateAgentSubnets(tiny, ["a", "b", "c"]), (err: Error) =>
      err instanceof NoFreeBlocksError && err.message === "No free subnets available in the tiny overlay");
  });

  it("fd01:b::/64 with /80 holds exactly 65,536 agents", function () {
    const pool = new BlockPool(cidr("fd01:b::/64"), 80, "full");
    for (let i = 0; i < 65536; i++) pool.allocate();
    assert.throws(() => pool.allocate(), /full/);
    assert.equal(pool.used, 65536);
  });

  it("property: over random add/remove sequences, blocks never overlap, survivors never move, the lowest free block is taken, halves partition the block", function () {
    const base = cidr("9.0.0.0/26");
    const plan = { name: "p", subnet: "9.0.0.0/26", prefix: 29 }; // 8 blocks: exhaustion is reachable
    const step = fc.record({ add: fc.array(fc.integer({ min: 0, max: 11 }), { maxLength: 4 }), remove: fc.array(fc.integer({ min: 0, max: 11 }), { maxLength: 4 }) });
    fc.assert(
      fc.property(fc.array(step, { maxLength: 25 }), (steps) => {
        let agents: string[] = [];
        let current: AgentSubnets = {};
        for (const s of steps) {
          const removed = new Set(s.remove.map((i) => `agent-${i}`));
          const next = agents.filter((a) => !removed.has(a));
          for (const i of s.add) if (!next.includes(`agent-${i}`)) next.push(`agent-${i}`);
          let result;
          try {
            result = allocateAgentSubnets(plan, next, current);
          } catch (err) {
            assert.ok(err instanceof NoFreeBlocksError);
            assert.ok(next.length > 8, "only exhaustion may fail");
            continue;
          }
          const blocks = Object.values(result.agentSubnets).map((b) => cidr(b.block));
          // no overlap
          const starts = blocks.map((b) => b.start).sort((x, y) => (x < y ? -1 : 1));
          for (let i = 1; i < starts.length; i++) assert.ok(starts[i] > starts[i - 1]);
          for (const b of blocks) assert.ok(b.start >= base.start && lastAddress(b) <= lastAddress(base));
          // survivors keep their block
          for (const a of next) if (current[a]) assert.equal(result.agentSubnets[a].block, current[a].block);
          // each newcomer took the lowest block that was free at its turn
          const taken = new Set(next.filter((a) => current[a]).map((a) => current[a].block));
          for (const a of result.gained) {
            const lowest = [...Array(8).keys()].map((i) => `9.0.0.${i * 8}/29`).find((b) => !taken.has(b));
            assert.equal(result.agentSubnets[a].block, lowest);
            taken.add(lowest!);
          }
          // halves partition the block
          for (const s of Object.values(result.agentSubnets)) {
            assert.deepEqual([s.mesos, s.docker], halves(cidr(s.block)).map(formatCidr));
          }
          agents = next;
          current = result.agentSubnets;
        }
      }),
      { numRuns: 300 },
    );
  });

  it("100,000 IPv6 agents keep the pool's bookkeeping proportional to allocations, not to the 2^32-block space", function () {
    const pool = new BlockPool(cidr("fd01:b::/48"), 80);
    for (let i = 0; i < 100_000; i++) pool.allocate();
    assert.equal(pool.capacity, 2 ** 32);
    assert.equal(pool.used, 100_000);
    pool.release(5);
    assert.equal(pool.allocate(), 5, "the released block is the lowest free");
    assert.equal(pool.allocate(), 100_000);
  });

  it("reports capacity: blocks, used, free and container addresses per half", function () {
    assert.deepEqual(capacityOf(dcos, 3), { blocks: 65536, blocksUsed: 3, blocksFree: 65533, containersPerHalf: 125 });
  });
});

describe("container addresses in a half-block", function () {
  const docker = cidr("9.0.1.128/25");
  it("skips the network address and the bridge address; never the broadcast", function () {
    const picked = pickAddresses(docker, [], 2, "agent-1's Docker half");
    assert.deepEqual(picked.map((a) => formatCidr({ family: 4, start: a, prefix: 32 })), ["9.0.1.130/32", "9.0.1.131/32"]);
  });

  it("never returns an address the engine reports as used", function () {
    const used = [cidr("9.0.1.130/32").start, cidr("9.0.1.132/32").start];
    const picked = pickAddresses(docker, used, 2, "x").map((a) => Number(a & 255n));
    assert.deepEqual(picked, [131, 133]);
  });

  it("exhaustion names the range with the count asked vs available", function () {
    const small = cidr("9.0.1.0/29"); // 8 addresses: 5 usable
    assert.throws(() => pickAddresses(small, [], 6, "agent-1's Docker half of the dcos overlay"), (err: Error) =>
      err instanceof NoFreeAddressesError &&
      err.message === "No free container addresses in agent-1's Docker half of the dcos overlay 9.0.1.0/29: asked for 6, 5 available");
  });
});

describe("VTEPs", function () {
  it("takes the lowest free host of vtep_subnet and derives the MAC from the OUI and its low 24 bits", function () {
    const vteps = allocateVteps("44.128.0.0/20", "70:B3:D5:00:00:00", ["a", "b"]);
    assert.deepEqual(vteps, { a: { ip: "44.128.0.1", mac: "70:b3:d5:80:00:01" }, b: { ip: "44.128.0.2", mac: "70:b3:d5:80:00:02" } });
  });

  it("is stable for agents that stay", function () {
    const first = allocateVteps("44.128.0.0/20", "70:B3:D5:00:00:00", ["a", "b"]);
    const second = allocateVteps("44.128.0.0/20", "70:B3:D5:00:00:00", ["b", "c"], first);
    assert.equal(second.b.ip, "44.128.0.2");
    assert.equal(second.c.ip, "44.128.0.1");
  });

  it("fails with DC/OS's message on exhaustion", function () {
    assert.throws(() => allocateVteps("44.128.0.0/30", "70:B3:D5:00:00:00", ["a", "b", "c"]), new RegExp(VTEP_EXHAUSTED));
  });
});
