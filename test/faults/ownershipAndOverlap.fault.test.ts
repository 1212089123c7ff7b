// Ownership and address-space rules on a shared engine: a Docker network or container that has
// our name but not our labels is never adopted, changed or deleted; a network overlapping another
// stack's is refused at preview; two stacks that share one virtual network (external: true) never
// hand out the same address, even racing each other; 50 instances started at once get 50 addresses,
// and destroy removes them and their network at once; a container not the stack's left on its
// network stops destroy, named as such, and is left running there.
import { strict as assert } from "assert";
import { createTestStack, TestStack } from "../support/pulumi";
import { engine, networkOrUndefined, ownedObjects, requireDocker, run } from "../support/docker";

const suffix = Math.random().toString(36).slice(2, 6);
const app = (id: string, net: string, instances: number, extra: Record<string, unknown> = {}) => ({
  app: { id, cmd: "exec sleep 3600", instances, cpus: 0.01, mem: 16, container: { type: "DOCKER", docker: { image: "busybox" } }, networks: [{ mode: "container", name: net }], ...extra },
});

describe("ownership: objects with our names but not our labels", function () {
  const net = `own-${suffix}`;
  let t: TestStack;
  before(async function () {
    await requireDocker();
    t = await createTestStack("own", { cluster: { agents: ["agent-1"] }, networks: [{ name: net, subnet: "9.180.0.0/16", prefix: 24 }], apps: [] });
  });
  after(async function () {
    await run("docker", ["rm", "-f", `${t?.name}.squatter.0`]).catch(() => undefined);
    await run("docker", ["network", "rm", net]).catch(() => undefined);
    if (t) await t.dispose();
  });

  it("a foreign network of the same name is refused with a clear error and left exactly as it was", async function () {
    await run("docker", ["network", "create", "--subnet", "9.180.0.0/16", "--label", "owner=someone-else", net]);
    const before = await networkOrUndefined(net);
    await assert.rejects(t.stack.up(), new RegExp(`Docker network "${net}" already exists and is not owned by project "dcos-vnet" stack "${t.name}".*never adopted or deleted`, "s"));
    const after = await networkOrUndefined(net);
    assert.equal(after.Id, before.Id);
    assert.deepEqual(after.Labels, { owner: "someone-else" });
    await t.stack.destroy();
    assert.ok(await networkOrUndefined(net), "destroy did not delete the foreign network");
    await run("docker", ["network", "rm", net]);
  });

  it("a foreign container with an instance's name is refused and left running", async function () {
    await t.stack.up(); // our network now
    const name = `${t.name}.squatter.0`;
    await run("docker", ["run", "-d", "--name", name, "busybox", "sleep", "600"]);
    t.setConfig({ cluster: { agents: ["agent-1"] }, networks: [{ name: net, subnet: "9.180.0.0/16", prefix: 24 }], apps: [app("/squatter", net, 1)] });
    await assert.rejects(t.stack.up(), new RegExp(`Docker container "${name.replace(/\./g, "\\.")}" exists and is not owned by project "dcos-vnet" stack "${t.name}"`));
    const info = await engine.getContainer(name).inspect();
    assert.equal(info.State.Running, true);
    assert.deepEqual(await ownedObjects(t.name), { networks: [net], containers: [] }, "nothing of ours left half-made");
  });
});

describe("address spaces and races across stacks on one engine", function () {
  const shared = `shared-${suffix}`;
  let a: TestStack;
  let b: TestStack;
  const agents = ["agent-1", "agent-2"];

  before(async function () {
    await requireDocker();
    a = await createTestStack("racea", { cluster: { agents }, networks: [{ name: shared, subnet: "9.181.0.0/16", prefix: 24 }], apps: [] });
    b = await createTestStack("raceb", { cluster: { agents }, networks: [{ name: `other-${suffix}`, subnet: "9.181.128.0/17", prefix: 24 }], apps: [] });
  });
  after(async function () {
    if (b) await b.dispose();
    if (a) await a.dispose();
  });

  it("refuses, at preview, a network overlapping another stack's network, naming it", async function () {
    await a.stack.up();
    await assert.rejects(b.stack.preview(), new RegExp(`overlaps "${shared}" \\(9\\.181\\.0\\.0/16, stack ${a.name}\\).*Pool overlaps with other one on this address space`, "s"));
    assert.equal(await networkOrUndefined(`other-${suffix}`), undefined);
  });

  it("two stacks sharing one virtual network, deploying at the same moment, never get the same address", async function () {
    a.setConfig({ cluster: { agents }, networks: [{ name: shared, subnet: "9.181.0.0/16", prefix: 24 }], apps: [app("/from-a", shared, 10)] });
    b.setConfig({ cluster: { agents }, networks: [{ name: shared, subnet: "9.181.0.0/16", prefix: 24, external: true }], apps: [app("/from-b", shared, 10)] });
    const [ra, rb] = await Promise.all([a.stack.up(), b.stack.up()]);
    const ips = [
      ...ra.outputs.marathonApps.value["/from-a"].instances.map((i: any) => i.ip),
      ...rb.outputs.marathonApps.value["/from-b"].instances.map((i: any) => i.ip),
    ];
    assert.equal(ips.length, 20);
    assert.equal(new Set(ips).size, 20, `duplicate address across stacks: ${ips.sort()}`);
    const endpoints = Object.values<any>((await engine.getNetwork(shared).inspect()).Containers ?? {}).map((c) => c.IPv4Address);
    assert.equal(endpoints.length, 20);
    assert.equal(new Set(endpoints).size, 20);
  });

  it("b's destroy leaves a's network and containers alone", async function () {
    await b.stack.destroy();
    assert.ok(await networkOrUndefined(shared));
    assert.equal((await ownedObjects(a.name)).containers.length, 10);
  });

  it("50 instances created at once on one network get 50 distinct addresses", async function () {
    a.setConfig({ cluster: { agents }, networks: [{ name: shared, subnet: "9.181.0.0/16", prefix: 24 }], apps: [app("/fifty", shared, 50)] });
    const res = await a.stack.up();
    const ips = res.outputs.marathonApps.value["/fifty"].instances.map((i: any) => i.ip);
    assert.equal(ips.length, 50);
    assert.equal(new Set(ips).size, 50);
    const endpoints = Object.values<any>((await engine.getNetwork(shared).inspect()).Containers ?? {}).map((c) => c.IPv4Address);
    assert.equal(new Set(endpoints).size, 50);
  });

  it("destroy removes the 50 instances and, right after them, their network", async function () {
    // The network's removal follows the 50 containers' at once: the engine may still be releasing
    // their endpoints (403 "has active endpoints"); destroy waits for that, bounded.
    await a.stack.destroy();
    assert.equal(await networkOrUndefined(shared), undefined);
    assert.deepEqual(await ownedObjects(a.name), { networks: [], containers: [] });
  });
});

describe("exhaustion of an agent block", function () {
  const net = `full-${suffix}`;
  let t: TestStack;
  // /28 blocks: each half is a /29 with 5 addresses a container may take.
  const base = { cluster: { agents: ["agent-1"] }, networks: [{ name: net, subnet: "9.182.0.0/24", prefix: 28 }] };

  before(async function () {
    await requireDocker();
    t = await createTestStack("full", { ...base, apps: [] });
  });
  after(async function () {
    await run("docker", ["rm", "-f", `squat-${suffix}`]).catch(() => undefined);
    if (t) await t.dispose();
  });

  it("asking more than a half holds fails at preview with the count asked vs available", async function () {
    t.setConfig({ ...base, apps: [app("/too-many", net, 6)] });
    await assert.rejects(t.stack.preview(), /No free container addresses in agent-1's Docker half of the full-\w+ overlay 9\.182\.0\.8\/29: asked for 6, 5 available/);
  });

  it("a half filled by someone else fails at up with the numbers, and leaves nothing of the new app", async function () {
    t.setConfig({ ...base, apps: [app("/first", net, 4)] });
    await t.stack.up();
    // Another user takes the last free address of the half by hand.
    await run("docker", ["run", "-d", "--name", `squat-${suffix}`, "--network", net, "--ip", "9.182.0.14", "busybox", "sleep", "600"]);
    t.setConfig({ ...base, apps: [app("/first", net, 4), app("/second", net, 1)] });
    await assert.rejects(t.stack.up(), /No free container addresses in agent-1's Docker half of the full-\w+ overlay 9\.182\.0\.8\/29: asked for 1, 0 available/);
    const containers = await engine.listContainers({ all: true, filters: { label: [`io.dcos-vnet.app=/second`, `io.dcos-vnet.stack=${t.name}`] } });
    assert.equal(containers.length, 0, "nothing partial left");
  });

  it("destroy with that container still attached names it as a container that is not the stack's, says what to do, and leaves it running there", async function () {
    const squatter = `squat-${suffix}`;
    const before = await engine.getContainer(squatter).inspect();
    const err: Error = await t.stack.destroy().then(() => assert.fail("destroy succeeded with a foreign container on the network"), (e) => e);
    assert.match(err.message, new RegExp(`Docker network "${net}" was not removed: 1 container is still attached to it, and it was left as it is\\.`));
    assert.match(err.message, new RegExp(`Container "${squatter}" \\(id ${before.Id.slice(0, 12)}, running\\) is not managed by this stack \\(it has no pulumi-dcos-vnet ownership labels\\): disconnect it \\(docker network disconnect ${net} ${squatter}\\), or remove it \\(docker rm -f ${squatter}\\) if it is yours to remove\\. Then run the same pulumi command again\\.`));
    assert.doesNotMatch(err.message, /remove the apps/);
    const after = await engine.getContainer(squatter).inspect();
    assert.equal(after.Id, before.Id);
    assert.equal(after.State.Running, true, "the foreign container still runs");
    assert.equal(after.State.StartedAt, before.State.StartedAt, "it was not restarted");
    assert.equal(after.NetworkSettings.Networks[net]?.IPAddress, "9.182.0.14", "it is still attached, at its address");
    assert.deepEqual(await ownedObjects(t.name), { networks: [net], containers: [] }, "the stack's apps went; its network stays");
  });
});
