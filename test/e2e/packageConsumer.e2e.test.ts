// The package as a user gets it: `npm pack`, installed into a Pulumi TypeScript project in a
// directory outside this repository, whose program imports `pulumi-dcos-vnet`. Its declarations
// compile under `strict`; `pulumi up` creates the networks and the seed app's container; a second
// preview is a no-op; the state names the package, not a path; destroy leaves nothing labelled.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { execFileSync } from "child_process";
import { Stack } from "@pulumi/pulumi/automation";
import { ROOT } from "../support/paths";
import { engine, ownedObjects, requireDocker } from "../support/docker";
import { inCidr } from "../support/net";
import { packPackage, packedFiles, providersInState, stackIn, tempDir } from "../support/project";

const PROGRAM = `import * as fs from "fs";
import * as pulumi from "@pulumi/pulumi";
import { DcosCluster, planVirtualNetwork } from "pulumi-dcos-vnet";
import { validateApp, AppDefinition } from "pulumi-dcos-vnet/core";

const seed = JSON.parse(fs.readFileSync("seed-app.json", "utf8")) as AppDefinition;
const problems = validateApp(seed);
if (problems.length > 0) throw new Error(problems.map((p) => p.property + ": " + p.reason).join("; "));

// A fresh stack has no config at all: reading it must still work (the language host passes {}).
const note: string = new pulumi.Config().get("note") ?? "none";

const planned = planVirtualNetwork({ name: "dcos-1", subnet: "9.10.0.0/16", prefix: 24, agents: ["agent-1"] });
if (!planned.ok) throw new Error("plan failed");

const cluster = new DcosCluster("shop", {
  cluster: { agents: ["agent-1", "agent-2"] },
  networks: [
    { name: "dcos-1", subnet: "9.10.0.0/16", prefix: 24 },
    { name: "dcos-2", subnet: "9.11.0.0/16", prefix: 24 },
  ],
  apps: [{ app: seed as unknown as Record<string, unknown> }],
});

export const firstBlock: string = planned.plan.agentSubnets["agent-1"].block;
export const networks = cluster.virtualNetworkOutputs();
export const apps = cluster.appOutputs();
export const stackName: string = pulumi.getStack();
export const configNote = note;
`;

describe("the packed package in a user's own Pulumi program (outside the repository)", function () {
  let dir: string;
  let backend: string;
  let stack: Stack;
  const stackName = `consumer${Math.random().toString(36).slice(2, 6)}`;

  before(async function () {
    await requireDocker();
    const tarball = packPackage();
    dir = tempDir("consumer");
    backend = tempDir("consumer-state");
    assert.ok(!path.resolve(dir).startsWith(ROOT), "the project lies outside the repository");
    const pinned = require(path.join(ROOT, "package.json")).devDependencies;
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({
      name: "my-dcos-infra", private: true,
      dependencies: { "pulumi-dcos-vnet": `file:${tarball}`, "@pulumi/pulumi": pinned["@pulumi/pulumi"] },
      devDependencies: { typescript: pinned.typescript, "ts-node": pinned["ts-node"], "@types/node": pinned["@types/node"] },
    }, null, 2));
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: my-dcos-infra\nruntime: nodejs\n");
    fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify({
      compilerOptions: { strict: true, target: "ES2022", module: "commonjs", moduleResolution: "node", esModuleInterop: true, noEmit: true, types: ["node"] },
      files: ["index.ts"],
    }, null, 2));
    fs.writeFileSync(path.join(dir, "index.ts"), PROGRAM);
    fs.copyFileSync(path.join(ROOT, "examples/seed-app/app.json"), path.join(dir, "seed-app.json"));
    execFileSync("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: dir, stdio: "inherit" });
    stack = await stackIn(dir, stackName, backend);
  });

  after(async function () {
    try {
      if (stack) await stack.destroy();
    } finally {
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
      if (backend) fs.rmSync(backend, { recursive: true, force: true });
    }
  });

  it("ships compiled JavaScript with declarations, the bin, and no TypeScript sources or tests", function () {
    const files = packedFiles();
    for (const f of ["dist/index.js", "dist/index.d.ts", "dist/core/index.js", "dist/resources/providers/index.js", "dist/stack/program.js", "bin/dcos-vnet", "package.json"]) {
      assert.ok(files.includes(f), `${f} is packed`);
    }
    const stray = files.filter((f) => /^(src|test|bench|scripts|tools)\//.test(f) || (f.endsWith(".ts") && !f.endsWith(".d.ts")));
    assert.deepEqual(stray, []);
  });

  it("installs with @pulumi/pulumi as a peer and no ts-node needed at run time", function () {
    const installed = require(path.join(dir, "node_modules/pulumi-dcos-vnet/package.json"));
    assert.ok(installed.peerDependencies["@pulumi/pulumi"], "peer dependency on @pulumi/pulumi");
    assert.equal(installed.dependencies["ts-node"], undefined);
    assert.equal(installed.dependencies["@pulumi/pulumi"], undefined);
  });

  it("its declarations type-check the user's program under strict", function () {
    try {
      execFileSync(process.execPath, [path.join(dir, "node_modules/typescript/bin/tsc"), "-p", dir], { cwd: dir, encoding: "utf8" });
    } catch (err) {
      assert.fail(`tsc --strict failed:\n${(err as { stdout?: string }).stdout}`);
    }
  });

  it("pulumi up creates both networks and the seed app's container, on its own IP in its agent's Docker half", async function () {
    const res = await stack.up();
    assert.equal(res.outputs.firstBlock.value, "9.10.0.0/24");
    assert.equal(res.outputs.configNote.value, "none");
    const vnet = res.outputs.networks.value["dcos-1"];
    const app = res.outputs.apps.value["/my-networking"];
    assert.equal(app.instances.length, 1);
    const inst = app.instances[0];
    assert.ok(inCidr(inst.ip, vnet.agentSubnets[inst.agent].docker), `${inst.ip} in ${vnet.agentSubnets[inst.agent].docker}`);
    const seen = await engine.getContainer(inst.container).inspect();
    assert.equal(seen.NetworkSettings.Networks["dcos-1"].IPAMConfig.IPv4Address, inst.ip);
    const owned = await ownedObjects(stackName);
    assert.deepEqual(owned.networks.sort(), ["dcos-1", "dcos-2"]);
  });

  it("keeps in each resource's state a provider that names the package (no path), under 1 KB", async function () {
    const providers = await providersInState(stack);
    assert.equal(providers.length, 5); // 2 VirtualNetwork, 2 LocalDockerNetwork, 1 MarathonApp
    for (const p of providers) {
      const kind = p.type.split(":").pop();
      assert.match(p.provider, new RegExp(`require\\("pulumi-dcos-vnet/handles/${kind}"\\)`), p.provider);
      assert.ok(!p.provider.includes(dir) && !p.provider.includes(ROOT), "no path of a checkout or project");
      assert.ok(p.provider.length <= 1024, `${p.type} __provider is ${p.provider.length} bytes`);
    }
  });

  it("a second preview changes nothing", async function () {
    const preview = await stack.preview();
    const { same, ...changes } = preview.changeSummary;
    assert.deepEqual(changes, {}, JSON.stringify(preview.changeSummary));
    assert.equal(same, 7); // stack, component, 5 resources
  });

  it("destroy leaves no network or container with this stack's labels", async function () {
    await stack.destroy();
    assert.deepEqual(await ownedObjects(stackName), { networks: [], containers: [] });
  });
});
