// VIPs as DC/OS serves them, with real packets through the real Pulumi CLI: `/shop/web` listens on
// 8080 with 3 instances and declares the named VIP `/shop/web:80` and the IP VIP 9.242.255.250:80.
// A client on the network connects on port 80 to the l4lb name and to the IP; connections are
// balanced over the instances, a stopped instance stops receiving them, and the proxies follow the
// app through scale, drift (refresh + up) and destroy.
import { strict as assert } from "assert";
import { createTestStack, resourcesOfType, TestStack } from "../support/pulumi";
import { ownedObjects, requireDocker, run } from "../support/docker";
import { removeContainers, resolve, startClient } from "../support/net";
import { connectMany, taskOf as taskOfApp } from "../support/vipConnect";

const suffix = Math.random().toString(36).slice(2, 6);
const net = `vip-${suffix}`;
const VIP_NAME = "shopweb.marathon.l4lb.thisdcos.directory";
const IP_VIP = "9.242.255.250";
/** Each instance answers with its own task id on 8080. */
const serve = "mkdir -p /www && echo \"task=$MESOS_TASK_ID\" > /www/index.html && exec httpd -f -p 8080 -h /www";

const app = (instances: number) => ({
  id: "/shop/web", cmd: serve, instances, cpus: 0.1, mem: 32,
  container: {
    type: "DOCKER", docker: { image: "busybox" },
    portMappings: [{ containerPort: 8080, name: "http", labels: { VIP_0: "/shop/web:80", VIP_1: `${IP_VIP}:80` } }],
  },
  networks: [{ mode: "container", name: net }],
});

const config = (instances: number) => ({
  cluster: { agents: ["agent-1", "agent-2", "agent-3"] },
  networks: [{ name: net, subnet: "9.242.0.0/16", prefix: 24 }],
  apps: [{ app: app(instances) }],
});

/** MESOS_TASK_ID of an instance container of /shop/web. */
const taskOf = (container: string) => taskOfApp("/shop/web", container);

describe("VIPs on the local cluster (real packets, real L4 proxy)", function () {
  let t: TestStack;
  let outputs: any;
  const client = `vip-client-${suffix}`;
  const web = () => outputs.marathonApps.value["/shop/web"];

  before(async function () {
    await requireDocker(); // the suite's engine carries the VIP proxy image (test/support/docker.ts)
    t = await createTestStack("vip", config(3));
    outputs = (await t.stack.up()).outputs;
    await startClient(client, net, "9.242.200.10");
  });

  after(async function () {
    await removeContainers(client);
    if (t) await t.dispose();
  });

  it("serves the named VIP on the VIP port, balanced over at least 2 of the 3 instances, from an address of its own", async function () {
    const instances = web().instances;
    assert.equal(instances.length, 3);
    const vipIps = await resolve(client, VIP_NAME);
    assert.equal(vipIps.length, 1, `${VIP_NAME} → ${vipIps}`);
    assert.ok(!instances.some((i: any) => i.ip === vipIps[0]), "the VIP name is the proxy's, not an instance's");
    const tasks = await connectMany(client, VIP_NAME, 80, 30);
    assert.ok(tasks.every(Boolean), `every connection answered: ${tasks}`);
    const known = new Set(instances.map((i: any) => taskOf(i.container)));
    assert.ok(tasks.every((x) => known.has(x)), `answered by the app's instances: ${[...new Set(tasks)]}`);
    assert.ok(new Set(tasks).size >= 2, `spread over ${new Set(tasks).size} instance(s)`);
    // The instances themselves do not listen on the VIP port: only the VIP serves it.
    assert.deepEqual(await connectMany(client, instances[0].ip, 80, 1), [""]);
  });

  it("serves the IP VIP at its own address on the VIP port", async function () {
    const tasks = await connectMany(client, IP_VIP, 80, 6);
    assert.ok(tasks.every(Boolean), `every connection answered: ${tasks}`);
    assert.ok(new Set(tasks).size >= 2, `spread over ${new Set(tasks).size} instance(s)`);
    const proxies = web().vips.map((v: any) => [v.address, v.ip, v.state]);
    assert.deepEqual(proxies.find((p: any) => p[0] === IP_VIP), [IP_VIP, IP_VIP, "running"]);
  });

  it("stops sending connections to an instance that stops: the next 10 all succeed, on the others", async function () {
    const stopped = web().instances[1];
    await run("docker", ["stop", "-t", "1", stopped.container]);
    const tasks = await connectMany(client, VIP_NAME, 80, 10);
    assert.ok(tasks.every(Boolean), `every connection answered: ${tasks}`);
    assert.ok(!tasks.includes(taskOf(stopped.container)), "none answered by the stopped instance");
    assert.ok(new Set(tasks).size >= 2, `still balanced: ${[...new Set(tasks)]}`);
  });

  it("follows the app: refresh + up heals the instance and a removed proxy, a scale-up joins the VIP", async function () {
    const proxy = web().vips.find((v: any) => v.address === VIP_NAME);
    await run("docker", ["rm", "-f", proxy.container]);
    await t.stack.refresh();
    const [state] = await resourcesOfType(t.stack, "MarathonApp");
    assert.deepEqual(state.outputs.vips.map((v: any) => [v.address, v.state]).sort(), [[IP_VIP, "running"], [VIP_NAME, "missing"]]);
    assert.deepEqual(state.outputs.instances.map((i: any) => i.state), ["running", "stopped", "running"]);
    const preview = await t.stack.preview({ diff: true });
    assert.equal(preview.changeSummary.update, 1, JSON.stringify(preview.changeSummary));

    t.setConfig(config(4));
    outputs = (await t.stack.up()).outputs;
    assert.equal(web().instances.length, 4);
    assert.ok(web().vips.every((v: any) => v.state === "running"), JSON.stringify(web().vips));
    const all = new Set(web().instances.map((i: any) => taskOf(i.container)));
    // A new proxy waits for the instances before up returns; the 4 are reached within a bounded
    // number of rounds (HAProxy re-reads the engine's DNS every second).
    const seen = new Set<string>();
    for (let round = 0; round < 10 && seen.size < 4; round++) {
      const tasks = await connectMany(client, VIP_NAME, 80, 8);
      assert.ok(tasks.every(Boolean), `every connection answered: ${tasks}`);
      tasks.forEach((x) => seen.add(x));
    }
    assert.deepEqual([...seen].sort(), [...all].sort());
  });

  it("is removed with the app", async function () {
    const proxies = web().vips.map((v: any) => v.container);
    await removeContainers(client); // the test's own, on the network that goes too
    await t.stack.destroy();
    const left = (await ownedObjects(t.name)).containers.map((n) => n.replace(/^\//, ""));
    assert.deepEqual(left.filter((n) => proxies.includes(n)), []);
    assert.deepEqual(left, []);
  });
});
