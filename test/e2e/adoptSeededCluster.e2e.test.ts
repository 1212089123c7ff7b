// Issue 26's acceptance against the seeded realistic cluster (test/support/seededCluster.ts: 3
// overlays, one IPv6, 12 agents whose blocks are not in lowest-free order, 60 apps and 6 pods) on a
// Marathon double behaving as 1.10 and as 1.5: `dcos-vnet adopt` then the real Pulumi CLI. One
// stack per version, shared by the `it`s in order (each builds on the state the one before left).
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as yaml from "js-yaml";
import { execFile } from "child_process";
import { promisify } from "util";
import { LocalWorkspace } from "@pulumi/pulumi/automation";
import { createTestStack, opsRecorder, requirePulumi, resourcesOfType, TestStack } from "../support/pulumi";
import { FakeMarathon } from "../support/fakeMarathon";
import { seededApps, seededOverlayState, startSeededCluster, UNSUPPORTED_APPS } from "../support/seededCluster";
import { CliRun, runDcosVnet } from "../support/adoptCli";
import { ROOT, TOOLS_BIN } from "../support/paths";
import { masterBlocks as blocksOf, withNewcomer } from "../support/masterChanges";

const TOKEN = "seeded-cluster-jwt-7d41e2";
const OVERLAYS = ["dcos", "prod", "dcos6"];
/** The seeded app scaled 2 → 3 (a group member, so its file name and URN are the nested ones). */
const SCALED = { id: "/shop/cart", file: "shop.cart.json" };
const SECRET_SOURCES = ["platform/db-migrate/db-password", "platform/billing-sync/db-password", "platform/mailer/db-password", "platform/sso/db-password"];

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

/** One app scaled 2 → 3 in its file: one update, one PUT for it, and nothing after (both versions). */
function itScalesOneApp(a: Adopted): void {
  it(`scaling ${SCALED.id} 2 → 3 in its file: preview shows one update, up sends exactly one PUT, for that app`, async function () {
    const file = path.join(a.out, "apps", SCALED.file);
    const app = JSON.parse(fs.readFileSync(file, "utf8"));
    assert.equal(app.instances, 2);
    fs.writeFileSync(file, JSON.stringify({ ...app, instances: 3 }, null, 2));
    const { ops, onEvent } = opsRecorder();
    await a.t.stack.preview({ onEvent });
    const changed = Object.entries(ops).filter(([, op]) => op !== "same");
    assert.equal(changed.length, 1, JSON.stringify(changed));
    assert.match(changed[0][0], /^MarathonApp::/);
    assert.equal(changed[0][1], "update");
    const before = a.fake.requests.length;
    await a.t.stack.up();
    const sent = a.fake.requests.slice(before).filter((r) => r.method !== "GET");
    assert.deepEqual(sent.map((r) => `${r.method} ${r.path}`), [`PUT /service/marathon/v2/apps${SCALED.id}`]);
    assert.equal(a.fake.apps.get(SCALED.id)?.instances, 3);
    assert.deepEqual(Object.keys((await a.t.stack.preview()).changeSummary), ["same"], "a second up would send nothing");
  });
}

const masterBlocks = (state: unknown) => blocksOf(state, OVERLAYS);

describe("adopting the seeded realistic cluster, Marathon 1.10 (real Pulumi CLI)", function () {
  const a = adoptSeededCluster("1.10");
  itAdoptsInSync(a);

  it("agent blocks in state equal the master's, block for block, the out-of-order ones and IPv6 included", async function () {
    const expected = masterBlocks(seededOverlayState());
    const networks = await resourcesOfType(a.t.stack, "VirtualNetwork");
    assert.deepEqual(networks.map((r) => r.outputs.name).sort(), [...OVERLAYS].sort());
    for (const n of networks) assert.deepEqual(n.outputs.agentSubnets, expected[n.outputs.name], n.outputs.name);
    assert.equal((expected.dcos["10.0.1.16"] as any).block, "9.0.0.0/24", "10.0.1.16 holds the lowest block: not lowest-free order");
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
      // The value is not on the command line: pulumi prompts for it, or reads it from stdin.
      assert.ok(a.run.stdout.includes(`pulumi config set --secret --path 'dcos-vnet:secrets["${source}"]' --stack ${a.t.name}\n`), source);
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

  itScalesOneApp(a);

  it("dcos-vnet map draws each agent's block where the master has it, with the gaps agents left", async function () {
    const svg = path.join(a.out, "map", "plan.svg");
    const run = await runDcosVnet(["map", "--stack", a.t.name, "--out", svg], a.t.env);
    assert.equal(run.code, 0, run.stderr);
    const drawn = fs.readFileSync(svg, "utf8");
    const expected = masterBlocks(seededOverlayState());
    for (const n of OVERLAYS) {
      for (const [agent, s] of Object.entries(expected[n]) as [string, any][]) {
        assert.ok(drawn.includes(`data-agent="${agent}" data-block="${s.block ?? s.block6}"`), `${n} ${agent} ${s.block ?? s.block6}`);
      }
    }
    for (const gap of ["9.0.3.0/24", "9.0.8.0/24", "fd01:b:0:0:3::/80", "fd01:b:0:0:8::/80"]) assert.ok(drawn.includes(`class="free-gap" data-first="${gap}"`), gap);
    assert.doesNotMatch(drawn, /class="agent-block predicted"/, "every block is the master's");
    assert.ok(drawn.includes(">fd01:b::/64<"), "the IPv6 overlay drawn in its subnet");
  });

  it("an agent registers with the master: refresh reports its block as drift; the next preview changes no other agent's block", async function () {
    const before = Object.fromEntries((await resourcesOfType(a.t.stack, "VirtualNetwork")).map((r) => [r.outputs.name, r.outputs.agentSubnets]));
    const master = withNewcomer(seededOverlayState());
    a.fake.setOverlayState(master);
    const out = await a.t.cli(["refresh", "--diff", "--yes", "--skip-preview"]);
    for (const n of OVERLAYS) assert.match(out, new RegExp(`VirtualNetwork: \\(update\\)[^]*?\\[id=${n}\\][^]*?\\+ 10\\.0\\.1\\.17`), n);
    assert.match(out, /\+\s*block\s*:\s*"9\.0\.3\.0\/24"/);
    assert.match(out, /\+\s*block6\s*:\s*"fd01:b:0:0:3::\/80"/);
    assert.match(out, /3 updated/);
    const after = Object.fromEntries((await resourcesOfType(a.t.stack, "VirtualNetwork")).map((r) => [r.outputs.name, r.outputs.agentSubnets]));
    assert.deepEqual(after, masterBlocks(master));

    const { ops, onEvent } = opsRecorder();
    const warnings: string[] = [];
    await a.t.stack.preview({ onEvent: (e: any) => (onEvent(e), e.diagnosticEvent?.severity === "warning" && warnings.push(e.diagnosticEvent.message)) });
    assert.deepEqual(Object.entries(ops).filter(([, op]) => op !== "same"), [], "nothing changes");
    for (const [n, block] of [["dcos", "9.0.3.0/24"], ["prod", "10.200.12.0/24"], ["dcos6", "fd01:b:0:0:3::/80"]]) {
      assert.ok(warnings.some((w) => w.startsWith(`${n}: agent 10.0.1.17 holds ${block} on the overlay master but is not in dcos-vnet:cluster.agents`)), `${n}: ${warnings.join("\n")}`);
    }
    for (const n of OVERLAYS) {
      const { ["10.0.1.17"]: newcomer, ...others } = after[n];
      assert.ok(newcomer, n);
      assert.deepEqual(others, before[n], `${n}: no other agent's block changed`);
    }
    assert.equal(a.fake.writes(), 1, "only the scaling PUT, ever");
  });

  it("an overlay's prefix changed in the stack config: preview warns with DC/OS's procedure, up is refused without the acknowledgement, with 0 writes", async function () {
    editConfig(a.t, (c) => (c["dcos-vnet:networks"].find((n: any) => n.name === "prod").prefix = 25));
    const warnings: string[] = [];
    await a.t.stack.preview({ onEvent: (e: any) => e.diagnosticEvent?.severity === "warning" && warnings.push(e.diagnosticEvent.message) });
    const [warning, ...more] = warnings.filter((m) => /DC\/OS cannot apply/.test(m));
    assert.deepEqual(more, []);
    const line = warning.split("\n").find((l) => l.startsWith("- overlay prod changed: prefix 24 → 25 (agents: "));
    assert.ok(line, warning);
    const [, agents, apps] = /\(agents: ([^;]*); apps and pods: ([^)]*)\)$/.exec(line)!;
    // The agents the stack declares: the guard is the networks' parent, so it cannot read their blocks
    // (10.0.1.17, registered but undeclared, is warned of by the networks themselves).
    assert.deepEqual(agents.split(", ").sort(), Object.keys(masterBlocks(seededOverlayState()).prod).sort(), "every declared agent");
    for (const id of ["/platform/sso", "/shop/pods/session"]) assert.ok(apps.split(", ").includes(id), id);
    assert.match(warning, /Uninstall DC\/OS from every node/);
    assert.match(warning, /overlay_replicated_log/);
    const writes = a.fake.writes();
    await assert.rejects(a.t.stack.up(), /overlay prod changed: prefix 24 → 25[^]*refuses this until dcos-vnet:cluster\.acknowledgeReinstall/);
    assert.equal(a.fake.writes(), writes, "no write reached Marathon");
    editConfig(a.t, (c) => (c["dcos-vnet:networks"].find((n: any) => n.name === "prod").prefix = 24));
    assert.deepEqual(Object.keys((await a.t.stack.preview()).changeSummary), ["same"], "the prefix back: nothing pending");
  });
});

describe("adopting the seeded realistic cluster, Marathon 1.5 (real Pulumi CLI)", function () {
  const a = adoptSeededCluster("1.5");
  itAdoptsInSync(a);
  itScalesOneApp(a);
});

describe("dcos-vnet adopt --code on the seeded realistic cluster, Marathon 1.10", function () {
  let fake: FakeMarathon;
  let root: string;
  let backend: string;

  before(async function () {
    fake = await startSeededCluster({ version: "1.10", token: TOKEN, deploymentMs: 20 });
    root = fs.mkdtempSync(path.join(os.tmpdir(), "dcos-vnet-seeded-code-"));
    backend = fs.mkdtempSync(path.join(os.tmpdir(), "dcos-vnet-state-"));
    // The project's dependencies, as `npm install pulumi-dcos-vnet @pulumi/pulumi` would give them.
    fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(root, "node_modules"));
  });

  after(async function () {
    if (fake) await fake.close();
    for (const dir of [root, backend]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("writes a program that compiles under strict, and whose stack previews 0 changes", async function () {
    const env = { PATH: `${TOOLS_BIN}:${process.env.PATH}`, PULUMI_BACKEND_URL: `file://${backend}`, PULUMI_CONFIG_PASSPHRASE: "dcos-vnet-test", PULUMI_SKIP_UPDATE_CHECK: "true" };
    const run = await runDcosVnet(["adopt", "--stack", "adopted", "--url", fake.clusterUrl, "--allow-insecure-http", "--code", "--root", root], { ...env, DCOS_VNET_MARATHON_TOKEN: TOKEN });
    assert.equal(run.code, 0, run.stderr + run.stdout.slice(-4000));
    assert.equal(fake.writes(), 0, "adopt --code wrote to Marathon");
    const program = fs.readFileSync(path.join(root, "index.ts"), "utf8");
    assert.ok(!program.includes(TOKEN));
    assert.equal(JSON.parse(fs.readFileSync(path.join(root, "tsconfig.json"), "utf8")).compilerOptions.strict, true);
    await promisify(execFile)(process.execPath, [path.join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", path.join(root, "tsconfig.json")], { cwd: root });
    const stack = await LocalWorkspace.selectStack({ stackName: "adopted", workDir: root }, { envVars: env, pulumiCommand: await requirePulumi() });
    const preview = await stack.preview();
    assert.deepEqual(Object.keys(preview.changeSummary), ["same"], JSON.stringify(preview.changeSummary));
    const resources = (await stack.exportStack()).deployment.resources;
    assert.equal(resources.filter((r: any) => String(r.type).endsWith("MarathonApp")).length, 58);
    assert.equal(resources.filter((r: any) => String(r.type).endsWith("MarathonPod")).length, 6);
    assert.equal(fake.writes(), 0, "preview wrote to Marathon");
  });
});
