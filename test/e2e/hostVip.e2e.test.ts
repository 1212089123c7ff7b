// VIPs of host- and bridge-mode apps on the local cluster, with real packets through the real
// Pulumi CLI: a host-mode app with 2 instances on 2 agents declares `/hm/web:80` on its port
// definition, a bridge-mode app `/hm/br:8080` and the IP VIP 172.16.9.250:8080 on its port mapping.
// A client on the host network connects to the l4lb names and the IP; connections are balanced over
// the instances (at agent-ip:hostPort), a stopped task stops receiving them, the proxies follow the
// apps through drift (refresh + up) and a roll, an IP VIP outside the host network's task half
// fails the preview, and destroy removes the proxies.
import { strict as assert } from "assert";
import { createTestStack, resourcesOfType, TestStack } from "../support/pulumi";
import { ownedObjects, requireAgentImage, requireDocker, run } from "../support/docker";
import { inCidr, removeContainers, resolve, startClient } from "../support/net";
import { connectMany, taskOf } from "../support/vipConnect";

const suffix = Math.random().toString(36).slice(2, 6);
const HOST_SUBNET = "172.16.9.0/24";
const TASK_HALF = "172.16.9.128/25";
const WEB_VIP = "hmweb.marathon.l4lb.thisdcos.directory";
const BR_VIP = "hmbr.marathon.l4lb.thisdcos.directory";
const IP_VIP = "172.16.9.250";
/** Serves a page naming the task on the port given (host mode: its PORT0). */
const serveOn = (port: string) => `mkdir -p /www && echo "task=$MESOS_TASK_ID " > /www/index.html && exec httpd -f -p ${port} -h /www`;

const web = (env: Record<string, string> = {}) => ({
  id: "/hm/web", cmd: serveOn("$PORT0"), instances: 2, cpus: 0.1, mem: 32, env,
  networks: [{ mode: "host" }], portDefinitions: [{ port: 0, name: "http", labels: { VIP_0: "/hm/web:80" } }],
  constraints: [["hostname", "UNIQUE"]],
});
const br = {
  id: "/hm/br", cmd: serveOn("80"), instances: 2, cpus: 0.1, mem: 32,
  container: {
    type: "DOCKER", docker: { image: "busybox" },
    portMappings: [{ containerPort: 80, hostPort: 0, name: "web", labels: { VIP_0: "/hm/br:8080", VIP_1: `${IP_VIP}:8080` } }],
  },
  networks: [{ mode: "container/bridge" }],
};
const config = (apps: unknown[]) => ({
  cluster: { agents: ["agent-1", "agent-2"], hostSubnet: HOST_SUBNET },
  networks: [{ name: `hv-${suffix}`, subnet: "9.232.0.0/16", prefix: 24 }],
  apps: apps.map((app) => ({ app })),
});

describe("VIPs of host- and bridge-mode apps on the local cluster (real packets, real L4 proxy)", function () {
  let t: TestStack;
  let outputs: any;
  const client = `hostvip-client-${suffix}`;
  const app = (id: string) => outputs.marathonApps.value[id];
  const tasksOf = (id: string) => new Set(app(id).instances.map((i: any) => taskOf(id, i.container)));

  before(async function () {
    await requireDocker();
    await requireAgentImage();
    t = await createTestStack("hostvip", config([web(), br]));
    outputs = (await t.stack.up()).outputs;
    // A client on the host network, at the top of the task half (bridge tasks and proxies take its lowest addresses).
    await startClient(client, `${t.name}-host`, "172.16.9.254");
  });

  after(async function () {
    await removeContainers(client);
    if (t) await t.dispose();
  });

  it("serves a host-mode app's named VIP from a proxy on the host network: 20 connections spread over both instances on both agents", async function () {
    const instances = app("/hm/web").instances;
    assert.deepEqual(instances.map((i: any) => i.agent).sort(), ["agent-1", "agent-2"]);
    const [proxy] = app("/hm/web").vips;
    assert.deepEqual([proxy.address, proxy.ports, proxy.state], [WEB_VIP, [80], "running"]);
    assert.ok(inCidr(proxy.ip, TASK_HALF), `the proxy's address ${proxy.ip} is in the task half`);
    assert.deepEqual(await resolve(client, WEB_VIP), [proxy.ip]);
    const tasks = await connectMany(client, WEB_VIP, 80, 20);
    assert.ok(tasks.every(Boolean), `every connection answered: ${tasks}`);
    assert.deepEqual([...new Set(tasks)].sort(), [...tasksOf("/hm/web")].sort(), "answered by both instances");
  });

  it("serves a bridge-mode app's named VIP and its IP VIP, balanced over its instances at agent-ip:hostPort", async function () {
    for (const address of [BR_VIP, IP_VIP]) {
      const tasks = await connectMany(client, address, 8080, 10);
      assert.ok(tasks.every(Boolean), `every connection to ${address} answered: ${tasks}`);
      assert.deepEqual([...new Set(tasks)].sort(), [...tasksOf("/hm/br")].sort(), `${address}: answered by both instances`);
    }
    assert.deepEqual(app("/hm/br").vips.map((v: any) => [v.address, v.state]), [[IP_VIP, "running"], [BR_VIP, "running"]]);
    assert.equal(app("/hm/br").vips[0].ip, IP_VIP, "the IP VIP's proxy holds the IP VIP");
  });

  it("stops sending connections to a task that stops: the next 10 all succeed, on the other", async function () {
    const [stopped, other] = app("/hm/web").instances;
    await run("docker", ["stop", "-t", "1", stopped.container]);
    const tasks = await connectMany(client, WEB_VIP, 80, 10);
    assert.deepEqual(tasks, new Array(10).fill(taskOf("/hm/web", other.container)), "every connection answered by the running task");
  });

  it("follows the app: refresh sees the stopped task and a removed proxy, up brings both back", async function () {
    const proxy = app("/hm/web").vips[0];
    await run("docker", ["rm", "-f", proxy.container]);
    await t.stack.refresh();
    const state = (await resourcesOfType(t.stack, "MarathonApp")).find((r: any) => r.outputs.appId === "/hm/web");
    assert.deepEqual(state.outputs.vips.map((v: any) => v.state), ["missing"]);
    assert.deepEqual(state.outputs.instances.map((i: any) => i.state).sort(), ["running", "stopped"]);
    outputs = (await t.stack.up()).outputs;
    assert.deepEqual(app("/hm/web").vips.map((v: any) => v.state), ["running"]);
    assert.equal(app("/hm/web").vips[0].ip, proxy.ip, "the proxy is back on its address");
    const tasks = await connectMany(client, WEB_VIP, 80, 10);
    assert.ok(tasks.every(Boolean), `every connection answered: ${tasks}`);
    assert.deepEqual([...new Set(tasks)].sort(), [...tasksOf("/hm/web")].sort());
  });

  it("keeps serving through a roll: after up, every connection reaches a new task, and the proxy in the output is the one running", async function () {
    const before = app("/hm/web");
    t.setConfig(config([web({ VERSION: "2" }), br]));
    outputs = (await t.stack.up()).outputs;
    const after = app("/hm/web");
    assert.equal(after.instances.filter((i: any) => before.instances.some((b: any) => b.container === i.container)).length, 0, "every task was replaced");
    const tasks = await connectMany(client, WEB_VIP, 80, 10);
    assert.ok(tasks.every((x) => tasksOf("/hm/web").has(x)), `every connection reached a new task: ${tasks}`);
    assert.equal(new Set(tasks).size, 2);
    // Same agents and host ports: the proxy's config is the same, so it is kept; the output says so.
    const [proxy] = after.vips;
    const seen = JSON.parse((await run("docker", ["inspect", proxy.container])).stdout)[0];
    assert.deepEqual([proxy.containerId, proxy.state], [before.vips[0].containerId, "running"]);
    assert.deepEqual([seen.Id, seen.State.Running, seen.NetworkSettings.Networks[`${t.name}-host`].IPAddress], [proxy.containerId, true, proxy.ip]);
  });

  it("fails the preview for an IP VIP outside the host network's task half, naming the label, and creates nothing", async function () {
    const outside = { ...br, id: "/hm/out", container: { ...br.container, portMappings: [{ containerPort: 80, hostPort: 0, labels: { VIP_0: "10.1.2.3:80" } }] } };
    t.setConfig(config([web({ VERSION: "2" }), br, outside]));
    try {
      await assert.rejects(t.stack.preview(), (err: Error) => {
        assert.match(err.message, /app\.container\.portMappings\[0\]\.labels\.VIP_0.*VIP "10\.1\.2\.3:80": on the local cluster a host or bridge app's IP VIP is an address of the host network's task half 172\.16\.9\.128\/25 \(cluster\.hostSubnet 172\.16\.9\.0\/24\), which the VIP's proxy takes; 10\.1\.2\.3 is outside 172\.16\.9\.0\/24/);
        return true;
      });
      const left = await run("docker", ["ps", "-a", "--filter", "label=io.dcos-vnet.app=/hm/out", "-q"]);
      assert.equal(left.stdout.trim(), "");
    } finally {
      t.setConfig(config([web({ VERSION: "2" }), br]));
    }
  });

  it("removes the proxies with the apps", async function () {
    const proxies = [...app("/hm/web").vips, ...app("/hm/br").vips].map((v: any) => v.container);
    assert.equal(proxies.length, 3);
    await removeContainers(client);
    await t.stack.destroy();
    const left = (await ownedObjects(t.name)).containers.map((n) => n.replace(/^\//, ""));
    assert.deepEqual(left.filter((n) => proxies.includes(n)), []);
    assert.deepEqual(left, []);
  });
});
