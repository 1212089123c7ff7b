// The pull-request summary of a real `pulumi preview --json --diff`: a throwaway stack is brought
// up (one virtual network, two apps, one of them with a Marathon secret), then each change a
// reviewer meets is previewed with the real CLI and its JSON rendered: an agent added, the subnet
// changed, an app scaled, an app's image changed, a secret changed. Last, `dcos-vnet preview-md`
// itself, on a good and on a broken config.
import { strict as assert } from "assert";
import * as path from "path";
import { execFile } from "child_process";
import { promisify } from "util";
import { createTestStack, TestStack } from "../support/pulumi";
import { requireDocker } from "../support/docker";
import { ROOT } from "../support/paths";
import { renderPreviewMarkdown } from "../../src/report/preview";

const suffix = Math.random().toString(36).slice(2, 6);
const NET = `pmd-${suffix}`;
const SECRET = `pmd-pw-${suffix}-first`;
const OTHER_SECRET = `pmd-pw-${suffix}-second`;
/** The passphrase test/support/pulumi.ts gives throwaway stacks. */
const TEST_PASSPHRASE = "dcos-vnet-test";

interface Shape {
  agents?: string[];
  subnet?: string;
  prefix?: number;
  mtu?: number;
  webInstances?: number;
  webImage?: string;
  secrets?: unknown;
}

function config(shape: Shape) {
  const onNet = { networks: [{ mode: "container", name: NET }], cmd: "exec sleep 3600", cpus: 0.05, mem: 16 };
  return {
    cluster: { agents: shape.agents ?? ["agent-1", "agent-2"] },
    networks: [{ name: NET, subnet: shape.subnet ?? "9.160.0.0/16", prefix: shape.prefix ?? 24, ...(shape.mtu ? { mtu: shape.mtu } : {}) }],
    apps: [
      { app: { id: "/web", instances: shape.webInstances ?? 2, container: { type: "DOCKER", docker: { image: shape.webImage ?? "busybox" } }, ...onNet } },
      {
        app: {
          id: "/api", instances: 1, container: { type: "DOCKER", docker: { image: "busybox" } },
          env: { DB: { secret: "db" } }, secrets: { db: { source: "db-password" } }, ...onNet,
        },
      },
    ],
    ...(shape.secrets ? { secrets: shape.secrets } : {}),
  };
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

describe("preview Markdown from the real Pulumi CLI", function () {
  let t: TestStack;
  let secrets: unknown;
  const rendered: string[] = [];

  /** Sets the stack's config to the shape, previews with the real CLI, renders its JSON (with the state, as preview-md does). */
  async function previewMarkdown(shape: Shape): Promise<string> {
    t.setConfig(config({ secrets, ...shape }));
    const json = JSON.parse(await t.cli(["preview", "--json", "--diff"]));
    const state = JSON.parse(await t.cli(["stack", "export"]));
    const md = renderPreviewMarkdown(json, { stack: t.name, state });
    rendered.push(md);
    return md;
  }

  before(async function () {
    await requireDocker();
    t = await createTestStack("pmd", config({}));
    secrets = { "db-password": await t.secret(SECRET) };
    t.setConfig(config({ secrets }));
    await t.stack.up();
  });

  after(async function () {
    if (t) await t.dispose();
  });

  it("agent added: an update, and the agent's new block with its halves", async function () {
    const md = await previewMarkdown({ agents: ["agent-1", "agent-2", "agent-3"] });
    assert.match(md, /\*\*3 to update, 2 unchanged\*\*/);
    assert.match(md, new RegExp(`^\\| VirtualNetwork \\| \`${NET}\` \\| update \\|$`, "m"));
    assert.match(md, /^\+ agent-3 → 9\.160\.2\.0\/24 \(mesos 9\.160\.2\.0\/25, docker 9\.160\.2\.128\/25\)$/m);
    assert.doesNotMatch(md, /^[-!] agent-/m, "agents that stay keep their blocks");
    assert.match(md, /- `agents`: `\["agent-1","agent-2"\]` → `\["agent-1","agent-2","agent-3"\]`/);
    // the apps see the allocation through their `networks` input
    assert.match(md, new RegExp(`^\\| MarathonApp \\| \`web\` \\| update \\|$`, "m"));
    assert.match(md, new RegExp(`- \`networks\`: ${NET} changed; their agent blocks are under Allocations`));
    assert.doesNotMatch(md, /### Warnings/);
  });

  it("subnet changed: a replace with its reason, every block moving, and the apps it restarts", async function () {
    const md = await previewMarkdown({ subnet: "9.161.0.0/16" });
    assert.match(md, new RegExp(`^\\| VirtualNetwork \\| \`${NET}\` \\| replace \\|$`, "m"));
    assert.match(md, new RegExp(`^\\| LocalDockerNetwork \\| \`${NET}\` \\| replace \\|$`, "m"));
    assert.match(md, new RegExp(`\\*\\*VirtualNetwork \`${NET}\`\\*\\*: replace, because \`subnet\` changed\\n`));
    assert.match(md, /- `subnet`: `"9\.160\.0\.0\/16"` → `"9\.161\.0\.0\/16"`/);
    assert.match(md, /- `gateway`: `"9\.160\.0\.1"` → `"9\.161\.0\.1"`/);
    assert.match(md, /^! agent-1 moves 9\.160\.0\.0\/24 → 9\.161\.0\.0\/24 \(mesos 9\.161\.0\.0\/25, docker 9\.161\.0\.128\/25\)$/m);
    assert.match(md, /^! agent-2 moves 9\.160\.1\.0\/24 → 9\.161\.1\.0\/24 /m);
    assert.match(md, new RegExp(`### Warnings\\n\\n- replacing network \`${NET}\` restarts apps \`/api\`, \`/web\`\\n`));
  });

  it("MTU changed: the Docker network is re-created under apps the preview does not list", async function () {
    const md = await previewMarkdown({ mtu: 1400 });
    assert.match(md, new RegExp(`^\\| VirtualNetwork \\| \`${NET}\` \\| update \\|$`, "m"));
    assert.match(md, new RegExp(`^\\| LocalDockerNetwork \\| \`${NET}\` \\| replace \\|$`, "m"));
    assert.match(md, new RegExp(`\\*\\*LocalDockerNetwork \`${NET}\`\\*\\*: replace, because \`mtu\` changed\\n- \`mtu\`: \`1420\` → \`1400\``));
    assert.doesNotMatch(md, /\| MarathonApp \|/, "the apps themselves do not change");
    assert.match(md, new RegExp(`- replacing network \`${NET}\` restarts apps \`/api\`, \`/web\`\\n`));
  });

  it("app scaled: the instance count, old → new, and nothing else changes", async function () {
    const md = await previewMarkdown({ webInstances: 3 });
    assert.match(md, /\*\*1 to update, 4 unchanged\*\*/);
    assert.match(md, /^\| MarathonApp \| `web` \| update \|$/m);
    assert.match(md, /^- `\/web` \(update\): instances 2 → 3$/m);
    assert.match(md, /- `app\.instances`: `2` → `3`/);
    assert.doesNotMatch(md, /VirtualNetwork|### Allocations|### Warnings/);
  });

  it("app image changed: the image, old → new", async function () {
    const md = await previewMarkdown({ webImage: "busybox:latest" });
    assert.match(md, /^\| MarathonApp \| `web` \| update \|$/m);
    assert.match(md, /^- `\/web` \(update\): image `busybox` → `busybox:latest`$/m);
    assert.match(md, /- `app\.container`: `\{"docker":\{"image":"busybox"\},"type":"DOCKER"\}` → `\{"docker":\{"image":"busybox:latest"\},"type":"DOCKER"\}`/);
  });

  it("secret changed: the app updates, and neither value appears anywhere in the Markdown", async function () {
    const md = await previewMarkdown({ secrets: { "db-password": await t.secret(OTHER_SECRET) } });
    assert.match(md, /^\| MarathonApp \| `api` \| update \|$/m);
    assert.match(md, /\*\*MarathonApp `api`\*\*: update\n- no input change to show: a secret value, or state read by refresh, differs/);
    for (const [i, text] of rendered.entries()) {
      for (const secret of [SECRET, OTHER_SECRET]) assert.ok(!text.includes(secret), `secret in preview ${i}'s Markdown:\n${text}`);
    }
  });

  describe("dcos-vnet preview-md (the command the workflow runs)", function () {
    /** Runs the command on the throwaway stack's backend; resolves to its exit code and output. */
    async function previewMd(): Promise<{ code: number; stdout: string; stderr: string }> {
      const env = { ...process.env, PULUMI_BACKEND_URL: `file://${t.backendDir}`, PULUMI_CONFIG_PASSPHRASE: TEST_PASSPHRASE };
      try {
        const { stdout, stderr } = await promisify(execFile)(process.execPath, [path.join(ROOT, "bin", "dcos-vnet"), "preview-md", "--stack", t.name], { cwd: ROOT, env });
        return { code: 0, stdout, stderr };
      } catch (err) {
        const e = err as { code?: number; stdout?: string; stderr?: string };
        return { code: e.code ?? -1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
      }
    }

    it("prints the Markdown and exits 0 when the preview succeeds", async function () {
      t.setConfig(config({ secrets, webInstances: 4 }));
      const res = await previewMd();
      assert.equal(res.code, 0, res.stderr);
      assert.match(res.stdout, new RegExp(`^## Pulumi preview of stack \`${escape(t.name)}\`\\n`));
      assert.match(res.stdout, /^- `\/web` \(update\): instances 2 → 4$/m);
      assert.ok(!res.stdout.includes(SECRET));
    });

    it("exits 1 on a failing preview, the Markdown listing the error", async function () {
      t.setConfig(config({ secrets, prefix: 15 }));
      const res = await previewMd();
      assert.equal(res.code, 1, res.stdout);
      assert.match(res.stdout, /: failed\n/);
      assert.match(res.stdout, /\*\*error\*\*:\n```text\ninvalid stack configuration:\ndcos-vnet:networks\[0\]\.prefix: prefix \/15 must be longer than the subnet's \/16/);
      t.setConfig(config({ secrets }));
    });
  });
});
