// State written from one place keeps working from another, and from the next version:
// - re-clone: a stack brought up from copy A of this project is previewed (no changes), refreshed
//   and destroyed from copy B after A is deleted;
// - upgrade: a stack brought up by the previous release's program (the landed commit before the
//   package existed, whose provider captured an absolute path) is taken over by this version with
//   no replace and no delete, and its containers keep their ids and addresses; the old checkout can
//   then go.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { execFileSync } from "child_process";
import { Stack } from "@pulumi/pulumi/automation";
import { ROOT } from "../support/paths";
import { engine, ownedObjects, requireDocker } from "../support/docker";
import { opsRecorder } from "../support/pulumi";
import { copyCheckout, disposeUpgrade, extractRevision, providersInState, stackIn, tempDir, writeStackConfig } from "../support/project";

/** The last landed commit before the package (lazyProvider with an absolute module path). */
const PREVIOUS_RELEASE = "dbd2505";

const suffix = Math.random().toString(36).slice(2, 6);

function config(net: string, subnet: string) {
  return {
    cluster: { agents: ["agent-1", "agent-2"] },
    networks: [{ name: net, subnet, prefix: 24 }],
    apps: [{
      app: {
        id: `/mob-${suffix}/web`, cmd: "exec sleep 3600", instances: 2, cpus: 0.05, mem: 16,
        container: { type: "DOCKER", docker: { image: "busybox" } },
        networks: [{ mode: "container", name: net }],
      },
    }],
  };
}

async function containersOf(stack: string): Promise<Record<string, { id: string; ip: string }>> {
  const list = await engine.listContainers({ all: true, filters: { label: [`io.dcos-vnet.stack=${stack}`] } });
  return Object.fromEntries(list.map((c) => [
    c.Names[0].slice(1),
    { id: c.Id, ip: Object.values(c.NetworkSettings.Networks)[0]?.IPAddress ?? "" },
  ]));
}

describe("state that survives a re-clone and an upgrade of the package", function () {
  before(requireDocker);

  describe("re-clone: up from copy A, then preview, refresh and destroy from copy B with A deleted", function () {
    const name = `t-reclone-${suffix}`;
    let a: string, b: string, backend: string;
    let stack: Stack;

    before(async function () {
      a = tempDir("clone-a");
      b = tempDir("clone-b");
      backend = tempDir("clone-state");
      copyCheckout(a);
      writeStackConfig(a, name, config(`rc-${suffix}`, "9.241.0.0/16"));
      stack = await stackIn(a, name, backend);
    });

    after(async function () {
      for (const d of [a, b, backend]) if (d) fs.rmSync(d, { recursive: true, force: true });
    });

    it("comes up from copy A", async function () {
      await stack.up();
      assert.equal(Object.keys(await containersOf(name)).length, 2);
      for (const p of await providersInState(stack)) {
        assert.ok(!p.provider.includes(a), `${p.type} ${p.name}: the provider must not name checkout A`);
      }
    });

    it("from copy B, with A deleted: preview shows no changes, refresh and destroy succeed", async function () {
      execFileSync("cp", ["-a", `${a}/.`, b]);
      fs.rmSync(a, { recursive: true, force: true });
      const fromB = await stackIn(b, name, backend);
      const preview = await fromB.preview();
      const { same, ...changes } = preview.changeSummary;
      assert.deepEqual(changes, {}, JSON.stringify(preview.changeSummary));
      assert.ok((same ?? 0) >= 4);
      await fromB.refresh();
      await fromB.destroy();
      assert.deepEqual(await ownedObjects(name), { networks: [], containers: [] });
    });
  });

  describe(`upgrade: up with the previous release (${PREVIOUS_RELEASE}), then up with this version`, function () {
    const name = `t-upgrade-${suffix}`;
    let old: string, backend: string;
    let initial: Record<string, { id: string; ip: string }>;
    let current: Stack | undefined;

    before(async function () {
      old = tempDir("previous");
      backend = tempDir("upgrade-state");
      extractRevision(PREVIOUS_RELEASE, old); // the old program, exactly as it was
      fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(old, "node_modules"));
      writeStackConfig(old, name, config(`up-${suffix}`, "9.242.0.0/16"));
      writeStackConfig(ROOT, name, config(`up-${suffix}`, "9.242.0.0/16"));
    });

    after(async function () {
      await disposeUpgrade(current, name, [old, backend]);
    });

    it("the previous release brings the stack up (its state names its checkout's path)", async function () {
      const previous = await stackIn(old, name, backend);
      await previous.up();
      initial = await containersOf(name);
      assert.equal(Object.keys(initial).length, 2);
      const providers = await providersInState(previous);
      assert.ok(providers.some((p) => p.provider.includes(old)), "the old provider captured a path (what this version fixes)");
    });

    it("this version's preview shows no replace and no delete (the component is new; its children keep their URNs)", async function () {
      current = await stackIn(ROOT, name, backend);
      const { ops, onEvent } = opsRecorder();
      await current.preview({ onEvent });
      const destructive = Object.entries(ops).filter(([, op]) => /replace|delete/.test(op));
      assert.deepEqual(destructive, [], JSON.stringify(ops));
      const created = Object.entries(ops).filter(([, op]) => op === "create").map(([k]) => k);
      assert.deepEqual(created, [`DcosCluster::${name}`], JSON.stringify(ops));
    });

    it("this version's up keeps every container (same ids, same addresses) and rewrites the providers", async function () {
      await current!.up();
      assert.deepEqual(await containersOf(name), initial);
      for (const p of await providersInState(current!)) {
        assert.ok(!p.provider.includes(old), `${p.type} ${p.name} still names the old checkout`);
      }
    });

    it("with the old checkout deleted, refresh and destroy succeed and leave nothing", async function () {
      fs.rmSync(old, { recursive: true, force: true });
      await current!.refresh();
      await current!.destroy();
      current = undefined;
      assert.deepEqual(await ownedObjects(name), { networks: [], containers: [] });
    });
  });
});
