// The overlay master's State as adoption and refresh read it: its shape checked field by field, and
// each overlay's allocation taken as the master holds it (not re-planned).
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { masterAgentSubnets, parseOverlayMasterState, unhealthyAgents } from "../../src/core/overlay/masterState";
import { allocateAgentSubnets } from "../../src/core/ipam/agentSubnets";
import { ROOT } from "../support/paths";

const FIXTURE = JSON.parse(fs.readFileSync(path.join(ROOT, "test/fixtures/cluster/overlay-master-state.json"), "utf8"));

describe("the overlay master's state (overlay.proto State as JSON)", function () {
  it("parses the fixture cluster: 3 overlays, 12 agents, the VTEP settings", function () {
    const parsed = parseOverlayMasterState(FIXTURE);
    assert.ok(parsed.ok, JSON.stringify(!parsed.ok && parsed.failures));
    assert.deepEqual(parsed.value.network?.overlays.map((o) => o.name), ["dcos", "prod", "dcos6"]);
    assert.equal(parsed.value.network?.vtep_subnet, "44.128.0.0/20");
    assert.equal(parsed.value.network?.vtep_mac_oui, "70:B3:D5:00:00:00");
    assert.equal(parsed.value.agents.length, 12);
  });

  it("takes each agent's block and halves as the master holds them, gaps and order included", function () {
    const parsed = parseOverlayMasterState(FIXTURE);
    assert.ok(parsed.ok);
    const dcos = masterAgentSubnets(parsed.value, "dcos");
    assert.deepEqual(dcos["10.0.1.16"], { block: "9.0.0.0/24", mesos: "9.0.0.0/25", docker: "9.0.0.128/25" });
    assert.deepEqual(dcos["10.0.1.15"], { block: "9.0.1.0/24", mesos: "9.0.1.0/25", docker: "9.0.1.128/25" });
    const blocks = Object.values(dcos).map((s) => s.block);
    assert.ok(!blocks.includes("9.0.3.0/24") && !blocks.includes("9.0.8.0/24"), "blocks 3 and 8 were freed by agents that left");
    // Not what planning the same agents afresh gives: the master's record is the truth.
    const replanned = allocateAgentSubnets({ name: "dcos", subnet: "9.0.0.0/8", prefix: 24 }, Object.keys(dcos)).agentSubnets;
    assert.notDeepEqual(replanned, dcos);
    const v6 = masterAgentSubnets(parsed.value, "dcos6");
    assert.deepEqual(v6["10.0.1.16"], { block6: "fd01:b::/80", mesos6: "fd01:b::/81", docker6: "fd01:b::8000:0:0/81" });
  });

  it("leaves out agents without a block of the overlay (registered before it was added)", function () {
    const state = structuredClone(FIXTURE);
    state.agents[0].overlays = state.agents[0].overlays.filter((o: { info: { name: string } }) => o.info.name !== "prod");
    const parsed = parseOverlayMasterState(state);
    assert.ok(parsed.ok);
    assert.equal(Object.keys(masterAgentSubnets(parsed.value, "prod")).length, 11);
    assert.equal(Object.keys(masterAgentSubnets(parsed.value, "dcos")).length, 12);
  });

  it("names agents whose overlay is not STATUS_OK, with the master's error", function () {
    const state = structuredClone(FIXTURE);
    state.agents[2].overlays[0].state = { status: "STATUS_FAILED", error: "Failed to create bridge m-dcos" };
    const parsed = parseOverlayMasterState(state);
    assert.ok(parsed.ok);
    assert.deepEqual(unhealthyAgents(parsed.value, "dcos"), [{ agent: state.agents[2].ip, status: "STATUS_FAILED", error: "Failed to create bridge m-dcos" }]);
    assert.deepEqual(unhealthyAgents(parsed.value, "prod"), []);
  });

  it("ignores fields a newer master adds, as a protobuf reader does", function () {
    const state = structuredClone(FIXTURE);
    state.network.some_future_field = 1;
    state.agents[0].overlays[0].info.future = "x";
    assert.ok(parseOverlayMasterState(state).ok);
  });

  it("refuses what is not a State, naming the JSON path", function () {
    const bad = (v: unknown) => {
      const parsed = parseOverlayMasterState(v);
      assert.equal(parsed.ok, false);
      return parsed.ok ? [] : parsed.failures.map((f) => f.property);
    };
    assert.deepEqual(bad([]), [""]);
    assert.deepEqual(bad({ agents: {} }), ["agents"]);
    assert.deepEqual(bad({ network: { vtep_mac_oui: "70:B3:D5:00:00:00", overlays: [] } }), ["network.vtep_subnet"]);
    assert.deepEqual(bad({ agents: [{ ip: "10.0.0.1", overlays: [{ info: { subnet: "9.0.0.0/8" } }] }] }), ["agents[0].overlays[0].info.name"]);
    assert.deepEqual(bad({ agents: [{ ip: "10.0.0.1" }, { ip: "10.0.0.1" }] }), ["agents[1].ip"]);
    assert.deepEqual(
      bad({ agents: [{ ip: "10.0.0.1", overlays: [{ info: { name: "dcos" }, state: { status: "UP" } }] }] }),
      ["agents[0].overlays[0].state.status"],
    );
  });
});
