// A virtual network's allocation on a real DC/OS cluster, decided in the core from the overlay
// master's state (the fixture: 12 agents whose blocks are not in lowest-free order) without Pulumi.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { masterAgentSubnets, parseOverlayMasterState, OverlayMasterState } from "../../src/core/overlay/masterState";
import {
  allocationChanged, allocationFromMaster, masterAllocationWarnings, planOnMaster, predictedAgents, resolvePlan, undeclaredAgents,
} from "../../src/core/overlay/masterAllocation";
import { checkVirtualNetwork } from "../../src/core/overlay/virtualNetwork";
import type { AgentSubnets } from "../../src/core/ipam/agentSubnets";
import { ROOT } from "../support/paths";

const FIXTURE = path.join(ROOT, "test/fixtures/cluster/overlay-master-state.json");
const state = (): OverlayMasterState => {
  const parsed = parseOverlayMasterState(JSON.parse(fs.readFileSync(FIXTURE, "utf8")));
  assert.ok(parsed.ok);
  return parsed.value;
};
const DCOS = { name: "dcos", subnet: "9.0.0.0/8", prefix: 24 };
const DCOS6 = { name: "dcos6", subnet6: "fd01:b::/64", prefix6: 80 };
const master = masterAgentSubnets(state(), "dcos");
const agents = Object.keys(master);
const blocks = (s: AgentSubnets) => Object.fromEntries(Object.entries(s).map(([a, x]) => [a, x.block ?? x.block6]));
const connection = { url: "https://dcos.example.com/service/marathon", token: "t" };
const noUnknowns = () => false;

describe("the overlay master's allocation as a virtual network's state (target marathon)", function () {
  it("the fixture's blocks are not in lowest-free order: 9.0.3.0/24 and 9.0.8.0/24 are free, 10.0.1.16 holds 9.0.0.0/24", function () {
    assert.equal(agents.length, 12);
    assert.equal(master["10.0.1.16"].block, "9.0.0.0/24");
    assert.equal(master["10.0.1.3"].block, "9.0.2.0/24");
    const held = new Set(Object.values(master).map((s) => s.block));
    assert.ok(!held.has("9.0.3.0/24") && !held.has("9.0.8.0/24"));
  });

  it("refresh takes every block the master holds, verbatim, and predicts the lowest free blocks for declared agents it lacks", function () {
    const got = allocationFromMaster(DCOS, [...agents, "10.0.1.20", "10.0.1.21"], master);
    for (const a of agents) assert.deepEqual(got[a], master[a], a);
    assert.deepEqual(got["10.0.1.20"], { block: "9.0.3.0/24", mesos: "9.0.3.0/25", docker: "9.0.3.128/25", predicted: true });
    assert.equal(got["10.0.1.21"].block, "9.0.8.0/24");
    assert.deepEqual(predictedAgents(got), ["10.0.1.20", "10.0.1.21"]);
  });

  it("an agent registered but not declared keeps its block, and is named", function () {
    const got = allocationFromMaster(DCOS, agents.slice(1), master);
    assert.deepEqual(got[agents[0]], master[agents[0]]);
    assert.deepEqual(undeclaredAgents(got, agents.slice(1)).map((u) => u.agent), [agents[0]]);
  });

  it("IPv6 overlays: predictions are /80 blocks of the subnet6 the master has not handed out", function () {
    const m6 = masterAgentSubnets(state(), "dcos6");
    const got = allocationFromMaster(DCOS6, [...Object.keys(m6), "10.0.1.20"], m6);
    assert.deepEqual(blocks(got)["10.0.1.20"], "fd01:b:0:0:3::/80");
    assert.equal(got["10.0.1.20"].predicted, true);
  });

  it("a preview keeps every registered block of the state, declared or not, and predicts afresh", function () {
    const previous = allocationFromMaster(DCOS, [...agents, "10.0.1.20"], master);
    // 10.0.1.3 is no longer declared, 10.0.1.30 is new: 10.0.1.3 keeps 9.0.2.0/24 (only the master frees it).
    const declared = [...agents.filter((a) => a !== "10.0.1.3"), "10.0.1.30", "10.0.1.20"];
    const plan = planOnMaster(DCOS, declared, previous);
    for (const a of agents) assert.deepEqual(plan[a], master[a], a);
    assert.equal(plan["10.0.1.30"].block, "9.0.3.0/24");
    assert.equal(plan["10.0.1.20"].block, "9.0.8.0/24", "predictions follow the declaration's order");
    assert.deepEqual(predictedAgents(plan), ["10.0.1.30", "10.0.1.20"]);
  });

  it("a state without an allocation read from the master (new, or written before) is all predictions, in declaration order", function () {
    const plan = planOnMaster(DCOS, agents, undefined);
    assert.deepEqual(predictedAgents(plan), agents);
    assert.equal(plan[agents[0]].block, "9.0.0.0/24");
  });

  it("up resolves the plan's predictions to the master's blocks, keeps its registered blocks, and adds no agent it did not plan", function () {
    const plan = planOnMaster(DCOS, [...agents, "10.0.1.20"], undefined);
    const withNewcomer = { ...master, "10.0.1.17": { block: "9.0.3.0/24", mesos: "9.0.3.0/25", docker: "9.0.3.128/25" } };
    const got = resolvePlan(DCOS, plan, withNewcomer);
    for (const a of agents) assert.deepEqual(got[a], master[a], a);
    assert.equal(got["10.0.1.17"], undefined, "refresh's to report");
    assert.deepEqual(got["10.0.1.20"], { block: "9.0.8.0/24", mesos: "9.0.8.0/25", docker: "9.0.8.128/25", predicted: true }, "not on 10.0.1.17's block");
    // A registered block in the plan stays as the plan has it: a change of it is drift, refresh's to say.
    const moved = { ...master, [agents[0]]: { block: "9.0.200.0/24", mesos: "9.0.200.0/25", docker: "9.0.200.128/25" } };
    assert.deepEqual(resolvePlan(DCOS, got, moved)[agents[0]], master[agents[0]]);
  });

  it("without an overlay master (404) the predictions stay predictions", function () {
    const plan = planOnMaster(DCOS, agents, undefined);
    assert.deepEqual(resolvePlan(DCOS, plan, undefined), plan);
  });

  describe("what counts as a change (diff, and refresh's drift)", function () {
    const truth = allocationFromMaster(DCOS, agents, master);
    it("no change: the plan predicted what the master had registered with other blocks (a plan made before the master was read)", function () {
      assert.equal(allocationChanged(truth, planOnMaster(DCOS, agents, undefined)), false);
    });
    it("drift: an agent the master has and the state does not", function () {
      const more = { ...master, "10.0.1.17": { block: "9.0.3.0/24", mesos: "9.0.3.0/25", docker: "9.0.3.128/25" } };
      assert.equal(allocationChanged(allocationFromMaster(DCOS, agents, more), truth), true);
    });
    it("drift: an agent gone from the master, declared (now a prediction) or not (now absent)", function () {
      const { ["10.0.1.5"]: _gone, ...less } = master;
      assert.equal(allocationChanged(allocationFromMaster(DCOS, agents, less), truth), true);
      assert.equal(allocationChanged(allocationFromMaster(DCOS, agents.filter((a) => a !== "10.0.1.5"), less), truth), true);
    });
    it("drift: a block different from the state's", function () {
      const moved = { ...master, "10.0.1.5": { block: "9.0.200.0/24", mesos: "9.0.200.0/25", docker: "9.0.200.128/25" } };
      assert.equal(allocationChanged(allocationFromMaster(DCOS, agents, moved), truth), true);
    });
    it("no change: the same allocation", function () {
      assert.equal(allocationChanged(truth, JSON.parse(JSON.stringify(truth))), false);
    });
  });

  describe("check() of a target-marathon network", function () {
    const news = { name: "dcos", subnet: "9.0.0.0/8", prefix: 24, agents: [...agents, "10.0.1.20"], connection };
    it("plans from the state's master blocks and labels the prediction", function () {
      const olds = { ...news, agents, agentSubnets: allocationFromMaster(DCOS, agents, master) };
      const { inputs, failures } = checkVirtualNetwork(olds, news, noUnknowns);
      assert.deepEqual(failures, []);
      for (const a of agents) assert.deepEqual(inputs.agentSubnets[a], master[a], a);
      assert.deepEqual(inputs.agentSubnets["10.0.1.20"], { block: "9.0.3.0/24", mesos: "9.0.3.0/25", docker: "9.0.3.128/25", predicted: true });
      assert.deepEqual(inputs.connection, connection);
    });
    it("a state of 0.3.0 (planned here, never read from the master) is taken as predictions", function () {
      const olds = { name: "dcos", subnet: "9.0.0.0/8", prefix: 24, agents, agentSubnets: allocationFromMaster(DCOS, agents, master) };
      const { inputs } = checkVirtualNetwork(olds, news, noUnknowns);
      assert.deepEqual(predictedAgents(inputs.agentSubnets).length, 13);
    });
    it("credentials to an http:// cluster are refused without allowInsecureHttp, naming the field", function () {
      const { failures } = checkVirtualNetwork({}, { ...news, connection: { url: "http://dcos.example.com", token: "t" } }, noUnknowns);
      assert.deepEqual(failures.map((f) => f.property), ["connection.url"]);
    });
    it("a local network's inputs are as they were: no connection, no predicted flag", function () {
      const { inputs } = checkVirtualNetwork({}, { name: "dcos", subnet: "9.0.0.0/8", prefix: 24, agents: ["a", "b"] }, noUnknowns);
      assert.equal("connection" in inputs, false);
      assert.deepEqual(Object.keys(inputs.agentSubnets.a).sort(), ["block", "docker", "mesos"]);
    });
  });

  it("warnings name predictions, undeclared agents (with the config key) and unhealthy overlays with the master's error", function () {
    const subnets = allocationFromMaster(DCOS, [...agents.slice(1), "10.0.1.20"], master);
    const w = masterAllocationWarnings("dcos", subnets, [...agents.slice(1), "10.0.1.20"], [{ agent: "10.0.1.7", status: "STATUS_FAILED", error: "Unable to create bridge" }], "dcos-vnet:cluster.agents");
    assert.equal(w.length, 3);
    assert.match(w[0], /predicted.*10\.0\.1\.20 9\.0\.3\.0\/24/);
    assert.match(w[1], new RegExp(`agent ${agents[0].replace(/\./g, "\\.")} holds 9\\.0\\.\\d+\\.0/24 .*dcos-vnet:cluster\\.agents`));
    assert.match(w[2], /10\.0\.1\.7.*STATUS_FAILED: Unable to create bridge/);
  });
});
