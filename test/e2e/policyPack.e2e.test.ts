// The policy pack through the real CLI, as users enable it: `pulumi preview --policy-pack policy`.
// Three stacks share one backend. The owner stack is brought up with a network of its own (on the
// tests' private engine). A violating stack, tagged env=prod, breaks every rule: apps without
// health checks, one with a single instance, one privileged (the cluster allows it), on a network
// not labelled prod, that overlaps the owner's network under another name, and fills its agent's
// Docker half. A passing stack, tagged
// env=prod too, keeps every rule, and shares the owner's network through `external: true`.
// Last, `dcos-vnet preview-md --policy-pack policy` lists the violations in the Markdown.
import { strict as assert } from "assert";
import { execFile } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { promisify } from "util";
import { createTestStack, TestStack, uniqueSuffix } from "../support/pulumi";
import { requireDocker } from "../support/docker";
import { PROJECT, ROOT, TOOLS_BIN } from "../support/paths";

const run = promisify(execFile);
const sfx = uniqueSuffix();
const OWN_NET = `own-${sfx}`;
const V_NET = `v-${sfx}`;
const P_NET = `p-${sfx}`;
const BUSYBOX = { type: "DOCKER", docker: { image: "busybox" } };
const HEALTHY = { healthChecks: [{ protocol: "COMMAND", command: { value: "true" } }] };

function appOn(id: string, network: string, instances: number, extra: object = {}) {
  return { app: { id, cmd: "sleep 3600", cpus: 0.01, mem: 16, instances, container: BUSYBOX, networks: [{ mode: "container", name: network }], ...extra } };
}

const VIOLATING = {
  cluster: { agents: ["agent-1"], allowPrivileged: true },
  // Inside the owner's 9.190.0.0/16, under another name; a /28 per agent: 5 container addresses per half.
  networks: [{ name: V_NET, subnet: "9.190.8.0/24", prefix: 28, external: true }],
  apps: [appOn("/v-web", V_NET, 1), appOn("/v-batch", V_NET, 4, { container: { ...BUSYBOX, docker: { ...BUSYBOX.docker, privileged: true } } })],
};

const PASSING = {
  cluster: { agents: ["agent-1", "agent-2", "agent-3"] },
  networks: [
    { name: OWN_NET, subnet: "9.190.0.0/16", prefix: 24, external: true, labels: { env: "prod" } },
    { name: P_NET, subnet: "9.191.0.0/16", prefix: 24, labels: { env: "prod" } },
  ],
  apps: [appOn("/p-web", P_NET, 2, HEALTHY), appOn("/p-shared", OWN_NET, 3, HEALTHY)],
};

describe("policy pack through the real CLI (pulumi preview --policy-pack policy)", function () {
  let owner: TestStack;
  const extraStacks: string[] = [];
  const env = () => ({ ...process.env, ...owner.env });

  /** The CLI on a stack of the owner's backend; resolves to { code, out } (stdout and stderr). */
  async function pulumi(args: string[]): Promise<{ code: number; out: string }> {
    try {
      const { stdout, stderr } = await run(path.join(TOOLS_BIN, "pulumi"), [...args, "--non-interactive"], { cwd: ROOT, env: env(), maxBuffer: 64 * 2 ** 20 });
      return { code: 0, out: stdout + stderr };
    } catch (err) {
      const e = err as { code?: number; stdout?: string; stderr?: string };
      return { code: typeof e.code === "number" ? e.code : 1, out: (e.stdout ?? "") + (e.stderr ?? "") };
    }
  }

  /** A stack in the owner's backend, tagged env=prod, with this config. */
  async function prodStack(label: string, config: Record<string, unknown>): Promise<string> {
    const name = `t-${label}-${sfx}`;
    const prefixed = Object.fromEntries(Object.entries(config).map(([k, v]) => [`${PROJECT}:${k}`, v]));
    fs.writeFileSync(path.join(ROOT, `Pulumi.${name}.yaml`), yaml.dump({ config: prefixed }));
    extraStacks.push(name);
    for (const args of [["stack", "init", name], ["stack", "tag", "set", "env", "prod", "--stack", name]]) {
      const r = await pulumi(args);
      assert.equal(r.code, 0, r.out);
    }
    return name;
  }

  before(async function () {
    await requireDocker();
    owner = await createTestStack("polown", {
      cluster: { agents: ["agent-1", "agent-2", "agent-3"] },
      networks: [{ name: OWN_NET, subnet: "9.190.0.0/16", prefix: 24 }],
      apps: [],
    });
    await owner.stack.up();
  });

  after(async function () {
    for (const name of extraStacks) {
      await pulumi(["stack", "rm", "--yes", "--force", "--stack", name]);
      fs.rmSync(path.join(ROOT, `Pulumi.${name}.yaml`), { force: true });
    }
    if (owner) await owner.dispose();
  });

  it("fails the violating stack's preview with each rule's message", async function () {
    const name = await prodStack("polv", VIOLATING);
    const r = await pulumi(["preview", "--policy-pack", "policy", "--stack", name]);
    assert.notEqual(r.code, 0, `the preview should fail:\n${r.out}`);
    const expected = [
      "[mandatory]  dcos-app-health-check",
      `MarathonApp v-web (/v-web): app.healthChecks is empty; every app needs at least one health check`,
      `MarathonApp v-batch (/v-batch): app.healthChecks is empty`,
      "[mandatory]  dcos-prod-app-min-instances",
      `MarathonApp v-web (/v-web) of prod stack ${name} (tagged env=prod): app.instances is 1; prod apps run at least 2 instances (policy config minInstances)`,
      "[mandatory]  dcos-prod-apps-on-prod-networks",
      `MarathonApp v-web (/v-web) of prod stack ${name} (tagged env=prod) joins network ${V_NET} (app.networks[0].name), which is not a prod network: VirtualNetwork ${V_NET} has no label env: prod (labels.env)`,
      `MarathonApp v-batch (/v-batch) of prod stack ${name} (tagged env=prod) joins network ${V_NET}`,
      "[mandatory]  dcos-prod-no-privileged-containers",
      `MarathonApp v-batch (/v-batch) of prod stack ${name} (tagged env=prod) runs a privileged container (app.container.docker.privileged: true)`,
      "[mandatory]  dcos-no-cross-stack-overlap",
      `VirtualNetwork ${V_NET} (subnet): Incorrect address space for the overlay network '${V_NET}': Found overlapping address spaces ("9.190.8.0/24" overlaps '${owner.name}/${OWN_NET}' "9.190.0.0/16")`,
      "[advisory]  dcos-network-headroom",
      `VirtualNetwork ${V_NET}: agent-1's Docker half would hold 5 of its 5 container addresses (0% free) with /v-batch, /v-web`,
    ];
    for (const text of expected) assert.ok(r.out.includes(text), `missing ${JSON.stringify(text)} in:\n${r.out}`);
  });

  it("passes the stack that keeps every rule and shares the owner's network through external", async function () {
    const name = await prodStack("polp", PASSING);
    const r = await pulumi(["preview", "--policy-pack", "policy", "--stack", name]);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /Policies:\s*\n\s*✅ dcos-vnet@v0\.1\.0 \(local: policy\)/, r.out);
    assert.doesNotMatch(r.out, /\[(mandatory|advisory)\]/, r.out);
  });

  it("lists the violations in the pull-request Markdown (dcos-vnet preview-md --policy-pack policy)", async function () {
    const name = extraStacks.find((s) => s.startsWith("t-polv-"))!;
    let code = 0;
    let md = "";
    try {
      ({ stdout: md } = await run(process.execPath, [path.join(ROOT, "bin", "dcos-vnet"), "preview-md", "--stack", name, "--policy-pack", "policy"], { cwd: ROOT, env: env(), maxBuffer: 64 * 2 ** 20 }));
    } catch (err) {
      const e = err as { code?: number; stdout?: string };
      code = e.code ?? 1;
      md = e.stdout ?? "";
    }
    assert.equal(code, 1, md);
    assert.ok(md.startsWith(`## Pulumi preview of stack \`${name}\`: failed\n\n**7 mandatory policy violations block this change** (below).`), md);
    const section = md.slice(md.indexOf("### Policy violations"), md.indexOf("\n\n|"));
    const lines = section.split("\n").filter((l) => l.startsWith("- "));
    assert.deepEqual(lines.map((l) => l.split(":")[0]).sort(), [
      "- **advisory** `dcos-vnet/dcos-network-headroom` on VirtualNetwork `" + V_NET + "`",
      "- **mandatory** `dcos-vnet/dcos-app-health-check` on MarathonApp `v-batch`",
      "- **mandatory** `dcos-vnet/dcos-app-health-check` on MarathonApp `v-web`",
      "- **mandatory** `dcos-vnet/dcos-no-cross-stack-overlap` on VirtualNetwork `" + V_NET + "`",
      "- **mandatory** `dcos-vnet/dcos-prod-app-min-instances` on MarathonApp `v-web`",
      "- **mandatory** `dcos-vnet/dcos-prod-apps-on-prod-networks` on MarathonApp `v-batch`",
      "- **mandatory** `dcos-vnet/dcos-prod-apps-on-prod-networks` on MarathonApp `v-web`",
      "- **mandatory** `dcos-vnet/dcos-prod-no-privileged-containers` on MarathonApp `v-batch`",
    ].sort());
  });
});
