// Issue 26's acceptance against the seeded realistic cluster (test/support/seededCluster.ts: 3
// overlays, one IPv6, 12 agents whose blocks are not in lowest-free order, 60 apps and 6 pods) on a
// Marathon double behaving as 1.10 and as 1.5: `dcos-vnet adopt` then the real Pulumi CLI. One
// stack per version, shared by the `it`s in order (each builds on the state the one before left).
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as yaml from "js-yaml";
import { createTestStack, opsRecorder, resourcesOfType, TestStack } from "../support/pulumi";
import { FakeMarathon } from "../support/fakeMarathon";
import { seededApps, seededOverlayState, startSeededCluster, UNSUPPORTED_APPS } from "../support/seededCluster";
import { CliRun, runDcosVnet } from "../support/adoptCli";
import { ROOT } from "../support/paths";
import { masterAgentSubnets, parseOverlayMasterState } from "../../src/core/overlay/masterState";

const TOKEN = "seeded-cluster-jwt-7d41e2";
const OVERLAYS = ["dcos", "prod", "dcos6"];
/** The seeded app scaled 2 → 3 (a group member, so its file name and URN are the nested ones). */
const SCALED = { id: "/shop/cart", file: "shop.cart.json" };
const SECRET_SOURCES = ["platform/db-migrate/db-password", "platform/billing-sync/db-password", "platform/mailer/db-password", "platform/sso/db-password"];

/** Each overlay's agent blocks as the core reads a master State. */
function masterBlocks(state: unknown): Record<string, Record<string, unknown>> {
  const parsed = parseOverlayMasterState(state);
  assert.ok(parsed.ok);
  return Object.fromEntries(OVERLAYS.map((n) => [n, masterAgentSubnets(parsed.value, n)]));
}

/** The seeded master with agent 10.0.1.17 registered: it got the lowest free block of each overlay. */
function withNewcomer(state: any): any {
  const overlay = (name: string, v6: boolean, block: string, mesos: string, docker: string) => ({
    info: state.network.overlays.find((o: any) => o.name === name),
    ...(v6 ? { subnet6: block } : { subnet: block }),
    mesos_bridge: { name: `m-${name}`, ...(v6 ? { ip6: mesos } : { ip: mesos }) },
    docker_bridge: { name: `d-${name}`, ...(v6 ? { ip6: docker } : { ip: docker }) },
    backend: { vxlan: { vni: 1024, vtep_name: "vtep1024", vtep_ip: "44.128.0.17/20", vtep_mac: "70:b3:d5:80:00:11" } },
    state: { status: "STATUS_OK" },
  });
  const next = structuredClone(state);
  next.agents.push({
    ip: "10.0.1.17",
    overlays: [
      overlay("dcos", false, "9.0.3.0/24", "9.0.3.0/25", "9.0.3.128/25"),
      overlay("prod", false, "10.200.12.0/24", "10.200.12.0/25", "10.200.12.128/25"),
      overlay("dcos6", true, "fd01:b:0:0:3::/80", "fd01:b:0:0:3::/81", "fd01:b:0:0:3:8000::/81"),
    ],
  });
  return next;
}

function listFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? listFiles(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

/** The adopted stack's file, parsed, and written back after `edit`. */
function editConfig(t: TestStack, edit: (config: Record<string, any>) => void): void {
  const file = path.join(ROOT, `Pulumi.${t.name}.yaml`);
  const doc = yaml.load(fs.readFileSync(file, "utf8")) as any;
  edit(doc.config);
  fs.writeFileSync(file, yaml.dump(doc));
}

interface Adopted {
  fake: FakeMarathon;
  t: TestStack;
  out: string;
  run: CliRun;
  adopt(extra?: string[]): Promise<CliRun>;
}

/** Starts the seeded cluster of `version`, creates an empty test stack and adopts the cluster into it. */
function adoptSeededCluster(version: "1.5" | "1.10"): Adopted {
  const a = {} as Adopted;
  before(async function () {
    a.fake = await startSeededCluster({ version, token: TOKEN, deploymentMs: 20 });
    a.t = await createTestStack(`seeded-${version.replace(".", "")}`, {});
    a.out = fs.mkdtempSync(path.join(os.tmpdir(), "dcos-vnet-seeded-"));
    a.adopt = (extra = []) =>
      runDcosVnet(["adopt", "--stack", a.t.name, "--url", a.fake.clusterUrl, "--allow-insecure-http", "--out", a.out, ...extra], { ...a.t.env, DCOS_VNET_MARATHON_TOKEN: TOKEN });
    a.run = await a.adopt();
  });
  after(async function () {
    if (a.t) await a.t.dispose();
    if (a.fake) await a.fake.close();
    if (a.out) fs.rmSync(a.out, { recursive: true, force: true });
  });
  return a;
}

/** adopt → preview 0 changes, up 0 writes, refresh 0 changes (both versions). */
function itAdoptsInSync(a: Adopted): void {
  it("adopt reads the cluster with no write to Marathon; preview shows 0 changes, up sends 0 writes, refresh shows 0 changes", async function () {
    assert.equal(a.run.code, 0, a.run.stderr + a.run.stdout.slice(-4000));
    assert.equal(a.fake.writes(), 0, "adopt wrote to Marathon");
    const apps = await resourcesOfType(a.t.stack, "MarathonApp");
    const expected = seededApps().map((x) => String(x.id)).filter((id) => !UNSUPPORTED_APPS.includes(id));
    assert.deepEqual(apps.map((r) => r.id).sort(), expected.sort());
    assert.equal((await resourcesOfType(a.t.stack, "MarathonPod")).length, 6);

    const preview = await a.t.stack.preview();
    assert.deepEqual(Object.keys(preview.changeSummary), ["same"], JSON.stringify(preview.changeSummary));
    const up = await a.t.stack.up();
    assert.deepEqual(Object.keys(up.summary.resourceChanges ?? {}), ["same"], JSON.stringify(up.summary.resourceChanges));
    assert.equal(a.fake.writes(), 0, "up wrote to Marathon");
    const refresh = await a.t.stack.refresh();
    assert.deepEqual(Object.keys(refresh.summary.resourceChanges ?? {}), ["same"], JSON.stringify(refresh.summary.resourceChanges));
  });
}

describe("adopting the seeded realistic cluster, Marathon 1.10 (real Pulumi CLI)", function () {
  const a = adoptSeededCluster("1.10");
  itAdoptsInSync(a);

  it("agent blocks in state equal the master's, block for block, the out-of-order ones and IPv6 included", async function () {
    const expected = masterBlocks(seededOverlayState());
    const networks = await resourcesOfType(a.t.stack, "VirtualNetwork");
    assert.deepEqual(networks.map((r) => r.outputs.name).sort(), [...OVERLAYS].sort());
    for (const n of networks) assert.deepEqual(n.outputs.agentSubnets, expected[n.outputs.name], n.outputs.name);
    assert.equal(expected.dcos["10.0.1.16"].block !== undefined && (expected.dcos["10.0.1.16"] as any).block, "9.0.0.0/24", "out of order");
    assert.ok(networks.every((n) => !JSON.stringify(n.outputs).includes("predict")), "no block of a registered agent is a prediction");
  });

  it("reports every unsupported item, and a second adopt without --force is refused with nothing read or written", async function () {
    const report = fs.readFileSync(path.join(a.out, "adopt-report.md"), "utf8");
    assert.match(report, /app \/ops\/checker: `check`/);
    assert.match(report, /app \/ops\/burst: `resourceLimits`/);
    const named = [...report.matchAll(/^- (app|pod) (\S+):/gm)].map((m) => m[2]);
    for (const id of named) {
      assert.ok(fs.existsSync(path.join(a.out, "not-adopted", `${report.includes(`pod ${id}:`) ? "pods" : "apps"}`, `${id.slice(1).replace(/\//g, ".")}.json`)), id);
    }
    assert.ok(a.run.stdout.includes("## Not adopted"), "the report is printed");
    const requests = a.fake.requests.length;
    const again = await a.adopt();
    assert.equal(again.code, 1);
    assert.match(again.stderr, /adopted already.*--force/s);
    assert.equal(a.fake.requests.length, requests, "nothing was read");
  });

  it("secrets: placeholders encrypted, commands printed, the token never in plaintext in files, state or output", async function () {
    const config = fs.readFileSync(path.join(ROOT, `Pulumi.${a.t.name}.yaml`), "utf8");
    for (const source of SECRET_SOURCES) {
      assert.ok(a.run.stdout.includes(`pulumi config set --secret --path 'dcos-vnet:secrets["${source}"]' '<value of ${source}>' --stack ${a.t.name}`), source);
    }
    const secrets = (yaml.load(config) as any).config["dcos-vnet:secrets"];
    assert.deepEqual(Object.keys(secrets).sort(), [...SECRET_SOURCES].sort());
    for (const source of SECRET_SOURCES) assert.deepEqual(Object.keys(secrets[source]), ["secure"], source);
    assert.doesNotMatch(config, /adopted: set the value/, "placeholder in plaintext");
    const exported = await a.t.cli(["stack", "export"]);
    const outputs = [a.run.stdout, a.run.stderr, exported, config, ...listFiles(a.out).map((f) => fs.readFileSync(f, "utf8"))];
    for (const text of outputs) assert.ok(!text.includes(TOKEN));
    assert.doesNotMatch(exported, /adopted: set the value/, "placeholder in plaintext in the state");
  });
});
