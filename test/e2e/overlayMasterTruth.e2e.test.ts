// On target marathon the overlay master's allocation is the truth: a stack of the fixture's 12
// agents (blocks not in lowest-free order) brought up with the real Pulumi CLI against the Marathon
// double serving that master state, then the master changed under it (an agent registers, one
// leaves, one fails) and refreshed, previewed and brought up again.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { execFile } from "child_process";
import { promisify } from "util";
import { createTestStack, opsRecorder, resourcesOfType, TestStack } from "../support/pulumi";
import { startFakeMarathon, FakeMarathon } from "../support/fakeMarathon";
import { ROOT } from "../support/paths";
import { masterBlocks as blocksOf, withNewcomer } from "../support/masterChanges";

const TOKEN = "dcos-jwt-overlay-truth";
const fixture = () => JSON.parse(fs.readFileSync(path.join(ROOT, "test/fixtures/cluster/overlay-master-state.json"), "utf8"));
const NETWORKS = [
  { name: "dcos", subnet: "9.0.0.0/8", prefix: 24 },
  { name: "prod", subnet: "10.200.0.0/16", prefix: 24 },
  { name: "dcos6", subnet6: "fd01:b::/64", prefix6: 80 },
];
const AGENTS: string[] = fixture().agents.map((a: { ip: string }) => a.ip);

const masterBlocks = (state: unknown) => blocksOf(state, NETWORKS.map((n) => n.name));

describe("target marathon: the overlay master's blocks are the virtual networks' allocation (real Pulumi CLI, Marathon double)", function () {
  let fake: FakeMarathon;
  let t: TestStack;
  let token: unknown;
  let master: any = fixture();
  const config = (agents: string[]) => ({
    cluster: { target: "marathon", agents },
    networks: NETWORKS,
    marathon: { url: fake.clusterUrl, allowInsecureHttp: true },
    marathonToken: token,
    apps: [],
  });
  const setMaster = (state: any) => {
    master = state;
    fake.setOverlayState(state);
  };
  const stateBlocks = async () =>
    Object.fromEntries((await resourcesOfType(t.stack, "VirtualNetwork")).map((r) => [r.outputs.name, r.outputs.agentSubnets]));
  const masterGets = () => fake.requests.filter((r) => r.path === "/mesos/overlay-master/state").length;

  before(async function () {
    fake = await startFakeMarathon({ token: TOKEN, overlayState: master });
    t = await createTestStack("master", { cluster: { target: "marathon" }, networks: NETWORKS, marathon: { url: "http://127.0.0.1:1" }, apps: [] });
    token = await t.secret(TOKEN);
    t.setConfig(config(AGENTS));
  });

  after(async function () {
    if (t) await t.dispose();
    if (fake) await fake.close();
  });

  it("up: each network's agentSubnets equal the master's, block for block, the out-of-order ones included", async function () {
    const res = await t.stack.up();
    const expected = masterBlocks(master);
    for (const n of NETWORKS) {
      assert.deepEqual(res.outputs.virtualNetworks.value[n.name].agentSubnets, expected[n.name], n.name);
    }
    // Not what lowest-free order in the declaration's order would give: 10.0.1.3 was declared first.
    assert.equal(expected.dcos["10.0.1.3"].block, "9.0.2.0/24");
    assert.equal(expected.dcos["10.0.1.16"].block, "9.0.0.0/24");
  });

  it("keeps the token out of the state in plaintext", async function () {
    assert.ok(!(await t.cli(["stack", "export"])).includes(TOKEN));
  });

  it("dcos-vnet map draws the master's blocks where they are, with the gaps agents left (9.0.3.0/24, 9.0.8.0/24)", async function () {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "dcos-vnet-map-")), "plan.svg");
    try {
      await promisify(execFile)("node", [path.join(ROOT, "bin", "dcos-vnet"), "map", "--stack", t.name, "--out", file], {
        cwd: ROOT,
        env: { ...process.env, PULUMI_BACKEND_URL: `file://${t.backendDir}`, PULUMI_CONFIG_PASSPHRASE: "dcos-vnet-test" },
      });
      const svg = fs.readFileSync(file, "utf8");
      const expected = masterBlocks(master);
      for (const n of NETWORKS) {
        for (const [agent, s] of Object.entries(expected[n.name])) {
          assert.ok(svg.includes(`data-agent="${agent}" data-block="${s.block ?? s.block6}"`), `${n.name} ${agent}`);
        }
      }
      for (const gap of ["9.0.3.0/24", "9.0.8.0/24"]) assert.ok(svg.includes(`class="free-gap" data-first="${gap}"`), gap);
    } finally {
      fs.rmSync(path.dirname(file), { recursive: true, force: true });
    }
  });

  it("the next preview is empty and asks nothing of the master; a refresh of an unchanged cluster reports nothing", async function () {
    const before = masterGets();
    const { same, ...changes } = (await t.stack.preview()).changeSummary;
    assert.deepEqual(changes, {});
    assert.equal(masterGets(), before, "previews depend on code and state only");
    const refresh = await t.stack.refresh();
    assert.deepEqual(Object.keys(refresh.summary.resourceChanges ?? {}), ["same"]);
  });

  it("an agent registers with the master: refresh reports its block as drift in every overlay", async function () {
    setMaster(withNewcomer(master));
    // The CLI as a user runs it, to see the drift itself (the Automation API's refresh has no --diff).
    const out = await t.cli(["refresh", "--diff", "--yes", "--skip-preview"]);
    for (const n of NETWORKS) assert.match(out, new RegExp(`VirtualNetwork: \\(update\\)[^]*?\\[id=${n.name}\\][^]*?\\+ 10\\.0\\.1\\.17`), n.name);
    assert.match(out, /\+\s*block\s*:\s*"9\.0\.3\.0\/24"/);
    assert.match(out, /3 updated/);
    const blocks = await stateBlocks();
    assert.deepEqual(blocks.dcos["10.0.1.17"], { block: "9.0.3.0/24", mesos: "9.0.3.0/25", docker: "9.0.3.128/25" });
    assert.deepEqual(blocks, masterBlocks(master));
    // A refresh rewrites the networks' inputs (the connection with its token among them): still secret.
    assert.ok(!(await t.cli(["stack", "export"])).includes(TOKEN), "the token stays out of the state after a refresh");
  });

  it("the next preview shows it with no change to any block: the master's agent is kept, and a warning says to declare it", async function () {
    const before = await stateBlocks();
    const { ops, onEvent } = opsRecorder();
    let out = "";
    const preview = await t.stack.preview({ onEvent, onOutput: (s) => (out += s) });
    assert.deepEqual(Object.entries(ops).filter(([k, op]) => k.startsWith("VirtualNetwork") && op !== "same"), []);
    assert.equal(preview.changeSummary.update, undefined, JSON.stringify(preview.changeSummary));
    assert.match(out, /agent 10\.0\.1\.17 holds 9\.0\.3\.0\/24 on the overlay master but is not in dcos-vnet:cluster\.agents/);
    await t.stack.up();
    assert.deepEqual(await stateBlocks(), before);
  });

  it("a declared agent the master has not registered gets a labelled prediction, the lowest free block; no other block moves", async function () {
    const before = await stateBlocks();
    t.setConfig(config([...AGENTS, "10.0.1.17", "10.0.1.20"]));
    const { ops, onEvent } = opsRecorder();
    let out = "";
    await t.stack.preview({ diff: true, onEvent, onOutput: (s) => (out += s) });
    assert.equal(ops["VirtualNetwork::dcos"], "update");
    // The preview's diff labels it; no other agent of any network shows a change.
    assert.match(out, /\+ 10\.0\.1\.20: \{\s*\+ block\s*: "9\.0\.8\.0\/24"[^}]*\+ predicted: true/);
    assert.equal(out.match(/^\s*[-~] 10\.0\.1\.\d+/gm), null, "no agent's block removed or changed");
    assert.equal(out.match(/^\s*\+ 10\.0\.1\.\d+:/gm)?.length, 3, "10.0.1.20 added in each network, nothing else");
    let upOut = "";
    await t.stack.up({ onOutput: (s) => (upOut += s) });
    assert.match(upOut, /predicted blocks \(predicted: true\) for agents the overlay master has not registered: 10\.0\.1\.20 9\.0\.8\.0\/24/);
    const after = await stateBlocks();
    assert.deepEqual(after.dcos["10.0.1.20"], { block: "9.0.8.0/24", mesos: "9.0.8.0/25", docker: "9.0.8.128/25", predicted: true });
    assert.equal(after.prod["10.0.1.20"].block, "10.200.13.0/24");
    assert.equal(after.dcos6["10.0.1.20"].block6, "fd01:b:0:0:8::/80");
    for (const n of NETWORKS) {
      const { ["10.0.1.20"]: _predicted, ...others } = after[n.name];
      assert.deepEqual(others, before[n.name], `${n.name}: no other agent's block changed`);
    }
  });

  it("an agent leaves the master: refresh reports it as drift (declared: its block is a prediction again); a failed overlay is warned of with the master's error", async function () {
    const state = JSON.parse(JSON.stringify(master));
    state.agents = state.agents.filter((a: any) => a.ip !== "10.0.1.5");
    const failing = state.agents.find((a: any) => a.ip === "10.0.1.7").overlays.find((o: any) => o.info.name === "prod");
    failing.state = { status: "STATUS_FAILED", error: "Unable to configure the docker network d-prod" };
    setMaster(state);
    const refresh = await t.stack.refresh();
    assert.equal(refresh.summary.resourceChanges?.update, 3, JSON.stringify(refresh.summary.resourceChanges));
    const blocks = await stateBlocks();
    assert.equal(blocks.dcos["10.0.1.5"].predicted, true);
    assert.equal(blocks.dcos["10.0.1.5"].block, "9.0.4.0/24", "its freed block is the lowest free one again");
    let out = "";
    await t.stack.preview({ onOutput: (s) => (out += s) });
    assert.match(out, /prod: the overlay master reports agent 10\.0\.1\.7's overlay as STATUS_FAILED: Unable to configure the docker network d-prod/);
  });
});
