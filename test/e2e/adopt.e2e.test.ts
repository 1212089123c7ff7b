// `dcos-vnet adopt` against the Marathon double (seeded over HTTP, as a cluster's users would have
// filled it) and its overlay master, with the real Pulumi CLI: the adopted stack previews empty,
// its up and refresh send nothing, and a change to one file is one PUT.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { execFile, spawn } from "child_process";
import * as yaml from "js-yaml";
import { promisify } from "util";
import { LocalWorkspace } from "@pulumi/pulumi/automation";
import { createTestStack, opsRecorder, requirePulumi, resourcesOfType, TestStack } from "../support/pulumi";
import { startFakeMarathon, FakeMarathon } from "../support/fakeMarathon";
import { ROOT, TOOLS_BIN } from "../support/paths";
import { SEED_APPS, SEED_PODS, seedOverHttp } from "../support/adoptSeed";
import { validateApp } from "../../src/core/marathon/validateApp";
import { validatePod } from "../../src/core/marathon/validatePod";

const TOKEN = "adopt-test-jwt-0f3c9a";
const BIN = path.join(ROOT, "bin", "dcos-vnet");
const OVERLAY_STATE = JSON.parse(fs.readFileSync(path.join(ROOT, "test/fixtures/cluster/overlay-master-state.json"), "utf8"));

async function runAdopt(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, "adopt", ...args], {
      cwd: ROOT, env: { ...process.env, ...env }, maxBuffer: 64 * 2 ** 20,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const writes = (fake: FakeMarathon) => fake.requests.filter((r) => ["POST", "PUT", "DELETE", "PATCH"].includes(r.method));

describe("dcos-vnet adopt (Marathon double + overlay master, real Pulumi CLI)", function () {
  let fake: FakeMarathon;
  let t: TestStack;
  let out: string;
  let adopted: { code: number; stdout: string; stderr: string };
  let seeded: number;

  before(async function () {
    fake = await startFakeMarathon({ token: TOKEN, deploymentMs: 50, overlayState: OVERLAY_STATE });
    await seedOverHttp(fake, TOKEN);
    seeded = writes(fake).length;
    t = await createTestStack("adopt", {});
    out = fs.mkdtempSync(path.join(os.tmpdir(), "dcos-vnet-adopt-"));
    adopted = await runAdopt(
      ["--stack", t.name, "--url", fake.clusterUrl, "--allow-insecure-http", "--out", out],
      { ...t.env, DCOS_VNET_MARATHON_TOKEN: TOKEN },
    );
  });

  after(async function () {
    if (t) await t.dispose();
    if (fake) await fake.close();
    if (out) fs.rmSync(out, { recursive: true, force: true });
  });

  it("reads the cluster and records it in the stack with no write to Marathon", function () {
    assert.equal(adopted.code, 0, adopted.stderr);
    assert.equal(writes(fake).length, seeded, `adopt wrote: ${JSON.stringify(writes(fake).slice(seeded))}`);
    const config = fs.readFileSync(path.join(ROOT, `Pulumi.${t.name}.yaml`), "utf8");
    assert.doesNotMatch(config, /adopting/, "the adopting key is removed after adopt's run");
    assert.match(config, /10\.0\.1\.3/, "agents as the overlay master knows them");
    for (const app of SEED_APPS.filter((a) => a.adoptable)) assert.ok(fs.existsSync(path.join(out, "apps", app.file)), app.file);
    for (const pod of SEED_PODS.filter((p) => p.adoptable)) assert.ok(fs.existsSync(path.join(out, "pods", pod.file)), pod.file);
  });

  it("holds every adoptable app and pod in the state, with Marathon's view of it", async function () {
    const apps = await resourcesOfType(t.stack, "MarathonApp");
    assert.deepEqual(apps.map((a) => a.id).sort(), SEED_APPS.filter((a) => a.adoptable).map((a) => a.body.id).sort());
    assert.equal(apps.find((a) => a.id === "/web")?.outputs.observed.instances, 2);
    assert.ok(apps.every((a) => a.outputs.adopt === undefined), "the outputs do not keep adopt");
    const pods = await resourcesOfType(t.stack, "MarathonPod");
    assert.deepEqual(pods.map((p) => p.id), ["/cart"]);
  });

  it("writes files as a user would: no status fields, every one valid for this project", function () {
    const web = JSON.parse(fs.readFileSync(path.join(out, "apps", "web.json"), "utf8"));
    for (const k of ["version", "versionInfo", "tasksRunning", "tasksStaged", "tasksHealthy", "tasksUnhealthy", "deployments"]) assert.equal(web[k], undefined, k);
    assert.equal(web.instances, 2);
    for (const f of fs.readdirSync(path.join(out, "apps"))) assert.deepEqual(validateApp(JSON.parse(fs.readFileSync(path.join(out, "apps", f), "utf8"))), [], f);
    for (const f of fs.readdirSync(path.join(out, "pods"))) assert.deepEqual(validatePod(JSON.parse(fs.readFileSync(path.join(out, "pods", f), "utf8"))), [], f);
  });

  it("names each item it cannot express in the report, and leaves that app out (untouched)", function () {
    const report = fs.readFileSync(path.join(out, "adopt-report.md"), "utf8");
    assert.match(report, /app \/calico-app: `networks\[0\]\.name`: network calico is not a virtual network/);
    assert.match(report, /pod \/calico-pod: `networks\[0\]\.name`/);
    assert.ok(fs.existsSync(path.join(out, "not-adopted", "apps", "calico-app.json")));
    assert.match(adopted.stdout, /calico-app/, "the report is printed too");
  });

  it("prints the exact commands for the secret sources, and keeps placeholders encrypted", function () {
    // Without the value: pulumi prompts for it (hidden) at a terminal, or reads it from stdin.
    assert.match(adopted.stdout, /pulumi config set --secret --path 'dcos-vnet:secrets\.db-password' --stack t-adopt-[^\s]+\n/);
    assert.doesNotMatch(adopted.stdout, /<value of/);
    const config = fs.readFileSync(path.join(ROOT, `Pulumi.${t.name}.yaml`), "utf8");
    assert.match(config, /db-password:\s*\n\s*secure:/);
  });

  it("keeps the token out of files, the state and the output", async function () {
    const exported = await t.cli(["stack", "export"]);
    assert.ok(!exported.includes(TOKEN), "state");
    assert.ok(!adopted.stdout.includes(TOKEN) && !adopted.stderr.includes(TOKEN), "output");
    const files = [path.join(ROOT, `Pulumi.${t.name}.yaml`), ...listFiles(out)];
    for (const f of files) assert.ok(!fs.readFileSync(f, "utf8").includes(TOKEN), f);
  });

  it("preview shows 0 changes, up sends 0 writes, refresh shows 0 changes", async function () {
    const preview = await t.stack.preview();
    assert.deepEqual(Object.keys(preview.changeSummary), ["same"], JSON.stringify(preview.changeSummary));
    const before = writes(fake).length;
    const up = await t.stack.up();
    assert.deepEqual(Object.keys(up.summary.resourceChanges ?? {}), ["same"]);
    assert.equal(writes(fake).length, before);
    const refresh = await t.stack.refresh();
    assert.deepEqual(Object.keys(refresh.summary.resourceChanges ?? {}), ["same"], JSON.stringify(refresh.summary.resourceChanges));
  });

  it("refuses to adopt again without --force, and writes nothing", async function () {
    const again = await runAdopt(["--stack", t.name, "--url", fake.clusterUrl, "--allow-insecure-http", "--out", out], { ...t.env, DCOS_VNET_MARATHON_TOKEN: TOKEN });
    assert.equal(again.code, 1);
    assert.match(again.stderr, /adopted already.*--force/s);
  });

  it("an adopting run refuses an app whose file differs from Marathon's copy, or that Marathon lacks, naming the fields, and writes nothing", async function () {
    const other = await createTestStack("adopt-refuse", {});
    try {
      const api = JSON.parse(fs.readFileSync(path.join(out, "apps", "shop.api.json"), "utf8"));
      other.setConfig({
        cluster: { target: "marathon", agents: ["10.0.1.3"] },
        networks: [{ name: "prod", subnet: "10.200.0.0/16", prefix: 24 }],
        marathon: { url: fake.clusterUrl, allowInsecureHttp: true },
        marathonToken: await other.secret(TOKEN),
        apps: [{ app: { ...api, instances: 2 } }],
        adopting: true,
      });
      const before = writes(fake).length;
      await assert.rejects(other.stack.up(), /adopting app \/shop\/api .*instances \(Marathon: 1, file: 2\).*nothing was written/s);
      other.setConfig({ ...configOf(other), apps: [{ app: { ...api, id: "/not-there" } }] });
      await assert.rejects(other.stack.up(), /adopting app \/not-there .*Marathon has no such app/s);
      assert.equal(writes(fake).length, before);
      assert.deepEqual(await resourcesOfType(other.stack, "MarathonApp"), []);
    } finally {
      await other.dispose();
    }
  });

  it("scaling one adopted app 2 → 3 in its file is one update and exactly one PUT", async function () {
    const file = path.join(out, "apps", "web.json");
    const web = JSON.parse(fs.readFileSync(file, "utf8"));
    fs.writeFileSync(file, JSON.stringify({ ...web, instances: 3 }, null, 2));
    const { ops, onEvent } = opsRecorder();
    await t.stack.preview({ onEvent });
    const changed = Object.entries(ops).filter(([, op]) => op !== "same");
    assert.deepEqual(changed, [["MarathonApp::web", "update"]]);
    const before = writes(fake).length;
    await t.stack.up();
    const sent = writes(fake).slice(before);
    assert.deepEqual(sent.map((r) => `${r.method} ${r.path}`), ["PUT /service/marathon/v2/apps/web"]);
    assert.equal(fake.apps.get("/web")?.instances, 3);
  });

  it("--force adopts again over the earlier adoption, from the cluster as it is now, still with no write", async function () {
    // A value the user set since: --force keeps it (placeholders only for sources without one).
    await t.cli(["config", "set", "--secret", "--path", "dcos-vnet:secrets.db-password", "the-real-db-password"]);
    const before = writes(fake).length;
    const again = await runAdopt(["--stack", t.name, "--url", fake.clusterUrl, "--allow-insecure-http", "--out", out, "--force"], { ...t.env, DCOS_VNET_MARATHON_TOKEN: TOKEN });
    assert.equal(again.code, 0, again.stderr);
    assert.equal(writes(fake).length, before);
    assert.equal(JSON.parse(fs.readFileSync(path.join(out, "apps", "web.json"), "utf8")).instances, 3);
    const preview = await t.stack.preview();
    assert.deepEqual(Object.keys(preview.changeSummary), ["same"]);
    assert.equal((await t.cli(["config", "get", "--path", "dcos-vnet:secrets.db-password"])).trim(), "the-real-db-password");
  });

  it("--force after an adopted app moved to another network records it there: no replace, no write", async function () {
    const web = fake.apps.get("/web")!;
    fake.seed({ ...stripped(web), networks: [{ mode: "container", name: "prod" }] });
    const before = writes(fake).length;
    const again = await runAdopt(["--stack", t.name, "--url", fake.clusterUrl, "--allow-insecure-http", "--out", out, "--force"], { ...t.env, DCOS_VNET_MARATHON_TOKEN: TOKEN });
    assert.equal(again.code, 0, again.stderr);
    assert.equal(writes(fake).length, before, `adopt wrote: ${JSON.stringify(writes(fake).slice(before))}`);
    const [state] = (await resourcesOfType(t.stack, "MarathonApp")).filter((a) => a.id === "/web");
    assert.equal(state.outputs.network, "prod");
    const preview = await t.stack.preview();
    assert.deepEqual(Object.keys(preview.changeSummary), ["same"], JSON.stringify(preview.changeSummary));
  });

  it("--force refuses when an adopted app became unsupported (its removal would DELETE it), naming it, and writes nothing", async function () {
    const config = fs.readFileSync(path.join(ROOT, `Pulumi.${t.name}.yaml`), "utf8");
    const file = fs.readFileSync(path.join(out, "apps", "db-client.json"), "utf8");
    fake.seed({ ...stripped(fake.apps.get("/db-client")!), check: { exec: { command: { shell: "true" } } } });
    const before = writes(fake).length;
    const again = await runAdopt(["--stack", t.name, "--url", fake.clusterUrl, "--allow-insecure-http", "--out", out, "--force"], { ...t.env, DCOS_VNET_MARATHON_TOKEN: TOKEN });
    assert.equal(again.code, 1, again.stdout);
    assert.match(again.stderr, /would remove these from Marathon.*MarathonApp::db-client \(delete\).*Nothing was written to Marathon/s);
    assert.equal(writes(fake).length, before, `adopt wrote: ${JSON.stringify(writes(fake).slice(before))}`);
    assert.ok(fake.apps.has("/db-client"));
    assert.equal(fs.readFileSync(path.join(ROOT, `Pulumi.${t.name}.yaml`), "utf8"), config, "the stack config is put back");
    assert.equal(fs.readFileSync(path.join(out, "apps", "db-client.json"), "utf8"), file, "the files are put back");
    assert.ok((await resourcesOfType(t.stack, "MarathonApp")).some((a) => a.id === "/db-client"));
  });

  it("SIGTERM during adopt's run removes dcos-vnet:adopting and says so", async function () {
    const config = path.join(ROOT, `Pulumi.${t.name}.yaml`);
    const child = spawn(process.execPath, [BIN, "adopt", "--stack", t.name, "--url", fake.clusterUrl, "--allow-insecure-http", "--out", out, "--force"], {
      cwd: ROOT, env: { ...process.env, ...t.env, DCOS_VNET_MARATHON_TOKEN: TOKEN },
    });
    let stderr = "";
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    let ended = false;
    const exited = new Promise<void>((resolve) =>
      child.on("close", () => {
        ended = true;
        resolve();
      }),
    );
    // Waits, as long as the run lasts (8 min at most), for it to have set the key, then interrupts it.
    const began = Date.now();
    while (!/adopting: true/.test(fs.readFileSync(config, "utf8"))) {
      if (ended) assert.fail(`adopt ended before it set dcos-vnet:adopting in ${config}; its stderr:\n${stderr}`);
      if (Date.now() - began > 480_000) assert.fail(`adopt, still running, did not set dcos-vnet:adopting in ${config} within 8 min; its stderr:\n${stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    child.kill("SIGTERM");
    await exited;
    assert.doesNotMatch(fs.readFileSync(config, "utf8"), /adopting/);
    assert.match(stderr, /interrupted \(SIGTERM\): removed dcos-vnet:adopting from .*Pulumi\.t-adopt-.*\.yaml/);
  });
});

/** An app as the double stores it, without Marathon's own fields (to seed it again, changed). */
function stripped(app: Record<string, unknown>): Record<string, unknown> {
  const { version: _v, versionInfo: _vi, tasks: _t, ...rest } = app;
  return rest;
}

/** A test stack's project config, without the `dcos-vnet:` prefix, as its file holds it (secrets encrypted). */
function configOf(t: TestStack): Record<string, unknown> {
  const raw = (yaml.load(fs.readFileSync(path.join(ROOT, `Pulumi.${t.name}.yaml`), "utf8")) as any).config ?? {};
  return Object.fromEntries(Object.entries(raw).filter(([k]) => k.startsWith("dcos-vnet:")).map(([k, v]) => [k.slice("dcos-vnet:".length), v]));
}

function listFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? listFiles(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

describe("dcos-vnet adopt --code (a TypeScript program of its own)", function () {
  let fake: FakeMarathon;
  let root: string;
  let backend: string;

  before(async function () {
    fake = await startFakeMarathon({ token: TOKEN, deploymentMs: 50, overlayState: OVERLAY_STATE });
    await seedOverHttp(fake, TOKEN);
    root = fs.mkdtempSync(path.join(os.tmpdir(), "dcos-vnet-code-"));
    backend = fs.mkdtempSync(path.join(os.tmpdir(), "dcos-vnet-state-"));
    // The project's dependencies, as `npm install pulumi-dcos-vnet @pulumi/pulumi` would give them.
    fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(root, "node_modules"));
  });

  after(async function () {
    if (fake) await fake.close();
    for (const dir of [root, backend]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("writes no file when the stack cannot be selected (the backend unreachable): nothing to refuse the next try", async function () {
    const env = { PATH: `${TOOLS_BIN}:${process.env.PATH}`, PULUMI_BACKEND_URL: "file:///proc/no-such-backend", PULUMI_CONFIG_PASSPHRASE: "dcos-vnet-test", PULUMI_SKIP_UPDATE_CHECK: "true" };
    const r = await runAdopt(["--stack", "adopted", "--url", fake.clusterUrl, "--allow-insecure-http", "--code", "--root", root], { ...env, DCOS_VNET_MARATHON_TOKEN: TOKEN });
    assert.notEqual(r.code, 0);
    assert.deepEqual(fs.readdirSync(root).filter((f) => f !== "node_modules"), []);
  });

  it("writes a program that compiles under strict, and whose stack previews 0 changes after adopt's run", async function () {
    await requirePulumi();
    const env = { PATH: `${TOOLS_BIN}:${process.env.PATH}`, PULUMI_BACKEND_URL: `file://${backend}`, PULUMI_CONFIG_PASSPHRASE: "dcos-vnet-test", PULUMI_SKIP_UPDATE_CHECK: "true" };
    const seeded = writes(fake).length;
    const r = await runAdopt(["--stack", "adopted", "--url", fake.clusterUrl, "--allow-insecure-http", "--code", "--root", root], { ...env, DCOS_VNET_MARATHON_TOKEN: TOKEN });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(writes(fake).length, seeded, "adopt --code wrote to Marathon");
    const program = fs.readFileSync(path.join(root, "index.ts"), "utf8");
    assert.match(program, /new DcosCluster/);
    assert.ok(!program.includes(TOKEN));
    await promisify(execFile)(process.execPath, [path.join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", path.join(root, "tsconfig.json")], { cwd: root });
    const tsconfig = JSON.parse(fs.readFileSync(path.join(root, "tsconfig.json"), "utf8"));
    assert.equal(tsconfig.compilerOptions.strict, true);
    const stack = await LocalWorkspace.selectStack({ stackName: "adopted", workDir: root }, { envVars: env, pulumiCommand: await requirePulumi() });
    const preview = await stack.preview();
    assert.deepEqual(Object.keys(preview.changeSummary), ["same"], JSON.stringify(preview.changeSummary));
    assert.equal((await stack.exportStack()).deployment.resources.filter((x: any) => String(x.type).endsWith("MarathonApp")).length, 5);
  });
});

describe("dcos-vnet adopt of a Marathon without an overlay master (404 at /mesos/overlay-master/state)", function () {
  let fake: FakeMarathon;
  let t: TestStack;
  let out: string;

  before(async function () {
    fake = await startFakeMarathon({ token: TOKEN, deploymentMs: 50 });
    fake.seed({ id: "/host-echo", instances: 1, cpus: 0.1, mem: 32, cmd: "sleep 3600", portDefinitions: [{ port: 0, name: "echo" }] });
    t = await createTestStack("adopt-no-overlay", {});
    out = fs.mkdtempSync(path.join(os.tmpdir(), "dcos-vnet-adopt-"));
  });

  after(async function () {
    if (t) await t.dispose();
    if (fake) await fake.close();
    if (out) fs.rmSync(out, { recursive: true, force: true });
  });

  it("adopts the apps with no networks, says why in the report, and previews 0 changes", async function () {
    const r = await runAdopt(["--stack", t.name, "--url", fake.clusterUrl, "--allow-insecure-http", "--out", out], { ...t.env, DCOS_VNET_MARATHON_TOKEN: TOKEN });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(fake.writes(), 0);
    assert.match(r.stdout, /no networks, agents or VTEP: the cluster has no overlay master \(http:\/\/127\.0\.0\.1:\d+\/mesos\/overlay-master\/state answered 404/);
    assert.deepEqual(configOf(t).networks, []);
    assert.deepEqual((await resourcesOfType(t.stack, "MarathonApp")).map((a) => a.id), ["/host-echo"]);
    const preview = await t.stack.preview();
    assert.deepEqual(Object.keys(preview.changeSummary), ["same"], JSON.stringify(preview.changeSummary));
  });
});
