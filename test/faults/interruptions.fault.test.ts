// Interruptions in the middle of `pulumi up`: the Docker engine stopping after the first container
// started, and the Pulumi CLI killed with SIGKILL. Afterwards, doing what a user would, the next
// up converges; no network or container is orphaned (every object with our ownership labels is in
// the state) and no address is handed out twice.
// The engine that stops is the tests' private one (test/support/privateEngine.ts), stopped and
// restarted by its dockerd's pid; the user's dockerd keeps running, the same process throughout.
import { strict as assert } from "assert";
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { createTestStack, resourcesOfType, TestStack } from "../support/pulumi";
import { engine, ownedObjects, requireDocker } from "../support/docker";
import { PrivateEngine } from "../support/privateEngine";
import { commandLineOf, isAlive } from "../support/processes";
import { userDockerdProcess } from "../support/userEngine";
import { ROOT, TOOLS_BIN } from "../support/paths";

const suffix = Math.random().toString(36).slice(2, 6);

/** `apps` apps of 3 instances each; with `parallel: 1` Pulumi creates them one after the other. */
function appConfig(net: string, subnet: string, apps: number) {
  return {
    cluster: { agents: ["agent-1", "agent-2", "agent-3"] },
    networks: [{ name: net, subnet, prefix: 24 }],
    apps: Array.from({ length: apps }, (_, i) => ({
      // Ends promptly on SIGTERM, so a stopping dockerd goes away in a second rather than ten.
      app: { id: `/busy-${i}`, cmd: "trap 'exit 0' TERM; while :; do sleep 1; done", instances: 3, cpus: 0.01, mem: 16, container: { type: "DOCKER", docker: { image: "busybox" } }, networks: [{ mode: "container", name: net }] },
    })),
  };
}

/**
 * The live processes started with `mark` in their environment: everything a CLI run started
 * with it (language host, program, providers, policy packs) inherits it, whoever its parent is now.
 */
function processesMarked(mark: string): Array<{ pid: number; command: string }> {
  const found: Array<{ pid: number; command: string }> = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let environ: string;
    try {
      environ = fs.readFileSync(`/proc/${entry}/environ`, "utf8");
    } catch {
      continue; // gone, or not ours to read
    }
    const pid = Number(entry);
    if (environ.split("\0").includes(mark) && isAlive(pid)) found.push({ pid, command: commandLineOf(pid).join(" ") });
  }
  return found;
}

/**
 * Resolves once a container of the stack runs (polling the engine every 50 ms). Bounded by the up
 * itself: fails when the up ends first, which under load can take minutes to get there (a fixed
 * 60 s bound once failed so), and in any case after 8 min (before mocha's 10).
 */
async function firstContainerRunning(stack: string, up: Promise<unknown>): Promise<void> {
  let upEnded = false;
  void up.then(() => (upEnded = true), () => (upEnded = true));
  const began = Date.now();
  for (;;) {
    const running = await engine.listContainers({ filters: { label: [`io.dcos-vnet.stack=${stack}`], status: ["running"] } }).catch(() => []);
    if (running.length > 0) return;
    if (upEnded) throw new Error(`the up of stack ${stack} ended before any of its containers ran (the test interrupts it after the first one)`);
    if (Date.now() - began > 480_000) throw new Error(`no container of stack ${stack} ran within 8 min of the up's start (the test waits for the first one to interrupt the up)`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Every object with our labels is in the state, and the addresses are distinct. */
async function assertConverged(t: TestStack, net: string, instances: number): Promise<void> {
  const apps = await resourcesOfType(t.stack, "MarathonApp");
  const inState = apps.flatMap((a) => a.outputs.instances);
  assert.equal(inState.length, instances, JSON.stringify(apps.map((a) => [a.id, a.outputs.instances.map((i: any) => `${i.container}:${i.state}`)])));
  assert.ok(inState.every((i: any) => i.state === "running"));
  const owned = await ownedObjects(t.name);
  assert.deepEqual(owned.containers.map((c) => c.replace(/^\//, "")).sort(), inState.map((i: any) => i.container).sort(), "no orphaned container");
  assert.deepEqual(owned.networks, [net], "no orphaned network");
  const endpoints = Object.values<any>((await engine.getNetwork(net).inspect()).Containers ?? {}).map((c) => c.IPv4Address);
  assert.equal(endpoints.length, instances);
  assert.equal(new Set(endpoints).size, instances, "no duplicate address");
}

describe("interruptions in the middle of pulumi up", function () {
  describe("dockerd stops after the first container started", function () {
    const net = `stop-${suffix}`;
    let t: TestStack;
    let testEngine: PrivateEngine;
    let userDockerd: { pid: number; start: string };
    before(async function () {
      testEngine = await requireDocker();
      userDockerd = userDockerdProcess();
      t = await createTestStack("dstop", { ...appConfig(net, "9.184.0.0/16", 8), apps: [] });
      await t.stack.up(); // the network first
      t.setConfig(appConfig(net, "9.184.0.0/16", 8));
    });
    after(async function () {
      if (testEngine && !isAlive(testEngine.pid)) await testEngine.restart();
      if (t) await t.dispose();
    });

    it("fails the up with a message naming the engine", async function () {
      // One resource at a time, so that work remains when the engine goes away.
      const up = t.stack.up({ parallel: 1 }).then(() => undefined, (err: Error) => err);
      await firstContainerRunning(t.name, up);
      const stopped = testEngine.pid;
      await testEngine.stop();
      assert.ok(!isAlive(stopped), "the test engine's dockerd is gone");
      const err = await up;
      assert.ok(err instanceof Error, "the up failed");
      const host = testEngine.host.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
      assert.match(err.message, new RegExp(`error: Docker engine at ${host} (is not answering|failed to)`));
      assert.deepEqual(userDockerdProcess(), userDockerd, "the user's dockerd kept running, the same process");
    });

    it("after dockerd is back, the next up converges with nothing orphaned and no duplicate address", async function () {
      await testEngine.restart();
      await requireDocker();
      // As `npm run up` does: refresh first, so the instances the engine lost while it was down
      // are seen (previews and diffs look at code and state only), then heal.
      await t.stack.up({ refresh: true });
      await assertConverged(t, net, 24);
      assert.deepEqual(userDockerdProcess(), userDockerd, "the user's dockerd kept running, the same process");
    });
  });

  describe("the Pulumi CLI is killed with SIGKILL", function () {
    const net = `kill-${suffix}`;
    let t: TestStack;
    let child: ChildProcess | undefined;
    before(async function () {
      await requireDocker();
      t = await createTestStack("kill9", appConfig(net, "9.185.0.0/16", 4));
    });
    after(async function () {
      // A test that failed before its kill leaves its `pulumi up` running: ended first, so that
      // destroy (which drops a dead run's lock) never runs beside it.
      if (child && child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child!.on("exit", r));
        child.kill("SIGKILL");
        await exited;
      }
      if (t) await t.dispose();
    });

    it("within 5 s of the kill no process of the run is left; re-running as a user would (pulumi cancel to drop the dead run's lock, then up) converges with nothing leaked", async function () {
      const mark = `DCOS_VNET_RUN_MARK=kill9-${suffix}-${process.pid}`;
      child = spawn(path.join(TOOLS_BIN, "pulumi"), ["up", "--yes", "--skip-preview", "--non-interactive", "--parallel", "1", "--stack", t.name], {
        cwd: ROOT,
        env: { ...process.env, ...t.env, [mark.split("=")[0]]: mark.split("=")[1] },
        stdio: "ignore",
      });
      const exited = new Promise<number | null>((resolve) => child!.on("exit", (code, signal) => resolve(signal ? -1 : code)));
      await firstContainerRunning(t.name, exited);
      // The run's helpers, seen in the process table: our language host with the program under it,
      // and the dynamic providers (the launcher and its Node.js provider).
      const before = processesMarked(mark);
      const running = (what: string) => before.some((p) => p.command.includes(what));
      assert.ok(running("pulumi-language-nodejs") && running("@pulumi/pulumi/cmd/run") && running("pulumi-resource-pulumi-nodejs") && running("cmd/dynamic-provider"),
        `the run's helpers: ${JSON.stringify(before, null, 1)}`);
      child.kill("SIGKILL");
      const killedAt = Date.now();
      assert.equal(await exited, -1, "killed");
      let left = processesMarked(mark);
      while (left.length > 0 && Date.now() - killedAt < 5000) {
        await new Promise((r) => setTimeout(r, 50));
        left = processesMarked(mark);
      }
      assert.deepEqual(left, [], `processes of the killed run still there ${Date.now() - killedAt} ms after the kill`);
      console.log(`      (the run's ${before.length} processes gone ${Date.now() - killedAt} ms after the CLI was killed)`);
      await assert.rejects(t.stack.up(), /locked/, "the dead run's lock is still there");
      await t.cli(["cancel", "--yes"]);
      await t.stack.up();
      await assertConverged(t, net, 12);
    });
  });
});
