// Pod containers' health checks on the local cluster, through the real Pulumi CLI on the tests'
// private engine: a pod whose containers pass their checks (http on an endpoint's containerPort
// on localhost, exec) is created; an update whose container fails its check fails `up` naming the
// container and the check, and the old instance still serves; a container that turns unhealthy
// after `up` makes its instance drift (refresh), which `up` replaces; an https check is refused
// at preview, naming the field. Beside it a host-mode pod, whose check probes its assigned host
// port in the agent's namespace: an update that fails its check leaves the old instance serving
// at agent-ip:port.
import { strict as assert } from "assert";
import { createTestStack, resourcesOfType, TestStack } from "../support/pulumi";
import { engine, requireAgentImage, requireDocker } from "../support/docker";
import { dockerExec, removeContainers, startClient } from "../support/net";

const suffix = Math.random().toString(36).slice(2, 6);
const net = `ph-${suffix}`;
const SCHEDULE = { gracePeriodSeconds: 0, intervalSeconds: 2, timeoutSeconds: 1, maxConsecutiveFailures: 2, delaySeconds: 0 };

function pod(mainEnv: Record<string, string> = {}, http: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
  return {
    ...extra,
    id: "/pd/web",
    scaling: { kind: "fixed", instances: 1 },
    networks: [{ mode: "container", name: net }],
    containers: [
      {
        name: "main",
        resources: { cpus: 0.05, mem: 16 },
        environment: mainEnv,
        exec: { command: { shell: 'mkdir -p /www && if [ -z "$BROKEN" ]; then echo ok > /www/health; fi && exec httpd -f -p 8080 -h /www' } },
        endpoints: [{ name: "http", containerPort: 8080 }],
        healthCheck: { http: { endpoint: "http", path: "/health", ...http }, ...SCHEDULE },
      },
      {
        name: "side",
        resources: { cpus: 0.05, mem: 16 },
        exec: { command: { shell: "touch /tmp/ready && exec sleep 3600" } },
        healthCheck: { exec: { command: { shell: "test -f /tmp/ready" } }, ...SCHEDULE },
      },
    ],
  };
}

/** A host-mode pod: main serves /health (unless BROKEN) on its endpoint's assigned host port. */
const hostPod = (env: Record<string, string> = {}) => ({
  id: "/pd/host",
  scaling: { kind: "fixed", instances: 1 },
  networks: [{ mode: "host" }],
  containers: [{
    name: "main",
    resources: { cpus: 0.05, mem: 16 },
    environment: env,
    exec: { command: { shell: 'mkdir -p /www && if [ -z "$BROKEN" ]; then echo ok > /www/health; fi && exec httpd -f -p $ENDPOINT_HTTP -h /www' } },
    endpoints: [{ name: "http", hostPort: 0 }],
    healthCheck: { http: { endpoint: "http", path: "/health" }, ...SCHEDULE },
  }],
});

const config = (p: unknown, h: unknown = hostPod()) => ({
  cluster: { agents: ["agent-1", "agent-2"] },
  networks: [{ name: net, subnet: "9.238.0.0/16", prefix: 24 }],
  apps: [{ app: { id: "/pd/client", cmd: "exec sleep 3600", instances: 1, cpus: 0.05, mem: 16, networks: [{ mode: "container", name: net }] } }],
  pods: [{ pod: p }, { pod: h }],
});

async function podState(t: TestStack, id = "/pd/web"): Promise<any> {
  const found = (await resourcesOfType(t.stack, "MarathonPod")).find((r: any) => r.outputs.podId === id);
  assert.ok(found, `MarathonPod ${id} in state`);
  return found.outputs;
}

const health = async (name: string) => (await engine.getContainer(name).inspect()).State.Health?.Status;

describe("pod containers' health checks on the local cluster, through the Pulumi CLI", function () {
  this.timeout(600_000);
  let t: TestStack;
  let outputs: any;
  const client = () => outputs.marathonApps.value["/pd/client"].instances[0].container;
  /** GET /health at the pod's IP from the client app; the response. */
  const get = async (ip: string) => (await dockerExec(client(), `printf 'GET /health HTTP/1.0\\r\\n\\r\\n' | nc -w 2 ${ip} 8080`, 10_000)).out;

  const hostClient = `client-ph-${suffix}`;
  /** GET /health at agent-ip:port from a client on the host network; the response. */
  const hostGet = async (ip: string, port: number) =>
    (await dockerExec(hostClient, `printf 'GET /health HTTP/1.0\\r\\n\\r\\n' | nc -w 2 ${ip} ${port}`, 10_000)).out;

  before(async function () {
    await requireDocker();
    await requireAgentImage();
    t = await createTestStack("podhealth", config(pod()));
  });

  after(async function () {
    await removeContainers(hostClient);
    if (t) await t.dispose();
  });

  it("refuses at preview an https check, naming the field, and creates nothing", async function () {
    t.setConfig(config(pod({}, { scheme: "HTTPS" })));
    await assert.rejects(t.stack.preview(), /pod\.containers\[0\]\.healthCheck\.http\.scheme.*does not run HTTPS health checks/);
    t.setConfig(config(pod()));
  });

  it("creates the pod once its containers pass their checks: http on the endpoint's containerPort on localhost, exec inside", async function () {
    outputs = (await t.stack.up()).outputs;
    const [inst] = outputs.marathonPods.value["/pd/web"].instances;
    const main = await engine.getContainer(`${inst.container}.main`).inspect();
    assert.equal(main.State.Health?.Status, "healthy", JSON.stringify(main.State.Health?.Log));
    assert.match(main.Config.Healthcheck?.Test?.join(" ") ?? "", /http:\/\/127\.0\.0\.1:8080\/health/);
    assert.equal(await health(`${inst.container}.side`), "healthy");
    assert.match(await get(inst.ip), /200 OK[\s\S]*ok/);

    const [h] = outputs.marathonPods.value["/pd/host"].instances;
    const hostMain = await engine.getContainer(`${h.container}.main`).inspect();
    assert.equal(hostMain.State.Health?.Status, "healthy", JSON.stringify(hostMain.State.Health?.Log));
    assert.match(hostMain.Config.Healthcheck?.Test?.join(" ") ?? "", new RegExp(`http://127\\.0\\.0\\.1:${h.ports[0]}/health`), "host mode: the assigned host port");
    await startClient(hostClient, `${t.name}-host`, "172.16.0.254");
    assert.match(await hostGet(h.ip, h.ports[0]), /200 OK[\s\S]*ok/, `the host-mode pod answers at ${h.ip}:${h.ports[0]}`);
  });

  it("a host-mode pod update whose container fails its check fails up naming it, and the old instance serves again at agent-ip:port", async function () {
    const [old] = (await podState(t, "/pd/host")).instances;
    const label = ["io.dcos-vnet.app=/pd/host", `io.dcos-vnet.stack=${t.name}`];
    const before = (await engine.listContainers({ all: true, filters: { label } })).map((c) => c.Id).sort();
    assert.equal(before.length, 2, "a holder and its container");
    t.setConfig(config(pod(), hostPod({ BROKEN: "1" })));
    try {
      await assert.rejects(t.stack.up(), (err: Error) => {
        assert.match(err.message, /pod \/pd\/host: container main of instance \S+ \(agent-\d, 172\.16\.0\.\d+\) did not become healthy/);
        assert.match(err.message, /health check containers\[0\]\.healthCheck \(http endpoint http port \d+ path \/health\)/);
        return true;
      });
      const after = await engine.listContainers({ all: true, filters: { label } });
      assert.deepEqual(after.map((c) => c.Id).sort(), before, "the old holder and container, nothing of the new version");
      assert.ok(after.every((c) => c.State === "running"), JSON.stringify(after.map((c) => [c.Names[0], c.State])));
      assert.match(await hostGet(old.ip, old.ports[0]), /200 OK[\s\S]*ok/, `the old instance serves at ${old.ip}:${old.ports[0]} again`);
    } finally {
      t.setConfig(config(pod()));
    }
  });

  it("an update whose container fails its check fails up naming the container and the check; the old instance still serves", async function () {
    const [old] = (await podState(t)).instances;
    t.setConfig(config(pod({ BROKEN: "1" })));
    try {
      await assert.rejects(t.stack.up(), (err: Error) => {
        assert.match(err.message, /pod \/pd\/web: container main of instance t-podhealth-\S+ \(agent-\d, 9\.238\.\d+\.\d+\) did not become healthy/);
        assert.match(err.message, /health check containers\[0\]\.healthCheck \(http endpoint http port 8080 path \/health\)/);
        assert.match(err.message, /last failure: .*404/);
        return true;
      });
      const holders = await engine.listContainers({ all: true, filters: { label: ["io.dcos-vnet.app=/pd/web", "io.dcos-vnet.pod-holder=true", `io.dcos-vnet.stack=${t.name}`] } });
      assert.deepEqual(holders.map((c) => [c.Id, c.State]), [[old.containerId, "running"]], "the old instance, running; nothing of the new version left");
      assert.match(await get(old.ip), /200 OK[\s\S]*ok/, "the old instance still serves");
      assert.equal((await t.stack.preview()).changeSummary.update, 1, "the next up tries the new version again");
    } finally {
      t.setConfig(config(pod()));
    }
  });

  it("a roll that stops the old instance first and whose container fails its check starts the old instance again, its containers in its namespace", async function () {
    // No over-capacity and no minimum: the old instance is stopped (parked) before the new one starts.
    const upgrade = { scheduling: { upgrade: { minimumHealthCapacity: 0, maximumOverCapacity: 0 } } };
    t.setConfig(config(pod({}, {}, upgrade)));
    outputs = (await t.stack.up()).outputs; // the strategy alone is a change: a passing roll first
    const [old] = (await podState(t)).instances;
    const before = await engine.listContainers({ all: true, filters: { label: ["io.dcos-vnet.app=/pd/web", `io.dcos-vnet.stack=${t.name}`] } });
    assert.equal(before.length, 3, "a holder and its two containers");
    t.setConfig(config(pod({ BROKEN: "1" }, {}, upgrade)));
    try {
      await assert.rejects(t.stack.up(), /pod \/pd\/web: container main of instance \S+ .*did not become healthy: health check containers\[0\]\.healthCheck/);
      const after = await engine.listContainers({ all: true, filters: { label: ["io.dcos-vnet.app=/pd/web", `io.dcos-vnet.stack=${t.name}`] } });
      const ids = (list: typeof after) => list.map((c) => c.Id).sort();
      assert.deepEqual(ids(after), ids(before), "the old holder and containers, nothing of the new version");
      assert.ok(after.every((c) => c.State === "running"), JSON.stringify(after.map((c) => [c.Names[0], c.State])));
      assert.match(await get(old.ip), /200 OK[\s\S]*ok/, "the old instance serves at its pod IP again (its main container joined the holder's new namespace)");
      assert.deepEqual((await podState(t)).instances.map((i: any) => i.containerId), [old.containerId]);
    } finally {
      t.setConfig(config(pod({}, {}, upgrade)));
    }
  });

  it("a container that turns unhealthy after up makes its instance drift: refresh reports it, up replaces it", async function () {
    const [sick] = (await podState(t)).instances;
    const removed = await dockerExec(`${sick.container}.main`, "rm /www/health");
    assert.equal(removed.code, 0, removed.out);
    const deadline = Date.now() + 60_000; // a bound, not an expectation: 2 failed probes 2 s apart
    let status = await health(`${sick.container}.main`);
    while (status !== "unhealthy" && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 500));
      status = await health(`${sick.container}.main`);
    }
    assert.equal(status, "unhealthy", "Docker's HEALTHCHECK saw the container fail within 60 s of /www/health's removal");

    await t.stack.refresh();
    assert.equal((await podState(t)).instances[0].state, "unhealthy");

    outputs = (await t.stack.up()).outputs;
    const [back] = outputs.marathonPods.value["/pd/web"].instances;
    assert.equal(back.state, "running");
    assert.notEqual(back.containerId, sick.containerId, "the instance was replaced");
    assert.equal(await health(`${back.container}.main`), "healthy");
    assert.match(await get(back.ip), /200 OK[\s\S]*ok/);
  });
});
