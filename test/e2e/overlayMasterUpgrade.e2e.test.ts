// A target-marathon stack brought up by release 0.3.0 (BEFORE_MASTER_TRUTH: VirtualNetwork without
// `connection`, blocks planned in lowest-free order, no reinstall guard; apps and a pod in Marathon)
// is taken over by this version with no replace and no write to Marathon: each network is updated
// to the master's blocks, the guard is created, the apps and the pod stay as they are. The old
// package is built from that commit into a project of its own (`git archive`, this checkout
// untouched), against the Marathon double serving the fixture.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { Stack } from "@pulumi/pulumi/automation";
import { ROOT } from "../support/paths";
import { opsRecorder } from "../support/pulumi";
import { startFakeMarathon, FakeMarathon } from "../support/fakeMarathon";
import { disposeUpgrade, oldRelease, stackIn, tempDir, writeStackConfig } from "../support/project";
import { masterAgentSubnets, parseOverlayMasterState } from "../../src/core/overlay/masterState";

/** Release 0.3.0, as it landed: before the overlay master became the truth of target-marathon networks. */
const BEFORE_MASTER_TRUTH = "6757a89";

const STATE = JSON.parse(fs.readFileSync(path.join(ROOT, "test/fixtures/cluster/overlay-master-state.json"), "utf8"));
const SEED_APP = JSON.parse(fs.readFileSync(path.join(ROOT, "examples/seed-app/app.json"), "utf8"));
/** The 1.5+ form, beside the seed app's legacy one. */
const WEB = {
  id: "/shop/web",
  cmd: "sleep 1000",
  cpus: 0.1,
  mem: 32,
  instances: 2,
  container: { type: "DOCKER", docker: { image: "busybox" }, portMappings: [{ containerPort: 80, name: "http" }] },
  networks: [{ mode: "container", name: "prod" }],
  labels: { team: "shop" },
};
const POD = {
  id: "/shop/cart",
  scaling: { kind: "fixed", instances: 1 },
  containers: [{ name: "cart", resources: { cpus: 0.1, mem: 32 }, image: { kind: "DOCKER", id: "busybox" }, exec: { command: { shell: "sleep 1000" } } }],
  networks: [{ mode: "container", name: "dcos" }],
};
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
    // 0.3.0 could not read Marathon's null-rendered unset fields ("app.args is not iterable"): the
    // double leaves them out while the old release brings the stack up, and renders them after.
    fake = await startFakeMarathon({ overlayState: STATE, nullsForUnset: false });
    const config = {
      cluster: { target: "marathon", agents: STATE.agents.map((a: { ip: string }) => a.ip) },
      networks: NETWORKS,
      marathon: { url: fake.clusterUrl, deploymentTimeoutSeconds: 20 },
      apps: [{ app: { ...SEED_APP, ipAddress: { networkName: "dcos" } } }, { app: WEB }],
      pods: [{ pod: POD }],
    };
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

  it("this version's preview updates each network, creates the reinstall guard, leaves the apps and the pod, replaces nothing; its up sends nothing to Marathon and takes the master's blocks", async function () {
    fake.setNullsForUnset(true);
    current = await stackIn(ROOT, name, backend);
    const { ops, onEvent } = opsRecorder();
    await current.preview({ onEvent });
    const networks = Object.entries(ops).filter(([k]) => k.startsWith("VirtualNetwork::"));
    assert.deepEqual(networks.map(([, op]) => op), ["update", "update", "update"], JSON.stringify(ops));
    assert.equal(ops["DcosOverlayConfig::dcos_overlay_network"], "create", JSON.stringify(ops));
    for (const app of ["MarathonApp::my-networking", "MarathonApp::shop.web", "MarathonPod::pod.shop.cart"]) assert.equal(ops[app], "same", `${app}: ${JSON.stringify(ops)}`);
    assert.ok(!Object.values(ops).includes("replace") && !Object.values(ops).includes("delete"), JSON.stringify(ops));
    const writes = fake.writes();
    const res = await current.up();
    assert.equal(fake.writes(), writes, "the upgrade sends no POST, PUT or DELETE to Marathon");
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
