// A VIP through an upgrade roll, with real packets through the real Pulumi CLI: `/roll/web` (2
// instances on a virtual network, VIP `/roll/web:80` on containerPort 8080) gets a new definition
// (an env change rolls every instance). Once `up` returns, every connection through the VIP reaches
// a new instance, and the stack output's proxy is the one the engine runs, on the address the VIP
// name resolves to.
import { strict as assert } from "assert";
import { createTestStack, TestStack } from "../support/pulumi";
import { requireDocker, run } from "../support/docker";
import { removeContainers, resolve, startClient } from "../support/net";
import { connectMany, taskOf } from "../support/vipConnect";

const suffix = Math.random().toString(36).slice(2, 6);
const net = `vroll-${suffix}`;
const VIP_NAME = "rollweb.marathon.l4lb.thisdcos.directory";
const serve = "mkdir -p /www && echo \"task=$MESOS_TASK_ID \" > /www/index.html && exec httpd -f -p 8080 -h /www";

const config = (version: string) => ({
  cluster: { agents: ["agent-1", "agent-2"] },
  networks: [{ name: net, subnet: "9.233.0.0/16", prefix: 24 }],
  apps: [{
    app: {
      id: "/roll/web", cmd: serve, instances: 2, cpus: 0.1, mem: 32, env: { VERSION: version },
      container: { type: "DOCKER", docker: { image: "busybox" }, portMappings: [{ containerPort: 8080, labels: { VIP_0: "/roll/web:80" } }] },
      networks: [{ mode: "container", name: net }],
    },
  }],
});

describe("a VIP through an upgrade roll (real packets)", function () {
  let t: TestStack;
  let outputs: any;
  const client = `vroll-client-${suffix}`;
  const web = () => outputs.marathonApps.value["/roll/web"];
  const tasks = () => new Set(web().instances.map((i: any) => taskOf("/roll/web", i.container)));

  before(async function () {
    await requireDocker();
    t = await createTestStack("viproll", config("1"));
    outputs = (await t.stack.up()).outputs;
    await startClient(client, net, "9.233.200.10");
  });

  after(async function () {
    await removeContainers(client);
    if (t) await t.dispose();
  });

  it("serves the VIP before the roll, over both instances", async function () {
    const answered = await connectMany(client, VIP_NAME, 80, 10);
    assert.deepEqual([...new Set(answered)].sort(), [...tasks()].sort());
  });

  it("after up with a new definition, every connection through the VIP reaches a new instance", async function () {
    const before = web();
    t.setConfig(config("2"));
    outputs = (await t.stack.up()).outputs;
    const after = web();
    assert.equal(after.instances.length, 2);
    assert.equal(after.instances.filter((i: any) => before.instances.some((b: any) => b.container === i.container)).length, 0, "every instance was replaced");
    const answered = await connectMany(client, VIP_NAME, 80, 20);
    assert.ok(answered.every((x) => tasks().has(x)), `every connection reached a new instance: ${answered}`);
    assert.equal(new Set(answered).size, 2, `balanced over both new instances: ${[...new Set(answered)]}`);
  });

  it("reports the proxy the engine runs: its id, address and state, and the VIP name resolves to it", async function () {
    const [proxy, ...more] = web().vips;
    assert.equal(more.length, 0);
    const seen = JSON.parse((await run("docker", ["inspect", proxy.container])).stdout)[0];
    const dockerNet = Object.keys(seen.NetworkSettings.Networks)[0];
    assert.deepEqual(
      [proxy.address, proxy.ports, proxy.state, proxy.containerId, proxy.ip],
      [VIP_NAME, [80], "running", seen.Id, seen.NetworkSettings.Networks[dockerNet].IPAddress],
    );
    assert.equal(seen.State.Running, true);
    assert.deepEqual(await resolve(client, VIP_NAME), [proxy.ip]);
    // No instance answers to the VIP name (it is the proxy's).
    assert.ok(!web().instances.some((i: any) => i.ip === proxy.ip));
  });
});
