// VIP labels on pod endpoints on the local cluster, with real packets through the real Pulumi CLI:
// a pod on a virtual network with 2 instances whose `main` container listens on 8080 and declares
// `/pv/cart:80` on its endpoint, and a host-mode pod with 2 instances on 2 agents declaring
// `/pv/hcart:81` on an endpoint with an assigned host port. Clients connect to the l4lb names on the
// VIP ports (from the pod's network, and from the cluster's host network); connections are balanced
// over both instances of each pod. A third pod, on the virtual network with an endpoint that has
// both `hostPort: 7500` and `/pv/pub:82` (valid on DC/OS), is served on its overlay as the first:
// the VIP balances over both instances' containerIP:containerPort, and each instance also answers
// at its agent-ip:7500. A proxy removed by hand is drift (refresh, then up brings it
// back), a bad VIP label fails the preview naming the endpoint's label with nothing created, and
// destroy removes the proxies.
import { strict as assert } from "assert";
import { createTestStack, resourcesOfType, TestStack } from "../support/pulumi";
import { ownedObjects, requireAgentImage, requireDocker, run } from "../support/docker";
import { dockerExec, inCidr, removeContainers, resolve, startClient } from "../support/net";
import { connectMany, taskOf } from "../support/vipConnect";

const suffix = Math.random().toString(36).slice(2, 6);
const net = `pv-${suffix}`;
const HOST_SUBNET = "172.16.14.0/24";
const CART_VIP = "pvcart.marathon.l4lb.thisdcos.directory";
const HCART_VIP = "pvhcart.marathon.l4lb.thisdcos.directory";
const PUB_VIP = "pvpub.marathon.l4lb.thisdcos.directory";
const serveOn = (port: string) => `mkdir -p /www && echo "task=$MESOS_TASK_ID " > /www/index.html && exec httpd -f -p ${port} -h /www`;
const box = (name: string, shell: string, endpoints: unknown[]) => ({ name, resources: { cpus: 0.1, mem: 32 }, exec: { command: { shell } }, endpoints });

/** On the virtual network: main serves 8080 (the VIP's endpoint), a sidecar beside it. */
const cart = (vip = "/pv/cart:80") => ({
  id: "/pv/cart",
  scaling: { kind: "fixed", instances: 2 },
  networks: [{ mode: "container", name: net }],
  containers: [
    box("side", "exec sleep 3600", []),
    box("main", serveOn("8080"), [{ name: "http", containerPort: 8080, labels: { VIP_0: vip } }]),
  ],
});
/** On the agents: main serves its assigned host port $ENDPOINT_HTTP, one instance per agent. */
const hcart = {
  id: "/pv/hcart",
  scaling: { kind: "fixed", instances: 2 },
  networks: [{ mode: "host" }],
  scheduling: { placement: { constraints: [{ fieldName: "hostname", operator: "UNIQUE" }] } },
  containers: [box("main", serveOn("$ENDPOINT_HTTP"), [{ name: "http", hostPort: 0, labels: { VIP_0: "/pv/hcart:81" } }])],
};
/** On the virtual network, main's endpoint also published at agent-ip:7500: the fixed port puts one instance on each agent. */
const pub = {
  id: "/pv/pub",
  scaling: { kind: "fixed", instances: 2 },
  networks: [{ mode: "container", name: net }],
  containers: [box("main", serveOn("8080"), [{ name: "http", containerPort: 8080, hostPort: 7500, labels: { VIP_0: "/pv/pub:82" } }])],
};
const config = (cartPod: unknown = cart()) => ({
  cluster: { agents: ["agent-1", "agent-2"], hostSubnet: HOST_SUBNET },
  networks: [{ name: net, subnet: "9.236.0.0/16", prefix: 24 }],
  pods: [{ pod: cartPod }, { pod: hcart }, { pod: pub }],
});

describe("VIPs on pod endpoints on the local cluster (real packets, real L4 proxy)", function () {
  let t: TestStack;
  let outputs: any;
  const client = `podvip-client-${suffix}`;
  const hostClient = `podvip-hclient-${suffix}`;
  const pod = (id: string) => outputs.marathonPods.value[id];
  /** The `main` container's MESOS_TASK_ID in each instance of the pod. */
  const mainTasks = (id: string) => new Set(pod(id).instances.map((i: any) => `${taskOf(id, i.container)}.main`));
  const podState = async (id: string) => (await resourcesOfType(t.stack, "MarathonPod")).find((r) => r.outputs.podId === id).outputs;

  before(async function () {
    await requireDocker();
    await requireAgentImage();
    t = await createTestStack("podvip", config());
    outputs = (await t.stack.up()).outputs;
    await startClient(client, net, "9.236.200.10");
    await startClient(hostClient, `${t.name}-host`, "172.16.14.254");
  });

  after(async function () {
    await removeContainers(client, hostClient);
    if (t) await t.dispose();
  });

  it("serves a container-network pod's endpoint VIP on the VIP port: 20 connections spread over both instances' containerPort", async function () {
    assert.equal(pod("/pv/cart").instances.length, 2);
    const [proxy, ...more] = (await podState("/pv/cart")).vips;
    assert.deepEqual(more, []);
    assert.deepEqual([proxy.address, proxy.ports, proxy.state], [CART_VIP, [80], "running"]);
    assert.deepEqual(await resolve(client, CART_VIP), [proxy.ip], "the VIP name is the proxy's");
    const tasks = await connectMany(client, CART_VIP, 80, 20);
    assert.ok(tasks.every(Boolean), `every connection answered: ${tasks}`);
    assert.deepEqual([...new Set(tasks)].sort(), [...mainTasks("/pv/cart")].sort(), "answered by both instances' main containers");
  });

  it("serves a host-mode pod's endpoint VIP from the host network at agent-ip:hostPort of both instances", async function () {
    const instances = pod("/pv/hcart").instances;
    assert.deepEqual(instances.map((i: any) => i.agent).sort(), ["agent-1", "agent-2"]);
    const [proxy] = (await podState("/pv/hcart")).vips;
    assert.deepEqual([proxy.address, proxy.ports, proxy.state], [HCART_VIP, [81], "running"]);
    assert.ok(inCidr(proxy.ip, "172.16.14.128/25"), `the proxy's address ${proxy.ip} is in the host network's task half`);
    const tasks = await connectMany(hostClient, HCART_VIP, 81, 20);
    assert.ok(tasks.every(Boolean), `every connection answered: ${tasks}`);
    assert.deepEqual([...new Set(tasks)].sort(), [...mainTasks("/pv/hcart")].sort(), "answered by both instances");
  });

  it("serves the VIP of a container-network pod whose endpoint also has a hostPort on its overlay, over both instances' containerIP:containerPort; each answers at agent-ip:hostPort too", async function () {
    const instances = pod("/pv/pub").instances;
    assert.deepEqual(instances.map((i: any) => [i.agent, i.ports]).sort(), [["agent-1", [7500]], ["agent-2", [7500]]]);
    const vips = (await podState("/pv/pub")).vips ?? [];
    assert.equal(vips.length, 1, `one VIP proxy in the pod's vips output: ${JSON.stringify(vips)}`);
    const [proxy] = vips;
    assert.deepEqual([proxy.address, proxy.ports, proxy.state], [PUB_VIP, [82], "running"]);
    assert.ok(inCidr(proxy.ip, "9.236.0.0/16"), `the proxy's address ${proxy.ip} is on the pod's virtual network`);
    assert.deepEqual(await resolve(client, PUB_VIP), [proxy.ip], "the VIP name is the proxy's, on the pod's network");
    // What the proxy forwards to: each instance's own address on the overlay and the endpoint's containerPort.
    const state = await dockerExec(proxy.container, "echo 'show servers state' | busybox nc 127.0.0.1 9999");
    const up = state.out.split("\n").map((l) => l.trim().split(/\s+/)).filter((f) => f[1] === "app-82" && f[5] === "2").map((f) => `${f[4]}:${f[18]}`);
    assert.deepEqual(up.sort(), instances.map((i: any) => `${i.ip}:8080`).sort(), state.out);
    const tasks = await connectMany(client, PUB_VIP, 82, 20);
    assert.ok(tasks.every(Boolean), `every connection answered: ${tasks}`);
    assert.deepEqual([...new Set(tasks)].sort(), [...mainTasks("/pv/pub")].sort(), "answered by both instances' main containers");
    for (const i of instances) {
      const agentIp = outputs.hostNetwork.value.agents[i.agent].ip;
      assert.deepEqual(await connectMany(hostClient, agentIp, 7500, 2), Array(2).fill(`${taskOf("/pv/pub", i.container)}.main`), `${i.agent} at ${agentIp}:7500`);
    }
  });

  it("sees a proxy removed by hand as drift: refresh shows it missing, up brings it back serving", async function () {
    const [proxy] = (await podState("/pv/cart")).vips;
    await run("docker", ["rm", "-f", proxy.container]);
    await t.stack.refresh();
    assert.deepEqual((await podState("/pv/cart")).vips.map((v: any) => v.state), ["missing"]);
    const preview = await t.stack.preview();
    assert.equal(preview.changeSummary.update, 1, JSON.stringify(preview.changeSummary));
    outputs = (await t.stack.up()).outputs;
    assert.deepEqual((await podState("/pv/cart")).vips.map((v: any) => v.state), ["running"]);
    const tasks = await connectMany(client, CART_VIP, 80, 6);
    assert.ok(tasks.every(Boolean), `every connection answered: ${tasks}`);
  });

  it("fails the preview on a bad endpoint VIP label, naming the label; nothing is changed", async function () {
    const before = (await run("docker", ["ps", "-a", "-q", "--filter", "label=io.dcos-vnet.app=/pv/cart"])).stdout.trim().split("\n").sort();
    t.setConfig(config(cart("/pv/cart:eighty")));
    try {
      await assert.rejects(t.stack.preview(), (err: Error) => {
        assert.match(err.message, /pod\.containers\[1\]\.endpoints\[0\]\.labels\.VIP_0.*VIP "\/pv\/cart:eighty" has port "eighty"; it must be an integer from 1 to 65535/);
        return true;
      });
      const after = (await run("docker", ["ps", "-a", "-q", "--filter", "label=io.dcos-vnet.app=/pv/cart"])).stdout.trim().split("\n").sort();
      assert.deepEqual(after, before);
    } finally {
      t.setConfig(config());
    }
  });

  it("destroy removes the pods' VIP proxies with them", async function () {
    const proxies = [...(await podState("/pv/cart")).vips, ...(await podState("/pv/hcart")).vips, ...((await podState("/pv/pub")).vips ?? [])].map((v: any) => v.container);
    assert.equal(proxies.length, 3);
    await removeContainers(client, hostClient); // the test's own, on networks that go too
    await t.stack.destroy();
    const left = (await ownedObjects(t.name)).containers.map((n) => n.replace(/^\//, ""));
    assert.deepEqual(left.filter((n) => proxies.includes(n)), []);
    assert.deepEqual(left, []);
  });
});
