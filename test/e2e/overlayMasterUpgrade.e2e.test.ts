// A target-marathon stack brought up by the package before its virtual networks read the overlay
// master (BEFORE_MASTER_TRUTH: VirtualNetwork without `connection`, blocks planned in lowest-free
// order) is taken over by this version with at most an update: no network is replaced, and the
// update takes the master's blocks. The old package is built from that commit into a project of
// its own (`git archive`, this checkout untouched), against the Marathon double serving the fixture.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { Stack } from "@pulumi/pulumi/automation";
import { ROOT } from "../support/paths";
import { opsRecorder } from "../support/pulumi";
import { startFakeMarathon, FakeMarathon } from "../support/fakeMarathon";
import { disposeUpgrade, oldRelease, stackIn, tempDir, writeStackConfig } from "../support/project";
import { masterAgentSubnets, parseOverlayMasterState } from "../../src/core/overlay/masterState";

/** main just before the overlay master became the truth of target-marathon networks. */
const BEFORE_MASTER_TRUTH = "4fcdee2";

const STATE = JSON.parse(fs.readFileSync(path.join(ROOT, "test/fixtures/cluster/overlay-master-state.json"), "utf8"));
const NETWORKS = [
  { name: "dcos", subnet: "9.0.0.0/8", prefix: 24 },
  { name: "prod", subnet: "10.200.0.0/16", prefix: 24 },
  { name: "dcos6", subnet6: "fd01:b::/64", prefix6: 80 },
];

describe(`target-marathon networks of ${BEFORE_MASTER_TRUTH} (no connection) upgraded with no replace`, function () {
  const name = `t-omup-${Math.random().toString(36).slice(2, 6)}`;
  let fake: FakeMarathon;
  let old: string, backend: string;
  let current: Stack | undefined;
  let oldBlocks: Record<string, any>;

  before(async function () {
    // No token: the old and the new program reach the double alike, over http:// on loopback.
    fake = await startFakeMarathon({ overlayState: STATE });
    const config = { cluster: { target: "marathon", agents: STATE.agents.map((a: { ip: string }) => a.ip) }, networks: NETWORKS, marathon: { url: fake.clusterUrl }, apps: [] };
    old = oldRelease(BEFORE_MASTER_TRUTH, "before-master-truth");
    backend = tempDir("omup-state");
    writeStackConfig(old, name, config);
    writeStackConfig(ROOT, name, config);
  });

  after(async function () {
    try {
      await disposeUpgrade(current, name, [old, backend]);
    } finally {
      if (fake) await fake.close();
    }
  });

  it("the old package brings the networks up with blocks it planned itself, and never asks the master", async function () {
    const res = await (await stackIn(old, name, backend)).up();
    oldBlocks = res.outputs.virtualNetworks.value;
    assert.equal(oldBlocks.dcos.agentSubnets["10.0.1.3"].block, "9.0.0.0/24", "lowest-free in the declaration's order");
    assert.equal(fake.requests.filter((r) => r.path === "/mesos/overlay-master/state").length, 0);
  });

  it("this version's preview updates each network and replaces none; its up takes the master's blocks", async function () {
    current = await stackIn(ROOT, name, backend);
    const { ops, onEvent } = opsRecorder();
    await current.preview({ onEvent });
    const networks = Object.entries(ops).filter(([k]) => k.startsWith("VirtualNetwork::"));
    assert.deepEqual(networks.map(([, op]) => op), ["update", "update", "update"], JSON.stringify(ops));
    const res = await current.up();
    const parsed = parseOverlayMasterState(STATE);
    assert.ok(parsed.ok);
    for (const n of NETWORKS) {
      assert.deepEqual(res.outputs.virtualNetworks.value[n.name].agentSubnets, masterAgentSubnets(parsed.value, n.name), n.name);
    }
  });

  it("then the preview is empty and a refresh reports no drift", async function () {
    const { same, ...changes } = (await current!.preview()).changeSummary;
    assert.deepEqual(changes, {});
    const refresh = await current!.refresh();
    assert.deepEqual(Object.keys(refresh.summary.resourceChanges ?? {}), ["same"]);
  });
});
