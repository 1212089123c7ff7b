// A user's program that declares MarathonApp and LocalDockerNetwork itself (no DcosCluster), on a
// Docker engine reached over tcp:// with TLS client certificates (a private dockerd with
// --tlsverify, in its own network namespace, its swarm formed by the program): the engines' PEM
// material and the app's secret env value stay out of `pulumi stack export` and of
// `pulumi preview --diff`. The stack is first brought up by the package as it was before engines
// and swarm were made secret, and this version takes it over with no replace and the container
// kept. With the documented default passphrase, every run says so.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { execFile } from "child_process";
import { promisify } from "util";
import { Stack } from "@pulumi/pulumi/automation";
import { ROOT, TOOLS_BIN } from "../support/paths";
import { opsRecorder } from "../support/pulumi";
import { BEFORE_TRANSPORT_HARDENING, buildRevision, cliEnv, installPackageFrom, linkDependencies, stackIn, tempDir } from "../support/project";
import { HostCluster, startHostCluster } from "../support/hostCluster";
import { makeTlsFiles, TlsFiles } from "../support/tlsCerts";

const execFileAsync = promisify(execFile);

/** main before MarathonApp.engines and LocalDockerNetwork.swarm were secret (their PEM in plaintext in the state). */
const BEFORE_SECRET_ENGINES = BEFORE_TRANSPORT_HARDENING;
const DEFAULT_PASSPHRASE = "dcos-vnet-local";
const suffix = Math.random().toString(36).slice(2, 6);
const NET = `raw-${suffix}`;
const PASSWORD = `pw-${suffix}-never-in-the-state`;

const PROGRAM = `const fs = require("fs");
const path = require("path");
const pulumi = require("@pulumi/pulumi");
const { VirtualNetwork, LocalDockerNetwork, MarathonApp, joinable } = require("pulumi-dcos-vnet");

const config = new pulumi.Config();
const tlsDir = config.require("tlsDir");
const address = config.require("address");
const net = config.require("network");
const read = (file) => fs.readFileSync(path.join(tlsDir, file), "utf8");
const engine = { host: "host-1", docker: "tcp://" + address + ":2376", tls: { ca: read("ca.pem"), cert: read("client-cert.pem"), key: read("client-key.pem") } };

const vnet = new VirtualNetwork(net, { name: net, subnet: "9.232.0.0/16", prefix: 24, agents: ["agent-1"] });
const dockerNetwork = new LocalDockerNetwork(net, {
  name: net, subnet: "9.232.0.0/16", mtu: 1420,
  swarm: { mode: "form", hosts: [{ ...engine, advertiseAddr: address }] },
}, { dependsOn: [vnet] });
const web = new MarathonApp("web", {
  app: {
    id: "/web", cmd: "exec sleep 3600", instances: config.requireNumber("instances"), cpus: 0.05, mem: 16,
    container: { type: "DOCKER", docker: { image: "busybox" } },
    networks: [{ mode: "container", name: net }],
    env: { DB_PASSWORD: { secret: "db" } }, secrets: { db: { source: "db-password" } },
  },
  networks: { [net]: joinable(vnet, dockerNetwork.name) },
  secretEnv: { "db-password": config.requireSecret("dbPassword") },
  engines: { "agent-1": engine },
});
exports.containers = web.instances.apply((instances) => instances.map((i) => i.container));
`;

describe("MarathonApp and LocalDockerNetwork used directly with a TLS tcp:// engine: no PEM and no password in state or preview", function () {
  let cluster: HostCluster;
  let tls: TlsFiles;
  let project: string;
  let previous: string;
  let backend: string;
  let stack: Stack;
  let initialContainers: Record<string, string>;
  let keyBody: string;
  const name = `raw${suffix}`;
  const env = (passphrase: string) => ({ ...cliEnv(backend), PULUMI_CONFIG_PASSPHRASE: passphrase });

  /** The real CLI on a stack of the project, as a user runs it; resolves to stdout and stderr. */
  async function pulumi(args: string[], stackName: string, passphrase = DEFAULT_PASSPHRASE): Promise<string> {
    const { stdout, stderr } = await execFileAsync(path.join(TOOLS_BIN, "pulumi"), [...args, "--stack", stackName, "--non-interactive"], {
      cwd: project, env: { ...process.env, ...env(passphrase) }, maxBuffer: 64 * 2 ** 20,
    });
    return stdout + stderr;
  }

  async function configure(s: Stack, instances: number): Promise<void> {
    await s.setAllConfig({
      tlsDir: { value: tls.dir },
      address: { value: cluster.hosts[0].address },
      network: { value: NET },
      instances: { value: String(instances) },
      dbPassword: { value: PASSWORD, secret: true },
    });
  }

  /** Our containers on the host's engine, name → id. */
  async function containers(): Promise<Record<string, string>> {
    const list = await cluster.hosts[0].engine.client.listContainers({ all: true, filters: { label: [`io.dcos-vnet.stack=${name}`] } });
    return Object.fromEntries(list.map((c) => [c.Names[0].slice(1), c.Id]));
  }

  function assertNoSecret(text: string, where: string): void {
    assert.ok(!text.includes("BEGIN"), `${where} holds PEM material ("BEGIN")`);
    assert.ok(!text.includes(keyBody), `${where} holds the client key`);
    assert.ok(!text.includes(PASSWORD), `${where} holds the secret env value`);
  }

  before(async function () {
    cluster = await startHostCluster("raw", 1, (_k, address) => {
      tls = makeTlsFiles(address);
      return tls.dockerdArgs(2376);
    });
    keyBody = fs.readFileSync(tls.clientKey, "utf8").split("\n")[1];
    project = tempDir("raw-program");
    previous = tempDir("raw-previous");
    backend = tempDir("raw-state");
    fs.writeFileSync(path.join(project, "Pulumi.yaml"), "name: raw-resources\nruntime: nodejs\nmain: index.js\n");
    fs.writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "raw-resources", private: true, main: "index.js" }));
    fs.writeFileSync(path.join(project, "index.js"), PROGRAM);
    linkDependencies(project);
    buildRevision(BEFORE_SECRET_ENGINES, previous);
    installPackageFrom(project, previous);
    stack = await stackIn(project, name, backend, { PULUMI_CONFIG_PASSPHRASE: DEFAULT_PASSPHRASE });
    await configure(stack, 1);
  });

  after(async function () {
    this.timeout(300_000);
    try {
      if (stack) await stack.destroy();
    } finally {
      for (const d of [project, previous, backend]) if (d) fs.rmSync(d, { recursive: true, force: true });
      await cluster?.dispose();
      tls?.remove();
    }
  });

  it(`the package as it was (${BEFORE_SECRET_ENGINES}) brings the stack up over TLS, with the engines in its state in plaintext`, async function () {
    await stack.up();
    initialContainers = await containers();
    assert.equal(Object.keys(initialContainers).length, 1, JSON.stringify(initialContainers));
    const exported = await pulumi(["stack", "export"], name);
    assert.ok(exported.includes(keyBody), "the old state holds the client key in plaintext (what this version fixes)");
  });

  it("this version's preview --diff of that stack: no replace, no PEM, no password, and the default passphrase is warned about", async function () {
    installPackageFrom(project, ROOT);
    const { ops, onEvent } = opsRecorder();
    const preview = await stack.preview({ diff: true, onEvent });
    const destructive = Object.entries(ops).filter(([, op]) => /replace|delete/.test(op));
    assert.deepEqual(destructive, [], JSON.stringify(ops));
    assertNoSecret(preview.stdout + preview.stderr, "preview --diff");
    assert.match(preview.stdout + preview.stderr, /PULUMI_CONFIG_PASSPHRASE is the documented default/);
  });

  it("this version's up keeps the container, and the state then holds no PEM and no password", async function () {
    const { ops, onEvent } = opsRecorder();
    await stack.up({ onEvent });
    assert.deepEqual(Object.entries(ops).filter(([, op]) => /replace|delete/.test(op)), [], JSON.stringify(ops));
    assert.deepEqual(await containers(), initialContainers, "same container, same id");
    const exported = await pulumi(["stack", "export"], name);
    assertNoSecret(exported, "pulumi stack export");
    const resources = JSON.parse(exported).deployment.resources as any[];
    const secretIn = (type: string, key: string) => {
      const r = resources.find((x) => String(x.type).endsWith(type))!;
      return [r.inputs[key], r.outputs[key]].every((v) => typeof v?.ciphertext === "string");
    };
    assert.ok(secretIn("MarathonApp", "engines"), "MarathonApp.engines is a secret in inputs and outputs");
    assert.ok(secretIn("LocalDockerNetwork", "swarm"), "LocalDockerNetwork.swarm is a secret in inputs and outputs");
  });

  it("a change previewed with --diff (1 → 2 instances) shows no PEM and no password", async function () {
    await configure(stack, 2);
    const out = await pulumi(["preview", "--diff"], name);
    assert.match(out, /instances/);
    assertNoSecret(out, "preview --diff of a change");
    await configure(stack, 1);
  });

  it("a new stack of the same program previews with --diff (everything to create) without PEM or password, and a passphrase of its own is not warned about", async function () {
    const fresh = `rawnew${suffix}`;
    const other = await stackIn(project, fresh, backend, { PULUMI_CONFIG_PASSPHRASE: "not-the-default" });
    try {
      await configure(other, 1);
      const out = await pulumi(["preview", "--diff"], fresh, "not-the-default");
      assert.match(out, /\+ .*MarathonApp/);
      assertNoSecret(out, "preview --diff of a new stack");
      assert.doesNotMatch(out, /PULUMI_CONFIG_PASSPHRASE is the documented default/);
    } finally {
      await other.workspace.removeStack(fresh);
    }
  });
});
