// Marathon health checks run by the local cluster, against the tests' private engine: each probe
// kind (HTTP, TCP, COMMAND) passes on an instance that serves what it checks and fails on one that
// does not. A passing create leaves Docker's HEALTHCHECK saying healthy; a failing one is refused
// with the app, the instance, the check and the last failure named, and leaves no container.
import { strict as assert } from "assert";
import { randomBytes } from "crypto";
import { Owner } from "../../src/core/local/dockerNetworkSpec";
import { createApp } from "../../src/backends/docker/localApp";
import { resolveApp } from "../../src/core/marathon/appInputs";
import { engine, requireDocker, run } from "../support/docker";
import { dockerExec } from "../support/net";
import { createTestNetwork, freeSubnet } from "../support/backendNetwork";

const suffix = randomBytes(3).toString("hex");
const owner: Owner = { project: "dcos-vnet", stack: `h9-health-${suffix}` };
const network = `h9-hc-${suffix}`;
/** An app image with no /bin at all (no shell, no wget, no nc): the probes must not depend on what the image holds. */
const BARE_IMAGE = `h9-bare-${suffix}:1`;

/** Serves /www (with /www/health) on 8080. */
const HTTPD = "mkdir -p /www && echo ok > /www/health && exec httpd -f -p 8080 -h /www";
/** The same from BARE_IMAGE, which has /www/health and a busybox outside /bin, run as Marathon `args`. */
const BARE_HTTPD = ["/srv/busybox-app", "httpd", "-f", "-p", "8080", "-h", "/www"];
const FAST = { gracePeriodSeconds: 0, intervalSeconds: 1, timeoutSeconds: 2, maxConsecutiveFailures: 2 };

const ours = async (id: string) =>
  engine.listContainers({ all: true, filters: { label: [`io.dcos-vnet.stack=${owner.stack}`, `io.dcos-vnet.app=${id}`] } });

describe("health checks run by the local cluster, on the real engine", function () {
  this.timeout(180_000);
  let half: string;

  const app = (id: string, cmd: string | string[], healthCheck: Record<string, unknown>, image = "busybox:latest") =>
    resolveApp({
      app: {
        id, ...(typeof cmd === "string" ? { cmd } : { args: cmd }), instances: 1, cpus: 0.05, mem: 16,
        container: { type: "DOCKER", docker: { image }, portMappings: [{ containerPort: 8080, name: "http" }] },
        networks: [{ mode: "container", name: network }],
        healthChecks: [{ ...FAST, ...healthCheck }],
      },
      networks: { [network]: { dockerNetwork: network, agentSubnets: { "agent-1": { docker: half } } } },
      secretEnv: {},
      owner,
      target: "local" as const,
      network,
      servicePorts: [],
    });

  async function assertHealthy(id: string) {
    const state = await createApp(app(id, ...CASES[id]));
    assert.equal(state.instances.length, 1);
    const info = await engine.getContainer(state.instances[0].containerId).inspect();
    assert.equal(info.State.Health?.Status, "healthy", JSON.stringify(info.State.Health?.Log));
    return state;
  }

  async function assertRefused(id: string, named: RegExp[]) {
    await assert.rejects(createApp(app(id, ...CASES[id])), (err: Error) => {
      for (const re of [new RegExp(`app ${id}: instance h9-health-${suffix}\\.${id.slice(1)}\\.0 \\(agent-1, 9\\.`), ...named]) {
        assert.match(err.message, re);
      }
      assert.match(err.message, /were removed/);
      return true;
    });
    assert.deepEqual(await ours(id), [], "nothing left of the refused app");
  }

  const CASES: Record<string, [string | string[], Record<string, unknown>, string?]> = {};

  before(async function () {
    await requireDocker();
    half = await createTestNetwork(network, owner, 200);
    // No /bin: the app's own busybox lives elsewhere, so the image has no shell, wget or nc to probe with.
    const maker = `h9-bare-maker-${suffix}`;
    const script = "mkdir -p /srv /www && echo ok > /www/health && cp /bin/busybox /srv/busybox-app && rm -rf /bin";
    await run("docker", ["run", "--name", maker, "busybox:latest", "sh", "-c", script]);
    await run("docker", ["commit", maker, BARE_IMAGE]);
    await run("docker", ["rm", maker]);
    Object.assign(CASES, {
      "/http-ok": [BARE_HTTPD, { protocol: "MESOS_HTTP", path: "/health", portIndex: 0 }, BARE_IMAGE],
      "/http-bad": [BARE_HTTPD, { protocol: "HTTP", path: "/missing", portIndex: 0 }, BARE_IMAGE],
      "/tcp-ok": [HTTPD, { protocol: "MESOS_TCP", portIndex: 0 }],
      "/tcp-bad": [HTTPD, { protocol: "TCP", port: 9090 }],
      "/cmd-ok": ["touch /tmp/ready && exec sleep 600", { protocol: "COMMAND", command: { value: "test -f /tmp/ready" } }],
      "/cmd-bad": ["exec sleep 600", { protocol: "COMMAND", command: { value: "test -f /tmp/ready" } }],
    });
  });

  after(async function () {
    for (const c of await engine.listContainers({ all: true, filters: { label: [`io.dcos-vnet.stack=${owner.stack}`] } })) {
      await engine.getContainer(c.Id).remove({ force: true });
    }
    await engine.getNetwork(network).remove().catch(() => undefined);
    await engine.getImage(BARE_IMAGE).remove().catch(() => undefined);
  });

  it("an HTTP check passes on an instance serving its path, though the app's image has no shell and no wget", async function () {
    const state = await assertHealthy("/http-ok");
    const own = await dockerExec(state.instances[0].container, "true");
    assert.notEqual(own.code, 0, "the app image has no shell of its own (the probe brought its tools)");
    assert.match(own.out, /not found|no such file/i);
  });

  it("an HTTP check on a path the instance does not serve fails create, naming the check and the 404", async function () {
    await assertRefused("/http-bad", [/healthChecks\[0\] \(HTTP port 8080 path \/missing\)/, /404/]);
  });

  it("a TCP check passes when the port accepts connections", async function () {
    await assertHealthy("/tcp-ok");
  });

  it("a TCP check on a port nothing listens on fails create, naming the check", async function () {
    await assertRefused("/tcp-bad", [/healthChecks\[0\] \(TCP port 9090\)/, /last failure: .*(refused|can't connect)/i]);
  });

  it("a COMMAND check passes when its command exits 0 inside the instance", async function () {
    await assertHealthy("/cmd-ok");
  });

  it("a COMMAND check whose command fails inside the instance fails create, naming the command", async function () {
    await assertRefused("/cmd-bad", [/healthChecks\[0\] \(COMMAND `test -f \/tmp\/ready`\)/, /failed \d+ consecutive time/]);
  });
});
