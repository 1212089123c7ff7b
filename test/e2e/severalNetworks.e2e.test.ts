// A UCR app on two virtual networks, with real packets: each instance has one address per network,
// from its agent's Mesos half of that network's block; a client on each network reaches every
// instance at its address there and finds it by its DC/OS name; a VIP whose port mapping names one
// network (`networkNames`) is served on that network and not on the other; and the networks stay isolated from
// each other (a client on one cannot reach the instances' addresses on the other).
import { strict as assert } from "assert";
import { createTestStack, TestStack } from "../support/pulumi";
import { requireDocker } from "../support/docker";
import { httpGet, inCidr, removeContainers, resolve, startClient } from "../support/net";

const suffix = Math.random().toString(36).slice(2, 6);
const one = `dcos-1-${suffix}`;
const two = `dcos-2-${suffix}`;
const serve = "mkdir -p /www && echo \"task=$MESOS_TASK_ID\" > /www/index.html && exec httpd -f -p 8080 -h /www";

describe("a UCR app on several container networks (real packets)", function () {
  let t: TestStack;
  let outputs: any;
  const clientOne = `client-one-${suffix}`;
  const clientTwo = `client-two-${suffix}`;

  before(async function () {
    await requireDocker();
    t = await createTestStack("nets", {
      cluster: { agents: ["agent-1", "agent-2"] },
      networks: [
        { name: one, subnet: "9.244.0.0/16", prefix: 24 },
        { name: two, subnet: "9.245.0.0/16", prefix: 24 },
      ],
      apps: [
        {
          app: {
            id: "/multi/web", cmd: serve, instances: 2, cpus: 0.1, mem: 32,
            container: { type: "MESOS", portMappings: [{ containerPort: 8080, name: "http", networkNames: [one], labels: { VIP_0: "/multi/web:8080" } }] },
            networks: [{ mode: "container", name: one }, { mode: "container", name: two }],
            constraints: [["hostname", "UNIQUE"]],
          },
        },
      ],
    });
    outputs = (await t.stack.up()).outputs;
    await startClient(clientOne, one, "9.244.200.10");
    await startClient(clientTwo, two, "9.245.200.10");
  });

  after(async function () {
    await removeContainers(clientOne, clientTwo);
    if (t) await t.dispose();
  });

  const web = () => outputs.marathonApps.value["/multi/web"];
  const blocks = (net: string) => outputs.virtualNetworks.value[net].agentSubnets;

  it("gives each instance one address per network, inside its agent's Mesos half of that network", function () {
    const instances = web().instances;
    assert.deepEqual(instances.map((i: any) => i.agent).sort(), ["agent-1", "agent-2"]);
    for (const i of instances) {
      assert.deepEqual(Object.keys(i.ips).sort(), [one, two].sort());
      assert.equal(i.ip, i.ips[one], "ip is the address on the first network");
      for (const net of [one, two]) {
        const half = blocks(net)[i.agent].mesos;
        assert.ok(inCidr(i.ips[net], half), `${i.container} on ${net}: ${i.ips[net]} in ${half}`);
      }
    }
  });

  it("is reached from a client on each network at its address there", async function () {
    for (const i of web().instances) {
      assert.match(await httpGet(clientOne, i.ips[one], 8080), /200 OK[\s\S]*task=multi\.web/, `${i.ips[one]} from ${one}`);
      assert.match(await httpGet(clientTwo, i.ips[two], 8080), /200 OK[\s\S]*task=multi\.web/, `${i.ips[two]} from ${two}`);
    }
  });

  it("answers to its DC/OS names on every network, each network resolving to its own addresses", async function () {
    for (const [client, net] of [[clientOne, one], [clientTwo, two]]) {
      const ips = web().instances.map((i: any) => i.ips[net]).sort();
      assert.deepEqual(await resolve(client, "web.multi.marathon.mesos"), ips, `from ${net}`);
    }
  });

  it("serves the VIP on the network its port mapping names (networkNames), and not on the other", async function () {
    const vip = "multiweb.marathon.l4lb.thisdcos.directory";
    const seen = await resolve(clientOne, vip);
    assert.equal(seen.length, 1, `one VIP address on ${one}: ${seen}`);
    assert.match(await httpGet(clientOne, vip, 8080), /200 OK[\s\S]*task=multi\.web/);
    assert.deepEqual(await resolve(clientTwo, vip), []);
  });

  it("keeps the networks isolated: a client on one cannot reach the instances' addresses on the other (bounded timeout)", async function () {
    for (const i of web().instances) {
      assert.doesNotMatch(await httpGet(clientOne, i.ips[two], 8080), /HTTP/, `${i.ips[two]} answered a client of ${one}`);
      assert.doesNotMatch(await httpGet(clientTwo, i.ips[one], 8080), /HTTP/, `${i.ips[one]} answered a client of ${two}`);
    }
  });

  it("heals an instance removed behind its back, on the same address on both networks", async function () {
    const victim = web().instances[0];
    await removeContainers(victim.container);
    await t.stack.refresh();
    outputs = (await t.stack.up()).outputs;
    const back = web().instances.find((i: any) => i.index === victim.index);
    assert.ok(back, "instance is back");
    assert.deepEqual(back.ips, victim.ips);
    assert.notEqual(back.containerId, victim.containerId);
    assert.match(await httpGet(clientTwo, back.ips[two], 8080), /200 OK/);
  });
});
