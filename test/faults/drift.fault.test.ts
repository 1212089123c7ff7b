// Drift made by hand on the engine, each seen by `pulumi refresh` and healed by the next `up`:
// the network removed, a container removed, a container moved to another address, the app
// "scaled by hand" (an instance stopped and an extra container started with the app's labels).
import { strict as assert } from "assert";
import { createTestStack, resourcesOfType, TestStack } from "../support/pulumi";
import { engine, networkOrUndefined, ownedObjects, requireDocker, run } from "../support/docker";

const suffix = Math.random().toString(36).slice(2, 6);
const net = `drift-${suffix}`;

async function appOutputs(t: TestStack): Promise<any> {
  const [app] = await resourcesOfType(t.stack, "MarathonApp");
  return app.outputs;
}

describe("drift: refresh reports it, up heals it", function () {
  let t: TestStack;
  const config = {
    cluster: { agents: ["agent-1", "agent-2"] },
    networks: [{ name: net, subnet: "9.183.0.0/16", prefix: 24 }],
    apps: [{ app: { id: "/drifty", cmd: "exec sleep 3600", instances: 3, cpus: 0.01, mem: 16, container: { type: "DOCKER", docker: { image: "busybox" } }, networks: [{ mode: "container", name: net }] } }],
  };
  let declared: any[];

  before(async function () {
    await requireDocker();
    t = await createTestStack("drift", config);
    declared = (await t.stack.up()).outputs.marathonApps.value["/drifty"].instances;
  });
  after(async function () {
    if (t) await t.dispose();
  });

  it("a container re-attached at another address by hand is reported moved, and put back", async function () {
    const victim = declared[0];
    await run("docker", ["network", "disconnect", "-f", net, victim.container]);
    await run("docker", ["network", "connect", "--ip", "9.183.0.250", net, victim.container]);
    await t.stack.refresh();
    const seen = (await appOutputs(t)).instances[0];
    assert.equal(seen.state, "moved");
    assert.equal(seen.observedIp, "9.183.0.250");
    await t.stack.up();
    const healed = (await appOutputs(t)).instances[0];
    assert.equal(healed.state, "running");
    assert.equal(healed.ip, victim.ip);
    const info = await engine.getContainer(healed.container).inspect();
    assert.equal(info.NetworkSettings.Networks[net].IPAddress, victim.ip);
  });

  it("an app scaled by hand (one instance stopped, an extra container started with its labels) is restored to the declaration", async function () {
    await run("docker", ["stop", "-t", "1", declared[1].container]);
    await run("docker", ["run", "-d", "--name", `extra-${suffix}`, "--network", net, "--label", "io.dcos-vnet.managed-by=pulumi-dcos-vnet", "--label", "io.dcos-vnet.project=dcos-vnet", "--label", `io.dcos-vnet.stack=${t.name}`, "--label", "io.dcos-vnet.app=/drifty", "busybox", "sleep", "600"]);
    await t.stack.refresh();
    const seen = await appOutputs(t);
    assert.equal(seen.instances[1].state, "stopped");
    assert.deepEqual(seen.strays, [`extra-${suffix}`]);
    await t.stack.up();
    const after = await appOutputs(t);
    assert.deepEqual(after.instances.map((i: any) => [i.ip, i.state]), declared.map((i: any) => [i.ip, "running"]));
    assert.equal((await ownedObjects(t.name)).containers.length, 3, "the extra container is gone");
  });

  it("a network removed by hand (with its containers) is re-created by the next up, with every instance on its address", async function () {
    for (const i of declared) await run("docker", ["rm", "-f", i.container]);
    await run("docker", ["network", "rm", net]);
    await t.stack.refresh();
    assert.equal((await resourcesOfType(t.stack, "LocalDockerNetwork")).length, 0);
    assert.ok((await appOutputs(t)).instances.every((i: any) => i.state === "missing"));
    await t.stack.up();
    assert.ok(await networkOrUndefined(net));
    const after = await appOutputs(t);
    assert.deepEqual(after.instances.map((i: any) => [i.ip, i.state]), declared.map((i: any) => [i.ip, "running"]));
  });

  it("after all of it, every object with our labels is in the state, and nothing else", async function () {
    const owned = await ownedObjects(t.name);
    const state = await appOutputs(t);
    assert.deepEqual(owned.containers.map((c) => c.replace(/^\//, "")).sort(), state.instances.map((i: any) => i.container).sort());
    assert.deepEqual(owned.networks, [net]);
  });
});
