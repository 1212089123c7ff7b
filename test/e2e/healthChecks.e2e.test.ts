// Health checks through the real Pulumi CLI on the tests' private engine: an app whose HTTP check
// passes is created and rolled; a rolling image change whose new version fails its check fails
// `up` naming the check, and leaves the old instances serving on their addresses (the one the
// strategy had already stopped started again) with the state still describing them; an instance
// made unhealthy after `up` is drift that refresh reports and the next `up` replaces.
import { strict as assert } from "assert";
import { createTestStack, resourcesOfType, TestStack } from "../support/pulumi";
import { engine, requireDocker, run } from "../support/docker";
import { dockerExec, removeContainers, startClient } from "../support/net";

const suffix = Math.random().toString(36).slice(2, 6);
const net = `hc-${suffix}`;
const V1 = `h9web-${suffix}:v1`;
/** The same files as v1 with BROKEN=1 in its environment: the app then serves no /health. */
const V2 = `h9web-${suffix}:v2`;
const CLIENT = `hc-client-${suffix}`;

const SERVE = 'mkdir -p /www && if [ -z "$BROKEN" ]; then echo ok > /www/health; fi && exec httpd -f -p 8080 -h /www';
const CHECK = { protocol: "MESOS_HTTP", path: "/health", portIndex: 0, gracePeriodSeconds: 0, intervalSeconds: 1, timeoutSeconds: 2, maxConsecutiveFailures: 2 };

function web(image: string, extra: Record<string, unknown> = {}) {
  return {
    app: {
      id: "/web", cmd: SERVE, instances: 2, cpus: 0.05, mem: 16,
      container: { type: "DOCKER", docker: { image }, portMappings: [{ containerPort: 8080, name: "http" }] },
      networks: [{ mode: "container", name: net }],
      healthChecks: [CHECK],
      ...extra,
    },
  };
}

const config = (apps: unknown[]) => ({
  cluster: { agents: ["agent-1", "agent-2"] },
  networks: [{ name: net, subnet: "9.249.0.0/16", prefix: 24 }],
  apps,
});

async function webState(t: TestStack): Promise<any> {
  const [app] = await resourcesOfType(t.stack, "MarathonApp");
  assert.ok(app, "MarathonApp in state");
  return app.outputs;
}

/** GET /health from the client container, bounded; the response text. */
async function health(ip: string): Promise<string> {
  return (await dockerExec(CLIENT, `printf 'GET /health HTTP/1.0\\r\\n\\r\\n' | nc -w 2 ${ip} 8080`, 10_000)).out;
}

const appContainers = async () =>
  (await engine.listContainers({ all: true, filters: { label: ["io.dcos-vnet.app=/web", `io.dcos-vnet.stack=${t.name}`] } }))
    .map((c) => ({ id: c.Id, name: c.Names[0].slice(1), state: c.State, ip: (c.NetworkSettings.Networks as any)[net]?.IPAddress }))
    .sort((a, b) => a.name.localeCompare(b.name));

let t: TestStack;

describe("health checks on the local cluster, through the Pulumi CLI", function () {
  this.timeout(600_000);

  before(async function () {
    await requireDocker();
    await run("docker", ["tag", "busybox:latest", V1]);
    const maker = `h9web-maker-${suffix}`;
    await run("docker", ["create", "--name", maker, V1, "true"]);
    await run("docker", ["commit", "--change", "ENV BROKEN=1", maker, V2]);
    await run("docker", ["rm", maker]);
    t = await createTestStack("health", config([web(V1)]));
  });

  after(async function () {
    await removeContainers(CLIENT);
    if (t) await t.dispose();
    await run("docker", ["rmi", V1, V2]).catch(() => undefined);
  });

  it("refuses at preview a check the local cluster cannot run, naming the field, and creates nothing", async function () {
    t.setConfig(config([web(V1, { healthChecks: [{ ...CHECK, protocol: "MESOS_HTTPS" }] })]));
    await assert.rejects(t.stack.preview(), /property app\.healthChecks\[0\]\.protocol value .* has a problem: the local cluster does not run MESOS_HTTPS health checks/);
    assert.deepEqual(await appContainers(), []);
    t.setConfig(config([web(V1)]));
  });

  it("creates the app once its instances pass the HTTP check, and rolls it to a new version that passes", async function () {
    const created = (await t.stack.up()).outputs.marathonApps.value["/web"].instances;
    assert.equal(created.length, 2);
    for (const inst of created) {
      const info = await engine.getContainer(inst.containerId).inspect();
      assert.equal(info.State.Health?.Status, "healthy", `${inst.container}: ${JSON.stringify(info.State.Health?.Log)}`);
    }
    await startClient(CLIENT, net, "9.249.200.10");
    assert.match(await health(created[0].ip), /200 OK[\s\S]*ok/);

    t.setConfig(config([web(V1, { env: { RELEASE: "2" } })]));
    const rolled = (await t.stack.up()).outputs.marathonApps.value["/web"].instances;
    assert.equal(rolled.length, 2);
    assert.ok(rolled.every((i: any) => !created.some((c: any) => c.container === i.container)), "every instance replaced");
    for (const inst of rolled) {
      assert.equal((await engine.getContainer(inst.containerId).inspect()).State.Health?.Status, "healthy");
      assert.match(await health(inst.ip), /200 OK/);
    }
    assert.deepEqual((await appContainers()).map((c) => c.name), rolled.map((i: any) => i.container).sort(), "the old instances are gone");
  });

  it("a rolling image change whose new version fails its check fails up naming the check, and the old instances keep serving", async function () {
    const before = await appContainers();
    // minimumHealthCapacity 0.5 with no over-capacity: one old instance is stopped before any new one starts.
    const strategy = { upgradeStrategy: { minimumHealthCapacity: 0.5, maximumOverCapacity: 0 } };
    t.setConfig(config([web(V1, { env: { RELEASE: "2" }, ...strategy })]));
    await t.stack.up(); // the strategy alone is a definition change: a passing roll first
    const old = await appContainers();
    assert.equal(old.length, 2);
    assert.ok(old.every((c) => !before.some((b) => b.id === c.id)));

    t.setConfig(config([web(V2, { env: { RELEASE: "2" }, ...strategy })]));
    await assert.rejects(t.stack.up(), (err: Error) => {
      assert.match(err.message, /app \/web: instance t-health-\S+\.web\.\d+ \(agent-\d, 9\.249\.\d+\.\d+\) did not become healthy/);
      assert.match(err.message, /health check healthChecks\[0\] \(MESOS_HTTP port 8080 path \/health\)/);
      assert.match(err.message, /last failure: .*404/);
      return true;
    });

    const after = await appContainers();
    assert.deepEqual(after, old.map((c) => ({ ...c, state: "running" })), "the same old containers, running, on the same addresses; nothing of v2 left");
    for (const c of after) assert.match(await health(c.ip), /200 OK[\s\S]*ok/, `${c.name} at ${c.ip} still serves`);
    const state = await webState(t);
    assert.equal(state.app.container.docker.image, V1, "the state still describes the old version");
    assert.deepEqual(state.instances.map((i: any) => i.containerId).sort(), old.map((c) => c.id).sort());
    const preview = await t.stack.preview();
    assert.equal(preview.changeSummary.update, 1, "the next up tries the new version again");
  });

  it("an instance that turns unhealthy after up is drift: refresh reports it, up replaces it on its address", async function () {
    const strategy = { upgradeStrategy: { minimumHealthCapacity: 0.5, maximumOverCapacity: 0 } };
    t.setConfig(config([web(V1, { env: { RELEASE: "2" }, ...strategy })])); // what the state holds
    const [sick] = (await webState(t)).instances;
    const removed = await dockerExec(sick.container, "rm /www/health");
    assert.equal(removed.code, 0, removed.out);
    const deadline = Date.now() + 60_000; // a bound, not an expectation: 2 failed probes 1 s apart
    let status = "";
    while (status !== "unhealthy" && Date.now() < deadline) {
      status = (await engine.getContainer(sick.containerId).inspect()).State.Health?.Status ?? "";
      if (status !== "unhealthy") await new Promise((r) => setTimeout(r, 500));
    }
    assert.equal(status, "unhealthy", "Docker's HEALTHCHECK saw the instance fail within 60 s of /www/health's removal");

    await t.stack.refresh();
    const seen = (await webState(t)).instances;
    assert.equal(seen.find((i: any) => i.container === sick.container)?.state, "unhealthy");
    assert.ok(seen.filter((i: any) => i.container !== sick.container).every((i: any) => i.state === "running"));

    const healed = (await t.stack.up()).outputs.marathonApps.value["/web"].instances;
    const back = healed.find((i: any) => i.index === sick.index);
    assert.equal(back.state, "running");
    assert.equal(back.ip, sick.ip, "the replacement keeps the address");
    assert.notEqual(back.containerId, sick.containerId, "the unhealthy container was replaced");
    assert.equal((await engine.getContainer(back.containerId).inspect()).State.Health?.Status, "healthy");
    assert.match(await health(back.ip), /200 OK[\s\S]*ok/);
  });
});
