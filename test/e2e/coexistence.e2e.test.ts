// The tests' private Docker engines beside the user's engine: a different daemon (engine ID, root
// dir, socket) in its own network namespace; what a private engine holds (even a dcos-1
// 9.10.0.0/16 with bridge d-dcos-1, as the user's dev stack has) is invisible to the user's engine;
// stopping, restarting and removing private engines leaves the user's dockerd process as it was;
// engines of killed test runs are removed at the next start. Nothing is created on the user's engine.
import { strict as assert } from "assert";
import { execFile, spawn } from "child_process";
import * as fs from "fs";
import { promisify } from "util";
import Docker from "dockerode";
import { requireDocker, run } from "../support/docker";
import { claimRemoval, ENGINE_BASE, sweepStaleEngines } from "../support/engineCleanup";
import { PrivateEngine, startPrivateEngine } from "../support/privateEngine";
import { isAlive, waitGone } from "../support/processes";
import { ROOT } from "../support/paths";
import { USER_DOCKER_HOST, userDockerdProcess, userEngineClient } from "../support/userEngine";

const execFileAsync = promisify(execFile);
const suffix = Math.random().toString(36).slice(2, 6);
const DCOS_1 = { subnet: "9.10.0.0/16", bridge: "d-dcos-1" };

async function statusOf(call: Promise<unknown>): Promise<number | undefined> {
  return call.then(() => 200, (err: { statusCode?: number }) => err.statusCode);
}

async function createDcos1(client: Docker, name: string): Promise<string> {
  const net = await client.createNetwork({
    Name: name,
    IPAM: { Config: [{ Subnet: DCOS_1.subnet }] },
    Options: { "com.docker.network.bridge.name": DCOS_1.bridge },
  });
  return net.id;
}

/** Interfaces of a network namespace (or of the host's, without one): name → MAC address. */
async function links(netns?: string): Promise<Map<string, string>> {
  const { stdout } = await execFileAsync("ip", [...(netns ? ["-n", netns] : []), "-o", "link", "show"], { encoding: "utf8" });
  return new Map(stdout.split("\n").filter(Boolean).map((l) => [l.split(": ")[1].split("@")[0], / link\/\w+ ([0-9a-f:]+)/.exec(l)?.[1] ?? ""]));
}

/** Runs a snippet in a separate node process with the harness loaded; resolves to the child and its first stdout line. */
function harnessChild(code: string): Promise<{ child: ReturnType<typeof spawn>; line: string }> {
  const child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", "-e", code], { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (d) => {
      out += d;
      if (out.includes("\n")) resolve({ child, line: out.split("\n")[0] });
    });
    child.on("exit", (code) => reject(new Error(`child exited (${code}) before reporting: ${out}`)));
  });
}

function leftoversOf(name: string): string[] {
  const cgroups = fs.readdirSync("/sys/fs/cgroup").map((h) => `/sys/fs/cgroup/${h}/${name}`);
  return [`/tmp/${name}`, `/var/run/netns/${name}`, `/sys/fs/cgroup/${name}`, ...cgroups].filter((p) => fs.existsSync(p));
}

describe("the tests' private Docker engine beside the user's", function () {
  let suite: PrivateEngine;
  let second: PrivateEngine | undefined;
  let dockerdBefore: { pid: number; start: string };
  let userIdBefore: string;
  const network = `dcos-1-${suffix}`;
  const container = `coex-${suffix}`;

  before(async function () {
    suite = await requireDocker();
    dockerdBefore = userDockerdProcess();
    userIdBefore = (await userEngineClient().info()).ID;
  });

  after(async function () {
    await run("docker", ["rm", "-f", container]).catch(() => undefined);
    await run("docker", ["network", "rm", network]).catch(() => undefined);
    if (second) await second.dispose();
  });

  it("is another daemon than the user's: its own engine ID, root dir and socket, and DOCKER_HOST points at it", async function () {
    const [mine, theirs] = await Promise.all([suite.client.info(), userEngineClient().info()]);
    assert.notEqual(mine.ID, theirs.ID);
    assert.equal(mine.DockerRootDir, `${suite.dir}/data`);
    assert.notEqual(mine.DockerRootDir, theirs.DockerRootDir);
    assert.notEqual(suite.host, USER_DOCKER_HOST);
    assert.equal(process.env.DOCKER_HOST, suite.host);
    console.log(`      (suite engine ${suite.name}: dockerd answered ${suite.startMs} ms after launch)`);
  });

  it("holds a dcos-1 9.10.0.0/16 with bridge d-dcos-1 inside its own network namespace, which the user's engine does not see", async function () {
    await run("docker", ["network", "create", "--subnet", DCOS_1.subnet, "-o", `com.docker.network.bridge.name=${DCOS_1.bridge}`, network]);
    await run("docker", ["run", "-d", "--name", container, "--network", network, "--ip", "9.10.0.5", "busybox", "sleep", "600"]);
    const { stdout: id } = await run("docker", ["inspect", "-f", "{{.Id}}", container]);
    const { stdout: netId } = await run("docker", ["network", "inspect", "-f", "{{.Id}}", network]);

    assert.equal(await statusOf(userEngineClient().getContainer(id.trim()).inspect()), 404, "container invisible to the user's engine");
    assert.equal(await statusOf(userEngineClient().getNetwork(netId.trim()).inspect()), 404, "network invisible to the user's engine");
    const privateBridge = (await links(suite.netns)).get(DCOS_1.bridge);
    assert.ok(privateBridge, "the bridge is in the engine's own namespace");
    const hostBridge = (await links()).get(DCOS_1.bridge); // the user's, if their dev stack is up
    assert.notEqual(hostBridge, privateBridge, "the host's namespace does not hold this bridge");
  });

  it("runs beside a second private engine holding its own dcos-1 9.10.0.0/16; stop and restart by pid keep its state", async function () {
    second = await startPrivateEngine("coex");
    assert.notEqual((await second.client.info()).ID, (await suite.client.info()).ID);
    const netId = await createDcos1(second.client, "dcos-1");
    const box = await second.client.createContainer({ name: "box", Image: "busybox", Cmd: ["sleep", "600"], StopTimeout: 1, HostConfig: { NetworkMode: "dcos-1" } });
    await box.start();

    const firstPid = second.pid;
    await second.stop();
    assert.ok(!isAlive(firstPid), "its dockerd is gone");
    await suite.client.ping(); // the other private engine is untouched
    await second.restart();
    assert.notEqual(second.pid, firstPid);
    assert.ok(isAlive(second.pid));
    assert.equal((await second.client.getNetwork("dcos-1").inspect()).Id, netId, "its network survived the restart");
    assert.equal((await box.inspect()).Id, box.id, "its container survived the restart");
    assert.deepEqual(userDockerdProcess(), dockerdBefore, "the user's dockerd: same pid and start time");
  });

  it("dispose removes all of an engine: dockerd, containers, network namespace, cgroups and directory", async function () {
    const e = second!;
    second = undefined;
    await e.client.getContainer("box").start();
    const boxPid = (await e.client.getContainer("box").inspect()).State.Pid;
    const dockerd = e.pid;
    await e.dispose();
    assert.ok(!isAlive(dockerd));
    assert.ok(!isAlive(boxPid));
    assert.deepEqual(leftoversOf(e.name), []);
    assert.deepEqual(userDockerdProcess(), dockerdBefore);
  });

  it("an engine whose test process ended removes itself (exit handler), also on SIGTERM", async function () {
    for (const ending of ["process.exit.call(process, 0)", "process.kill(process.pid, 'SIGTERM')"]) {
      const { child, line } = await harnessChild(`
        require("./test/support/privateEngine").startPrivateEngine("exit").then((e) => {
          console.log(e.name);
          setTimeout(() => ${ending}, 100);
        });`);
      const exited = new Promise((r) => child.on("exit", r));
      await exited;
      assert.match(line, /^dvt-exit-\w+$/);
      assert.deepEqual(leftoversOf(line), [], ending);
    }
  });

  it("an engine left by a killed test run (and its killed dockerd's containers) is removed at the next start; live ones are kept", async function () {
    // The stale run stays alive until it is killed: a process that ended by itself would remove
    // its engine in its exit handler (stopping dockerd and the container) before the kill below.
    const { child, line } = await harnessChild(`
      setInterval(() => undefined, 60_000);
      require("./test/support/privateEngine").startPrivateEngine("stale").then(async (e) => {
        const c = await e.client.createContainer({ Image: "busybox", Cmd: ["sleep", "600"] });
        await c.start();
        console.log(JSON.stringify({ name: e.name, dockerd: e.pid, box: (await c.inspect()).State.Pid }));
      });`);
    const stale = JSON.parse(line) as { name: string; dockerd: number; box: number };
    // Claimed for this test's own sweep: once its run is killed, the sweep of any other run starting
    // an engine meanwhile (the other mocha worker's) leaves it alone.
    assert.ok(claimRemoval(`${ENGINE_BASE}/${stale.name}`), `claim ${stale.name} for this test's sweep`);
    child.kill("SIGKILL");
    await new Promise((r) => child.on("exit", r));
    process.kill(stale.dockerd, "SIGKILL"); // the worst case: its containers outlive their dockerd
    assert.ok(await waitGone(stale.dockerd, 10_000), `the stale dockerd ${stale.dockerd} is still alive 10 s after SIGKILL`);
    assert.ok(isAlive(stale.box), `precondition: the container (pid ${stale.box}) outlived its test run and its dockerd`);

    const removed = sweepStaleEngines();
    assert.ok(removed.includes(stale.name), JSON.stringify(removed));
    assert.ok(!removed.includes(suite.name), "the live suite engine is not stale");
    assert.ok(!isAlive(stale.box));
    assert.deepEqual(leftoversOf(stale.name), []);
    await suite.client.ping();
    assert.deepEqual(userDockerdProcess(), dockerdBefore);
    assert.equal((await userEngineClient().info()).ID, userIdBefore);
  });
});
