// Starting addressed containers against the real engine: when a run fails, the containers it
// started are removed, and any that cannot be removed are reported with the original error,
// never swallowed. The removal failure is real engine traffic with one call answered by an error
// (test/support/faultyEngineProxy.ts), run in a child process so that only that process uses it.
import { strict as assert } from "assert";
import { randomBytes } from "crypto";
import { execFile } from "child_process";
import { promisify } from "util";
import { Owner } from "../../src/core/local/dockerNetworkSpec";
import { startFaultyEngineProxy } from "../support/faultyEngineProxy";
import { engine, requireDocker } from "../support/docker";
import { ROOT } from "../support/paths";
import { createTestNetwork, freeSubnet } from "../support/backendNetwork";

const suffix = randomBytes(3).toString("hex");
const owner: Owner = { project: "dcos-vnet", stack: `h2-rollback-${suffix}` };
const network = `h2-rollback-${suffix}`;
const ABSENT_IMAGE = "h2-no-such-image:absent";

/** Runs `call` (an expression of a promise, with the backend modules in scope) in a child process against `dockerHost`. */
async function inChild(dockerHost: string, call: string): Promise<{ ok: boolean; message?: string; name?: string }> {
  const script = `
    const { runAddressed } = require("./src/backends/docker/addressedRun");
    const { runContainer } = require("./src/backends/docker/containers");
    (${call}).then(() => console.log(JSON.stringify({ ok: true })), (e) => console.log(JSON.stringify({ ok: false, message: e.message, name: e.name })));`;
  const { stdout } = await promisify(execFile)(process.execPath, ["-r", "ts-node/register/transpile-only", "-e", script], {
    cwd: ROOT,
    env: { ...process.env, DOCKER_HOST: dockerHost },
  });
  return JSON.parse(stdout.trim().split("\n").pop()!);
}

const spec = (n: number, image: string) => ({
  name: `${network}-c${n}`, image, cmd: ["sleep", "600"], env: {}, labels: {}, network, aliases: [],
});

/** runAddressed with one request that starts and one whose image does not exist. */
function runInChild(dockerHost: string, half: string) {
  const request = (n: number, image: string) => ({ spec: spec(n, image), half, context: `the test half of ${network}` });
  const requests = [request(1, "busybox:latest"), request(2, ABSENT_IMAGE)];
  return inChild(dockerHost, `runAddressed(${JSON.stringify(network)}, ${JSON.stringify(requests)}, ${JSON.stringify(owner)})`);
}

const DELETE_CONTAINER = (method: string, url: string) => method === "DELETE" && /^(\/v[\d.]+)?\/containers\//.test(url);
const START_CONTAINER = (method: string, url: string) => method === "POST" && /^(\/v[\d.]+)?\/containers\/[^/]+\/start/.test(url);

const ours = async () =>
  (await engine.listContainers({ all: true, filters: { label: [`io.dcos-vnet.stack=${owner.stack}`] } })).map((c) => c.Names[0].slice(1));

describe("rolling back containers of a failed run, on the real engine", function () {
  this.timeout(120_000);
  let half: string;

  before(async function () {
    await requireDocker();
    half = await createTestNetwork(network, owner, 240);
  });

  afterEach(async function () {
    for (const c of await ours()) await engine.getContainer(c).remove({ force: true });
  });

  after(async function () {
    await engine.getNetwork(network).remove().catch(() => undefined);
  });

  it("removes what it started and rethrows the original error when the run fails", async function () {
    const result = await runInChild(process.env.DOCKER_HOST ?? "unix:///var/run/docker.sock", half);
    assert.equal(result.ok, false);
    assert.match(result.message ?? "", /No such image: h2-no-such-image:absent/);
    assert.doesNotMatch(result.message ?? "", /could not be removed/);
    assert.deepEqual(await ours(), [], "the container that started is removed again");
  });

  it("names each container it could not remove, and why, after the original error", async function () {
    const proxy = await startFaultyEngineProxy((method, url) =>
      DELETE_CONTAINER(method, url) ? { status: 500, message: "simulated: device or resource busy" } : undefined,
    );
    try {
      const result = await runInChild(proxy.host, half);
      assert.equal(result.ok, false);
      assert.equal(proxy.failed.length, 1, `one removal was tried and refused: ${proxy.failed.join(", ")}`);
      const left = await ours();
      assert.deepEqual(left, [`${network}-c1`], "the container the engine would not remove is still there");
      const message = result.message ?? "";
      assert.match(message, /^.*No such image: h2-no-such-image:absent/, "the original error comes first");
      assert.match(message, new RegExp(`1 container\\(s\\) it started could not be removed: "${network}-c1" \\([0-9a-f]{12}\\): .*simulated: device or resource busy`));
      assert.match(message, new RegExp(`docker rm -f ${network}-c1`));
      assert.equal(result.name, "RollbackError");
    } finally {
      await proxy.close();
    }
  });

  it("runContainer reports a container it could not remove after a failed start, with the start's error", async function () {
    const proxy = await startFaultyEngineProxy((method, url) => {
      if (START_CONTAINER(method, url)) return { status: 500, message: "simulated: cannot start" };
      if (DELETE_CONTAINER(method, url)) return { status: 500, message: "simulated: device or resource busy" };
      return undefined;
    });
    try {
      const ip = half.replace(/\.128\/25$/, ".130");
      const result = await inChild(proxy.host, `runContainer(${JSON.stringify({ ...spec(3, "busybox:latest"), ip })}, ${JSON.stringify(owner)})`);
      assert.equal(result.ok, false);
      assert.deepEqual(await ours(), [`${network}-c3`], "created, never started, and not removed");
      const message = result.message ?? "";
      assert.match(message, /simulated: cannot start/);
      assert.match(message, new RegExp(`and container "${network}-c3" \\([0-9a-f]{12}\\), created for it, could not be removed: .*simulated: device or resource busy`));
    } finally {
      await proxy.close();
    }
  });
});
