// IP-per-container with real packets: three instances of a web app all listen on the same port,
// each at its own address; a client on the same virtual network reaches every one by IP and by
// its DC/OS DNS name; a client on another virtual network reaches none of them. A Docker app and
// a Mesos app share the fabric across agents, from the Docker and Mesos halves of their blocks.
import { strict as assert } from "assert";
import { createTestStack, TestStack } from "../support/pulumi";
import { requireDocker } from "../support/docker";
import { dockerExec, httpGet, inCidr, removeContainers, resolve, startClient } from "../support/net";

const suffix = Math.random().toString(36).slice(2, 6);
const front = `front-${suffix}`;
const back = `back-${suffix}`;
/** Each instance serves its own task id on port 8080. */
const serve = "mkdir -p /www && echo \"task=$MESOS_TASK_ID\" > /www/index.html && exec httpd -f -p 8080 -h /www";

describe("IP-per-container on the local cluster (real packets)", function () {
  let t: TestStack;
  let outputs: any;
  const clientSame = `client-same-${suffix}`;
  const clientOther = `client-other-${suffix}`;

  before(async function () {
    await requireDocker();
    t = await createTestStack("ippc", {
      cluster: { agents: ["agent-1", "agent-2", "agent-3"] },
      networks: [
        { name: front, subnet: "9.240.0.0/16", prefix: 24 },
        { name: back, subnet: "9.241.0.0/16", prefix: 24 },
      ],
      apps: [
        {
          app: {
            id: "/shop/web", cmd: serve, instances: 3, cpus: 0.1, mem: 32,
            container: { type: "DOCKER", docker: { image: "busybox" }, portMappings: [{ containerPort: 8080, name: "http", labels: { VIP_0: "/shop/web:8080" } }] },
            networks: [{ mode: "container", name: front }],
          },
        },
        {
          // Mesos containerizer, no container at all (a UCR command app): address from the Mesos half.
          app: {
            id: "/shop/stock", cmd: serve, instances: 1, cpus: 0.1, mem: 32,
            networks: [{ mode: "container", name: front }],
            constraints: [["hostname", "CLUSTER", "agent-2"]],
          },
        },
      ],
    });
    outputs = (await t.stack.up()).outputs;
    await startClient(clientSame, front, "9.240.200.10");
    await startClient(clientOther, back, "9.241.200.10");
  });

  after(async function () {
    await removeContainers(clientSame, clientOther);
    if (t) await t.dispose();
  });

  const web = () => outputs.marathonApps.value["/shop/web"];
  const stock = () => outputs.marathonApps.value["/shop/stock"];
  const blocks = () => outputs.virtualNetworks.value[front].agentSubnets;

  it("gives each of three instances its own address, in its agent's Docker half, spread over the agents", function () {
    const instances = web().instances;
    assert.equal(instances.length, 3);
    assert.equal(new Set(instances.map((i: any) => i.ip)).size, 3);
    assert.deepEqual(instances.map((i: any) => i.agent).sort(), ["agent-1", "agent-2", "agent-3"]);
    for (const i of instances) assert.ok(inCidr(i.ip, blocks()[i.agent].docker), `${i.ip} in ${blocks()[i.agent].docker}`);
  });

  it("lets a client on the same network reach every instance on the same port by its own IP", async function () {
    const answers = new Set<string>();
    for (const i of web().instances) {
      const reply = await httpGet(clientSame, i.ip, 8080);
      assert.match(reply, /200 OK/, `no answer from ${i.ip}: ${reply}`);
      answers.add(reply.replace(/[\s\S]*task=/, "").trim());
    }
    assert.equal(answers.size, 3, "three different tasks answered");
  });

  it("resolves the app's DC/OS names to all instances, and reaches the app through them", async function () {
    const ips = web().instances.map((i: any) => i.ip).sort();
    assert.deepEqual(await resolve(clientSame, "web.shop.marathon.mesos"), ips);
    assert.deepEqual(await resolve(clientSame, "web-shop.marathon.containerip.dcos.thisdcos.directory"), ips);
    // The VIP name is its proxy's (one address, no instance's), forwarding to the instances.
    const vip = await resolve(clientSame, "shopweb.marathon.l4lb.thisdcos.directory");
    assert.equal(vip.length, 1, vip.join(", "));
    assert.ok(!ips.includes(vip[0]), `${vip[0]} is an instance's`);
    assert.match(await httpGet(clientSame, "shopweb.marathon.l4lb.thisdcos.directory", 8080), /200 OK[\s\S]*task=shop\.web\.instance-/);
    assert.match(await httpGet(clientSame, "web.shop.marathon.mesos", 8080), /200 OK[\s\S]*task=shop\.web\.instance-/);
  });

  it("isolates networks: a client on another virtual network reaches no instance (bounded timeout)", async function () {
    for (const i of web().instances) {
      const reply = await httpGet(clientOther, i.ip, 8080);
      assert.doesNotMatch(reply, /HTTP/, `${i.ip} answered across networks`);
    }
    assert.deepEqual(await resolve(clientOther, "web.shop.marathon.mesos"), []);
  });

  it("puts a Mesos app in the Mesos half of its agent's block, and it exchanges packets with the Docker app across agents", async function () {
    const s = stock().instances[0];
    assert.equal(s.agent, "agent-2");
    assert.equal(s.half, "mesos");
    assert.ok(inCidr(s.ip, blocks()["agent-2"].mesos), `${s.ip} in ${blocks()["agent-2"].mesos}`);
    const w = web().instances.find((i: any) => i.agent !== "agent-2");
    assert.ok(w);
    assert.match(await httpGet(w.container, s.ip, 8080), /200 OK[\s\S]*task=shop\.stock/);
    assert.match(await httpGet(s.container, w.ip, 8080), /200 OK[\s\S]*task=shop\.web/);
    const ping = await dockerExec(w.container, `ping -c 1 -W 2 ${s.ip}`);
    assert.equal(ping.code, 0, ping.out);
  });
});
