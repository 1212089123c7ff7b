// What the Docker backend asks of the engine, counted on the real engine: each call goes through a
// recording proxy (test/support/recordingEngineProxy.ts) in front of the tests' private engine,
// the backend running in a child process pointed at it. A container starts with its address
// lookup, create and start; the apps of one network start at once; an app is deleted with one
// list and a removal per container. (What `npm run bench` measures at scale rests on these.)
import { strict as assert } from "assert";
import { randomBytes } from "crypto";
import { execFile } from "child_process";
import { promisify } from "util";
import { Owner, ownerLabels } from "../../src/core/local/dockerNetworkSpec";
import { APP_LABELS } from "../../src/backends/docker/containers";
import { RecordedCall, startRecordingEngineProxy } from "../support/recordingEngineProxy";
import { engine, requireDocker } from "../support/docker";
import { ROOT } from "../support/paths";
import { createTestNetwork, freeSubnet } from "../support/backendNetwork";

const suffix = randomBytes(3).toString("hex");
const owner: Owner = { project: "dcos-vnet", stack: `h5-calls-${suffix}` };
const network = `h5-calls-${suffix}`;
const APP_ID = "/calls";

/** Runs `call` (an expression of a promise, with the backend modules in scope) in a child process against `dockerHost`. */
async function inChild(dockerHost: string, call: string): Promise<unknown> {
  const script = `
    const { runAddressed } = require("./src/backends/docker/addressedRun");
    const { deleteApp } = require("./src/backends/docker/localApp");
    (${call}).then((r) => console.log(JSON.stringify({ ok: true, r })), (e) => console.log(JSON.stringify({ ok: false, message: e.message })));`;
  const { stdout } = await promisify(execFile)(process.execPath, ["-r", "ts-node/register/transpile-only", "-e", script], {
    cwd: ROOT,
    env: { ...process.env, DOCKER_HOST: dockerHost },
  });
  const out = JSON.parse(stdout.trim().split("\n").pop()!);
  if (!out.ok) throw new Error(`in the child process: ${out.message}`);
  return out.r;
}

const request = (n: number, half: string) => ({
  spec: {
    name: `${network}-c${n}`, image: "busybox:latest", cmd: ["sleep", "600"], env: {},
    labels: { [APP_LABELS.app]: APP_ID }, network, aliases: [],
  },
  half,
  context: `the test half of ${network}`,
});

/** Calls on containers and networks, ids and names replaced by what they stand for. */
function shape(calls: RecordedCall[], names: Record<string, string>): string[] {
  return calls
    .filter((c) => /^\/(containers|networks)\//.test(c.path))
    .map((c) => `${c.method} ${Object.entries(names).reduce((p, [id, name]) => p.split(id).join(name), c.path)}`);
}

const ours = async () => engine.listContainers({ all: true, filters: { label: [`io.dcos-vnet.stack=${owner.stack}`] } });

describe("the Docker backend's Engine API calls, on the real engine", function () {
  this.timeout(120_000);
  let half: string;

  before(async function () {
    await requireDocker();
    half = await createTestNetwork(network, owner, 230);
  });

  afterEach(async function () {
    for (const c of await ours()) await engine.getContainer(c.Id).remove({ force: true });
  });

  after(async function () {
    await engine.getNetwork(network).remove().catch(() => undefined);
  });

  it("starts a container with its address lookup, create and start: no inspect before or after", async function () {
    const proxy = await startRecordingEngineProxy();
    try {
      const [started] = (await inChild(proxy.host, `runAddressed(${JSON.stringify(network)}, [${JSON.stringify(request(1, half))}], ${JSON.stringify(owner)})`)) as Array<{ id: string; running: boolean; addresses: Record<string, string> }>;
      assert.deepEqual(shape(proxy.calls, { [started.id]: "<id>" }), [
        `GET /networks/${network}`,
        "GET /containers/json",
        "POST /containers/create",
        "POST /containers/<id>/start",
      ]);
      const seen = await engine.getContainer(started.id).inspect();
      assert.equal(seen.State.Running, started.running, "the state returned is the engine's");
      assert.equal(seen.NetworkSettings.Networks[network].IPAddress, started.addresses[network]);
    } finally {
      await proxy.close();
    }
  });

  it("starts two apps of one network at once: the second's create reaches the engine while the first's start is held", async function () {
    let concurrent = false;
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let over = false; // the first start let go (the second create came, or the wait below ran out)
    void released.then(() => (over = true));
    // If apps of one network were placed one at a time, the second create would never come while
    // the first start is held: the start is let go after a wait long enough for a loaded machine
    // (it took over 5 s under the full suite plus a stress load), and the assertion below fails.
    const HOLD_MS = 60_000;
    const timer = setTimeout(release, HOLD_MS);
    const isCreate = (c: RecordedCall) => c.method === "POST" && c.path === "/containers/create";
    const isStart = (c: RecordedCall) => c.method === "POST" && /\/start$/.test(c.path);
    const proxy = await startRecordingEngineProxy((call, calls) => {
      // The second create while the first start is held (or has not come yet): both apps in flight.
      if (isCreate(call) && calls.filter(isCreate).length === 2 && !over) {
        concurrent = true;
        release();
      }
      return isStart(call) && calls.filter(isStart).length === 1 && !concurrent ? released : undefined;
    });
    try {
      const runs = [1, 2].map((n) => `runAddressed(${JSON.stringify(network)}, [${JSON.stringify(request(n, half))}], ${JSON.stringify(owner)})`);
      const results = (await inChild(proxy.host, `Promise.all([${runs.join(", ")}])`)) as Array<Array<{ addresses: Record<string, string> }>>;
      assert.ok(concurrent, `the second app's container was created only after the first had started, ${HOLD_MS / 1000} s after its start was held (one app at a time on a network)`);
      const ips = results.map(([c]) => c.addresses[network]);
      assert.notEqual(ips[0], ips[1], `two apps got the same address ${ips[0]}`);
    } finally {
      clearTimeout(timer);
      release();
      await proxy.close();
    }
  });

  it("deletes an app with one list and one removal per container, none inspected first", async function () {
    const ids: string[] = [];
    for (const n of [1, 2, 3]) {
      const c = await engine.createContainer({
        name: `${network}-d${n}`, Image: "busybox:latest", Cmd: ["sleep", "600"],
        Labels: { ...ownerLabels(owner), [APP_LABELS.app]: APP_ID },
      });
      ids.push(c.id);
    }
    const instances = ids.map((id, index) => ({ index, agent: "agent-1", ip: "", container: `${network}-d${index + 1}`, containerId: id, half: "docker", state: "running" }));
    const proxy = await startRecordingEngineProxy();
    try {
      await inChild(proxy.host, `deleteApp(${JSON.stringify({ owner, canonical: { id: APP_ID, networks: [{ mode: "container", name: network }] } })}, ${JSON.stringify({ instances, nextIndex: 3 })})`);
      const names = Object.fromEntries(ids.map((id, i) => [id, `<id${i + 1}>`]));
      assert.deepEqual(shape(proxy.calls, names).sort(), ["DELETE /containers/<id1>", "DELETE /containers/<id2>", "DELETE /containers/<id3>", "GET /containers/json"]);
      assert.deepEqual(await ours(), []);
    } finally {
      await proxy.close();
    }
  });
});
