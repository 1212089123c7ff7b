// The address-plan picture of a target-marathon stack: the overlay master's blocks (the fixture's
// 12 agents, not in lowest-free order) drawn where they are, the gaps agents left drawn as such,
// predicted blocks told apart, and every agent and block written out in full at 12 agents.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { renderPlanSvg } from "../../src/report/map";
import { masterAgentSubnets, parseOverlayMasterState } from "../../src/core/overlay/masterState";
import { allocationFromMaster } from "../../src/core/overlay/masterAllocation";
import { capacityOf } from "../../src/core/ipam/agentSubnets";
import { ROOT } from "../support/paths";

const parsed = parseOverlayMasterState(JSON.parse(fs.readFileSync(path.join(ROOT, "test/fixtures/cluster/overlay-master-state.json"), "utf8")));
if (!parsed.ok) throw new Error("fixture");
const NETS = [
  { name: "dcos", subnet: "9.0.0.0/8", prefix: 24 },
  { name: "prod", subnet: "10.200.0.0/16", prefix: 24 },
  { name: "dcos6", subnet6: "fd01:b::/64", prefix6: 80 },
];

function outputs(declared: string[]) {
  return {
    virtualNetworks: Object.fromEntries(NETS.map((n) => {
      const agentSubnets = allocationFromMaster(n, declared, masterAgentSubnets(parsed.ok ? parsed.value : (undefined as never), n.name));
      // As DcosCluster's outputs carry them: an IPv6-only network's space under subnet6.
      const space = n.subnet !== undefined ? { subnet: n.subnet } : { subnet6: n.subnet6 };
      return [n.name, { ...space, agentSubnets, capacity: capacityOf(n, Object.keys(agentSubnets).length) }];
    })),
    marathonApps: {},
  };
}

/** The <g> of one class with a given data attribute, as text. */
function groups(svg: string, cls: string): string[] {
  return [...svg.matchAll(new RegExp(`<g class="${cls}"[^>]*>`, "g"))].map((m) => m[0]);
}

describe("the address plan of a target-marathon stack (the master's blocks)", function () {
  const agents = parsed.ok ? parsed.value.agents.map((a) => a.ip) : [];

  it("draws each block where the master has it, in address order, with the gaps agents left between them", function () {
    const svg = renderPlanSvg(outputs(agents));
    const dcos = svg.slice(svg.indexOf('data-network="dcos"'), svg.indexOf('data-network="prod"'));
    const order = groups(dcos, "agent-block").map((g) => /data-block="([^"]+)"/.exec(g)![1]);
    assert.deepEqual(order.slice(0, 3), ["9.0.0.0/24", "9.0.1.0/24", "9.0.2.0/24"]);
    // The gaps come where they are: 9.0.3.0/24 after 9.0.2.0/24, 9.0.8.0/24 after 9.0.7.0/24.
    const sequence = [...dcos.matchAll(/<g class="(agent-block|free-gap)" (?:data-agent="[^"]*" data-block="([^"]+)"|data-first="([^"]+)")/g)].map((m) => m[2] ?? `gap ${m[3]}`);
    assert.deepEqual(sequence.slice(2, 9), ["9.0.2.0/24", "gap 9.0.3.0/24", "9.0.4.0/24", "9.0.5.0/24", "9.0.6.0/24", "9.0.7.0/24", "gap 9.0.8.0/24"]);
    assert.ok(dcos.includes("next agent gets 9.0.3.0/24"));
    // An IPv6-only network too, from its subnet6.
    const dcos6 = svg.slice(svg.indexOf('data-network="dcos6"'));
    assert.ok(dcos6.includes('class="free-gap" data-first="fd01:b:0:0:3::/80"'), "the gap agents left in dcos6");
    assert.ok(dcos6.includes("next agent gets fd01:b:0:0:3::/80"));
  });

  it("writes every agent and block out in full at 12 agents (no ellipsis), in compact cards", function () {
    const svg = renderPlanSvg(outputs(agents));
    for (const a of agents) assert.ok(svg.includes(`>${a}<`), a);
    for (const n of NETS) {
      for (const s of Object.values(masterAgentSubnets(parsed.ok ? parsed.value : (undefined as never), n.name))) {
        for (const cidr of [s.block, s.mesos, s.docker, s.block6, s.mesos6, s.docker6].filter(Boolean)) assert.ok(svg.includes(`>${cidr}<`), `${n.name} ${cidr}`);
      }
    }
    assert.ok(!svg.includes("no instances"), "no empty instance lists on a real cluster's networks");
  });

  it("tells a predicted block apart (dashed, tagged PREDICTED) and explains it in the legend", function () {
    const svg = renderPlanSvg(outputs([...agents, "10.0.1.20"]));
    const predicted = groups(svg, "agent-block predicted");
    assert.equal(predicted.length, 3);
    assert.ok(predicted.every((g) => g.includes('data-agent="10.0.1.20"')));
    assert.ok(predicted[0].includes('data-block="9.0.3.0/24"'));
    assert.ok(svg.includes(">PREDICTED<"));
    assert.ok(svg.includes("predicted block (agent not registered yet)"));
    assert.ok(!renderPlanSvg(outputs(agents)).includes("predicted block"), "only when there is one");
  });

  it("draws an IPv6 overlay as the stack outputs give it (subnet6): its subnet, its gaps and the next block", function () {
    const svg = renderPlanSvg(outputs(agents));
    const band = svg.slice(svg.indexOf('data-network="dcos6"'));
    assert.ok(band.includes(">fd01:b::/64<"), "the subnet beside the name");
    for (const gap of ["fd01:b:0:0:3::/80", "fd01:b:0:0:8::/80"]) assert.ok(band.includes(`class="free-gap" data-first="${gap}"`), gap);
  });
});
