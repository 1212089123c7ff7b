// Health checks of host- and bridge-mode apps through the real Pulumi CLI on the tests' private
// engine, with real packets: a host-mode app's MESOS_HTTP check probes its host port, a bridge
// app's MESOS_HTTP check its containerPort inside the task, a bridge app's legacy HTTP check
// agent-ip:hostPort; an update whose new version fails its check fails `up` naming the check and
// the old tasks still serve at agent-ip:port (host and bridge); a task that turns unhealthy after
// `up` is drift that refresh reports and the next `up` replaces.
import { strict as assert } from "assert";
import { createTestStack, resourcesOfType, TestStack } from "../support/pulumi";
import { engine, requireAgentImage, requireDocker } from "../support/docker";
import { dockerExec, removeContainers, startClient } from "../support/net";

const suffix = Math.random().toString(36).slice(2, 6);
const overlay = `hh-${suffix}`;
const CLIENT = `client-hh-${suffix}`;

/** Serves /health (unless BROKEN is set) and / naming the task, on the port given. */
const serveOn = (port: string) =>
  `mkdir -p /www && if [ -z "$BROKEN" ]; then echo ok > /www/health; fi && echo "task=$MESOS_TASK_ID" > /www/index.html && exec httpd -f -p ${port} -h /www`;
const check = (protocol: string) => ({ protocol, path: "/health", portIndex: 0, gracePeriodSeconds: 0, intervalSeconds: 1, timeoutSeconds: 2, maxConsecutiveFailures: 2 });

const hostWeb = (env: Record<string, string> = {}) => ({
  app: {
    id: "/hh/web", cmd: serveOn("$PORT0"), instances: 2, cpus: 0.05, mem: 16, env,
    networks: [{ mode: "host" }], portDefinitions: [{ port: 0, name: "http" }],
    constraints: [["hostname", "UNIQUE"]],
    healthChecks: [check("MESOS_HTTP")],
  },
});
const bridge = (id: string, protocol: string, env: Record<string, string> = {}) => ({
  app: {
    id, cmd: serveOn("80"), instances: 1, cpus: 0.05, mem: 16, env,
    container: { type: "DOCKER", docker: { image: "busybox" }, portMappings: [{ containerPort: 80, hostPort: 0, name: "web" }] },
    networks: [{ mode: "container/bridge" }],
    healthChecks: [check(protocol)],
  },
});

const config = (apps: unknown[]) => ({
  cluster: { agents: ["agent-1", "agent-2"] },
  networks: [{ name: overlay, subnet: "9.239.0.0/16", prefix: 24 }],
  apps,
});
const APPS = [hostWeb(), bridge("/hh/br", "MESOS_HTTP"), bridge("/hh/brlegacy", "HTTP")];

async function stateOf(t: TestStack, id: string): Promise<any> {
  const apps = await resourcesOfType(t.stack, "MarathonApp");
  const found = apps.find((a: any) => a.outputs.app?.id === id);
  assert.ok(found, `MarathonApp ${id} in state`);
  return found.outputs;
}

/** GET `path` at ip:port from the client on the host network; the response text. */
async function get(ip: string, port: number, urlPath = "/health"): Promise<string> {
  return (await dockerExec(CLIENT, `printf 'GET ${urlPath} HTTP/1.0\\r\\n\\r\\n' | nc -w 2 ${ip} ${port}`, 10_000)).out;
}

async function containersOf(t: TestStack, id: string) {
  const list = await engine.listContainers({ all: true, filters: { label: [`io.dcos-vnet.app=${id}`, `io.dcos-vnet.stack=${t.name}`] } });
  return list.map((c) => ({ id: c.Id, name: c.Names[0].slice(1), state: c.State })).sort((a, b) => a.name.localeCompare(b.name));
}

async function healthOf(containerId: string): Promise<string | undefined> {
  return (await engine.getContainer(containerId).inspect()).State.Health?.Status;
}

describe("health checks of host- and bridge-mode apps on the local cluster (real packets)", function () {
  this.timeout(600_000);
  let t: TestStack;
  let outputs: any;
  const app = (id: string) => outputs.marathonApps.value[id];

  before(async function () {
    await requireDocker();
    await requireAgentImage();
    t = await createTestStack("hosthealth", config(APPS));
  });

  after(async function () {
    await removeContainers(CLIENT);
    if (t) await t.dispose();
  });

  it("creates host and bridge apps once their tasks pass their checks: host port (host), containerPort (bridge MESOS_HTTP), agent-ip:hostPort (bridge HTTP)", async function () {
    outputs = (await t.stack.up()).outputs;
    await startClient(CLIENT, `${t.name}-host`, "172.16.0.254");
    for (const id of ["/hh/web", "/hh/br", "/hh/brlegacy"]) {
      for (const inst of app(id).instances) {
        const info = await engine.getContainer(inst.containerId).inspect();
        assert.equal(info.State.Health?.Status, "healthy", `${inst.container}: ${JSON.stringify(info.State.Health?.Log)}`);
        assert.match(await get(inst.ip, inst.ports[0]), /200 OK[\s\S]*ok/, `${id} answers at ${inst.ip}:${inst.ports[0]}`);
      }
    }
    const [web] = app("/hh/web").instances;
    const test = (await engine.getContainer(web.containerId).inspect()).Config.Healthcheck?.Test?.join(" ") ?? "";
    assert.match(test, new RegExp(`http://127\\.0\\.0\\.1:${web.ports[0]}/health`), "host mode: the host port, on localhost in the agent's namespace");
    const [br] = app("/hh/br").instances;
    assert.notEqual(br.ports[0], 80);
    assert.match((await engine.getContainer(br.containerId).inspect()).Config.Healthcheck?.Test?.join(" ") ?? "", /http:\/\/127\.0\.0\.1:80\/health/, "bridge MESOS_HTTP: the containerPort");
    const [legacy] = app("/hh/brlegacy").instances;
    const legacyTest = (await engine.getContainer(legacy.containerId).inspect()).Config.Healthcheck?.Test?.join(" ") ?? "";
    assert.match(legacyTest, new RegExp(`http://${legacy.ip.replace(/\./g, "\\.")}:${legacy.ports[0]}/health`), "bridge HTTP: agent-ip:hostPort");
  });

  for (const [id, what] of [["/hh/web", "host"], ["/hh/br", "bridge"]]) {
    it(`a ${what}-mode update whose new version fails its check fails up naming the check, and the old tasks still serve at agent-ip:port`, async function () {
      const old = await containersOf(t, id);
      const before = (await stateOf(t, id)).instances;
      assert.equal(old.length, before.length);
      const broken = APPS.map((a) => (a.app.id !== id ? a : id === "/hh/web" ? hostWeb({ BROKEN: "1" }) : bridge(id, "MESOS_HTTP", { BROKEN: "1" })));
      t.setConfig(config(broken));
      try {
        await assert.rejects(t.stack.up(), (err: Error) => {
          const name = id.slice(1).replace(/\//g, "\\.");
          assert.match(err.message, new RegExp(`app ${id.replace(/\//g, "\\/")}: instance t-hosthealth-\\S+\\.${name}\\.\\d+ \\(agent-\\d, 172\\.16\\.0\\.\\d+\\) did not become healthy`));
          assert.match(err.message, /health check healthChecks\[0\] \(MESOS_HTTP port \d+ path \/health\)/);
          assert.match(err.message, /last failure: .*404/);
          return true;
        });
        assert.deepEqual(await containersOf(t, id), old.map((c) => ({ ...c, state: "running" })), "the same old containers, running; nothing of the new version left");
        for (const inst of before) {
          assert.match(await get(inst.ip, inst.ports[0]), /200 OK[\s\S]*ok/, `the old task still serves at ${inst.ip}:${inst.ports[0]}`);
        }
        const state = await stateOf(t, id);
        assert.equal(state.app.env?.BROKEN, undefined, "the state still describes the old version");
        assert.deepEqual(state.instances.map((i: any) => i.containerId), before.map((i: any) => i.containerId));
        assert.equal((await t.stack.preview()).changeSummary.update, 1, "the next up tries the new version again");
      } finally {
        t.setConfig(config(APPS));
      }
    });
  }

  it("a host-mode task that turns unhealthy after up is drift: refresh reports it, up replaces it", async function () {
    const [sick] = (await stateOf(t, "/hh/web")).instances;
    const removed = await dockerExec(sick.container, "rm /www/health");
    assert.equal(removed.code, 0, removed.out);
    const deadline = Date.now() + 60_000; // a bound, not an expectation: 2 failed probes 1 s apart
    let status = await healthOf(sick.containerId);
    while (status !== "unhealthy" && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 500));
      status = await healthOf(sick.containerId);
    }
    assert.equal(status, "unhealthy", "Docker's HEALTHCHECK saw the task fail within 60 s of /www/health's removal");

    await t.stack.refresh();
    const seen = (await stateOf(t, "/hh/web")).instances;
    assert.equal(seen.find((i: any) => i.container === sick.container)?.state, "unhealthy");
    assert.ok(seen.filter((i: any) => i.container !== sick.container).every((i: any) => i.state === "running"));

    outputs = (await t.stack.up()).outputs;
    const healed = app("/hh/web").instances;
    const back = healed.find((i: any) => i.agent === sick.agent);
    assert.equal(back.state, "running");
    assert.notEqual(back.containerId, sick.containerId, "the unhealthy task was replaced");
    assert.equal(await healthOf(back.containerId), "healthy");
    assert.match(await get(back.ip, back.ports[0]), /200 OK[\s\S]*ok/);
  });
});
