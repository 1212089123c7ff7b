// Objects found by name on the real engine are used only when they are ours, for what we want
// them for: a container of app /shop.web holding the name app /shop/web needs is not removed to
// place it; a container by an agent's name that is not this stack's agent is neither adopted nor
// run in; a probe-tools volume we did not make is not used. Each is refused with its name, and
// left exactly as it was.
import { strict as assert } from "assert";
import { randomBytes } from "crypto";
import { execFile } from "child_process";
import { promisify } from "util";
import { Owner } from "../../src/core/local/dockerNetworkSpec";
import { createApp, deleteApp, observe } from "../../src/backends/docker/localApp";
import { APP_LABELS, listAppContainers } from "../../src/backends/docker/containers";
import { ownerLabels } from "../../src/core/local/dockerNetworkSpec";
import { observeAgents, reconcileAgents } from "../../src/backends/docker/localAgents";
import { publishPorts } from "../../src/backends/docker/agents";
import { PROBE_TOOLS_VOLUME, ensureProbeTools } from "../../src/backends/docker/healthChecks";
import { onEngine } from "../../src/backends/docker/engines";
import { resolveApp } from "../../src/core/marathon/appInputs";
import { engine, requireDocker, run } from "../support/docker";
import { PrivateEngine, startPrivateEngine } from "../support/privateEngine";
import { createTestNetwork } from "../support/backendNetwork";

const suffix = randomBytes(3).toString("hex");
const owner: Owner = { project: "dcos-vnet", stack: `own-${suffix}` };
const network = `own-${suffix}`;

/** What must not change about a container we refuse: its id, that it runs, when it started, its labels and DNS names. */
async function fingerprint(name: string) {
  const info = await engine.getContainer(name).inspect();
  const aliases = Object.values<any>(info.NetworkSettings.Networks).map((n) => (n.Aliases ?? []).filter((a: string) => !info.Id.startsWith(a)));
  return { id: info.Id, running: info.State.Running, startedAt: info.State.StartedAt, labels: info.Config.Labels, aliases };
}

describe("ownership of what is found by name, on the real engine", function () {
  this.timeout(180_000);
  let half: string;

  before(async function () {
    await requireDocker();
    half = await createTestNetwork(network, owner, 215);
  });

  after(async function () {
    const label = [`io.dcos-vnet.stack=${owner.stack}`];
    for (const c of await engine.listContainers({ all: true, filters: { label } })) await engine.getContainer(c.Id).remove({ force: true });
    await engine.getContainer(`${owner.stack}.agent.agent-1`).remove({ force: true }).catch(() => undefined);
    await engine.getNetwork(network).remove().catch(() => undefined);
  });

  it("placing app /shop/web never removes app /shop.web's container of the same name: refused, naming both", async function () {
    const app = (id: string) =>
      resolveApp({
        app: { id, cmd: "exec sleep 600", instances: 1, cpus: 0.05, mem: 16, container: { type: "DOCKER", docker: { image: "busybox:latest" } }, networks: [{ mode: "container", name: network }] },
        networks: { [network]: { dockerNetwork: network, agentSubnets: { "agent-1": { docker: half } } } },
        secretEnv: {}, owner, target: "local" as const, network, servicePorts: [],
      });
    const first = await createApp(app("/shop.web"));
    const name = `${owner.stack}.shop.web.0`;
    assert.equal(first.instances[0].container, name);
    const before = await fingerprint(name);
    await assert.rejects(createApp(app("/shop/web")), (err: Error) => {
      assert.match(err.message, new RegExp(`Docker container "${name.replace(/\./g, "\\.")}" belongs to app /shop\\.web, not to app /shop/web, which needs that name: it is never removed for another`));
      return true;
    });
    assert.deepEqual(await fingerprint(name), before, "app /shop.web's container is as it was");
  });

  it("an app and a pod of one id (resources used directly) never take each other's containers: not by name, not as strays, not on delete", async function () {
    const app = resolveApp({
      app: { id: "/pair", cmd: "exec sleep 600", instances: 1, cpus: 0.05, mem: 16, container: { type: "DOCKER", docker: { image: "busybox:latest" } }, networks: [{ mode: "container", name: network }] },
      networks: { [network]: { dockerNetwork: network, agentSubnets: { "agent-1": { docker: half } } } },
      secretEnv: {}, owner, target: "local" as const, network, servicePorts: [],
    });
    // Pod /pair's holder, labelled as the pod backend labels it, on the name app /pair's instance 0 needs, and a second one beside it.
    const podLabels = { ...ownerLabels(owner), [APP_LABELS.app]: "/pair", [APP_LABELS.instance]: "0", [APP_LABELS.agent]: "agent-1", [APP_LABELS.podHolder]: "true" };
    const holders = [`${owner.stack}.pair.0`, `${owner.stack}.pair.7`];
    for (const name of holders) {
      const labels = Object.entries(podLabels).flatMap(([k, v]) => ["--label", `${k}=${v}`]);
      await run("docker", ["run", "-d", "--name", name, ...labels, "busybox:latest", "sleep", "600"]);
    }
    const before = await Promise.all(holders.map(fingerprint));
    await assert.rejects(createApp(app), /Docker container "[^"]+\.pair\.0" belongs to pod \/pair, not to app \/pair, which needs that name/);
    assert.deepEqual(await listAppContainers(owner, "/pair", "app"), [], "the pod's containers are not the app's");
    assert.deepEqual((await listAppContainers(owner, "/pair", "pod")).map((c) => c.name).sort(), holders, "they are the pod's");
    assert.deepEqual((await observe(app, [])).strays, [], "nor are they the app's strays");
    await deleteApp(app, { instances: [], nextIndex: 0, appId: "/pair" } as unknown as Parameters<typeof deleteApp>[1]);
    assert.deepEqual(await Promise.all(holders.map(fingerprint)), before, "the pod's containers are as they were after the app's delete");
  });

  it("a container by an agent's name without our labels is neither adopted, re-aliased, nor run in", async function () {
    const prefix = half.split(".").slice(0, 3).join(".");
    const container = `${owner.stack}.agent.agent-1`;
    await run("docker", ["run", "-d", "--name", container, "--network", network, "--ip", `${prefix}.2`, "busybox:latest", "sleep", "600"]);
    const before = await fingerprint(container);
    const spec = {
      hostNetwork: { dockerNetwork: network, subnet: `${prefix}.0/24`, agents: { "agent-1": { ip: `${prefix}.2`, container } } },
      aliases: { "agent-1": ["web.marathon.mesos"] },
      owner,
    };
    const refused = new RegExp(`Docker container "${container.replace(/\./g, "\\.")}" is not agent agent-1 of project "dcos-vnet" stack "${owner.stack}" \\(it is not owned by .*\\): it is never adopted, no task joins it and nothing runs in it\\. Remove or rename it`);
    await assert.rejects(reconcileAgents(spec, undefined), refused);
    await assert.rejects(publishPorts({ agent: "agent-1", container, owner }, `${prefix}.2`, `${owner.stack}.web.0`, `${prefix}.130`, [{ hostPort: 7000, containerPort: 80, protocol: "tcp" }]), refused);
    assert.deepEqual(await observeAgents(spec), { "agent-1": "missing" }, "it is no agent of ours");
    assert.deepEqual(await fingerprint(container), before, "the container is as it was");
  });

  describe("the probe-tools volume, on an engine of this test's own (the volume is shared by every stack of an engine)", function () {
    let own: PrivateEngine;
    const onOwn = <T>(work: () => Promise<T>) => onEngine({ host: "probe-tools-test", docker: own.host }, work);
    // The docker CLI on this engine (test/support/docker's `run` always takes the suite's).
    const docker = (args: string[]) => promisify(execFile)("docker", args, { env: { ...process.env, DOCKER_HOST: own.host }, encoding: "utf8" });

    before(async function () {
      own = await startPrivateEngine("own");
    });

    after(async function () {
      if (own) await own.dispose();
    });

    it("one made without our label is not used, nor changed: refused, saying how to make it anew", async function () {
      await own.client.createVolume({ Name: PROBE_TOOLS_VOLUME });
      await docker(["run", "--rm", "-v", `${PROBE_TOOLS_VOLUME}:/v`, "busybox:latest", "sh", "-c", "echo not-busybox > /v/wget"]);
      await assert.rejects(onOwn(() => ensureProbeTools()), (err: Error) => {
        assert.match(err.message, /Docker volume "dcos-vnet-probe-tools" on the engine at .* was not made by pulumi-dcos-vnet \(it lacks the label io\.dcos-vnet\.managed-by=pulumi-dcos-vnet\), so it is never used/);
        assert.match(err.message, /Remove it \(`docker volume rm dcos-vnet-probe-tools`\) and run the command again/);
        return true;
      });
      const volume = await own.client.getVolume(PROBE_TOOLS_VOLUME).inspect();
      assert.equal(volume.Labels, null);
      const { stdout } = await docker(["run", "--rm", "-v", `${PROBE_TOOLS_VOLUME}:/v`, "busybox:latest", "cat", "/v/wget"]);
      assert.equal(stdout.trim(), "not-busybox", "its content is as it was");
    });

    it("one with our label but driver options (a tmpfs, or a host directory, in its place) is not used either", async function () {
      await own.client.getVolume(PROBE_TOOLS_VOLUME).remove();
      await docker(["volume", "create", "--label", "io.dcos-vnet.managed-by=pulumi-dcos-vnet", "-o", "type=tmpfs", "-o", "device=tmpfs", PROBE_TOOLS_VOLUME]);
      await assert.rejects(onOwn(() => ensureProbeTools()), /was not made by pulumi-dcos-vnet \(it has driver options \(device, type\)\), so it is never used/);
    });
  });
});
