// Marathon pods on the local cluster, with real packets: a pod's containers share one network
// namespace and one IP per network. The sidecar fetches from the main container on localhost and
// serves what it got; another app reaches it by the pod's IP, which lies in the agent's Mesos half
// of each network. Then the pod scales 1 → 2, heals an instance whose sidecar was removed by hand
// (back on the same addresses), and rolls when a container's command changes.
import { strict as assert } from "assert";
import { createTestStack, TestStack } from "../support/pulumi";
import { requireDocker, run } from "../support/docker";
import { getUntil, inCidr } from "../support/net";

const suffix = Math.random().toString(36).slice(2, 6);
const one = `pods-a-${suffix}`;
const two = `pods-b-${suffix}`;

/** main: httpd on 8080 serving its version; sidecar: fetches localhost:8080 every second into /www/seen.txt, served on 9090. */
function pod(instances: number, version: string) {
  return {
    id: "/shop/cart",
    scaling: { kind: "fixed", instances },
    networks: [{ mode: "container", name: one }, { mode: "container", name: two }],
    containers: [
      {
        name: "main",
        resources: { cpus: 0.1, mem: 32 },
        exec: { command: { shell: `mkdir -p /www && echo "main ${version} $MESOS_TASK_ID" > /www/index.html && exec httpd -f -p 8080 -h /www` } },
        endpoints: [{ name: "http", containerPort: 8080 }],
      },
      {
        name: "sidecar",
        resources: { cpus: 0.1, mem: 32 },
        exec: {
          command: {
            shell:
              "mkdir -p /www && (while :; do printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 2 localhost 8080 > /www/next.txt && mv /www/next.txt /www/seen.txt; sleep 1; done) & exec httpd -f -p 9090 -h /www",
          },
        },
        endpoints: [{ name: "side", containerPort: 9090 }],
      },
    ],
  };
}

function config(instances: number, version: string) {
  return {
    cluster: { agents: ["agent-1", "agent-2"] },
    networks: [
      { name: one, subnet: "9.246.0.0/16", prefix: 24 },
      { name: two, subnet: "9.247.0.0/16", prefix: 24 },
    ],
    apps: [{ app: { id: "/shop/client", cmd: "exec sleep 3600", instances: 1, cpus: 0.1, mem: 16, networks: [{ mode: "container", name: one }] } }],
    pods: [{ pod: pod(instances, version) }],
  };
}

describe("Marathon pods on the local cluster (real packets)", function () {
  let t: TestStack;
  let outputs: any;
  const cart = () => outputs.marathonPods.value["/shop/cart"];
  const client = () => outputs.marathonApps.value["/shop/client"].instances[0].container;
  const blocks = (net: string) => outputs.virtualNetworks.value[net].agentSubnets;

  before(async function () {
    await requireDocker();
    t = await createTestStack("pods", config(1, "v1"));
    outputs = (await t.stack.up()).outputs;
  });

  after(async function () {
    if (t) await t.dispose();
  });

  it("gives the pod instance one IP per network, in its agent's Mesos half of each", function () {
    const [i] = cart().instances;
    assert.equal(cart().instances.length, 1);
    for (const net of [one, two]) assert.ok(inCidr(i.ips[net], blocks(net)[i.agent].mesos), `${i.ips[net]} in ${blocks(net)[i.agent].mesos}`);
  });

  it("runs the containers in one network namespace: the sidecar reaches main on localhost, and another app reaches both by the pod IP", async function () {
    const [i] = cart().instances;
    const podIp = i.ips[one];
    assert.match(await getUntil(client(), podIp, 8080, "/", /main v1/), /200 OK[\s\S]*main v1 shop\.cart\.instance-/);
    // What the sidecar fetched from localhost:8080, served by the sidecar itself on 9090.
    assert.match(await getUntil(client(), podIp, 9090, "/seen.txt", /main v1/), /200 OK[\s\S]*HTTP\/1\.[01] 200 OK[\s\S]*main v1/);
    const ps = await run("docker", ["ps", "--filter", `label=io.dcos-vnet.pod-member=${i.container}`, "--format", "{{.Names}}"]);
    assert.deepEqual(ps.stdout.trim().split("\n").sort(), [`${i.container}.main`, `${i.container}.sidecar`]);
  });

  it("scales 1 → 2: the first instance keeps its container and addresses, the second gets its own", async function () {
    const first = cart().instances[0];
    t.setConfig(config(2, "v1"));
    outputs = (await t.stack.up()).outputs;
    const instances = cart().instances;
    assert.equal(instances.length, 2);
    assert.deepEqual(instances[0].ips, first.ips);
    assert.equal(instances[0].containerId, first.containerId);
    assert.notEqual(instances[1].ips[one], first.ips[one]);
    assert.match(await getUntil(client(), instances[1].ips[one], 9090, "/seen.txt", /main v1/), /main v1 shop\.cart\.instance-/);
  });

  it("heals an instance whose sidecar was removed by hand: refresh sees it down, up brings it back whole on its addresses", async function () {
    const victim = cart().instances[1];
    await run("docker", ["rm", "-f", `${victim.container}.sidecar`]);
    await t.stack.refresh();
    outputs = (await t.stack.up()).outputs;
    const back = cart().instances.find((i: any) => i.index === victim.index);
    assert.equal(back.state, "running");
    assert.deepEqual(back.ips, victim.ips);
    assert.match(await getUntil(client(), back.ips[one], 9090, "/seen.txt", /main v1/), /main v1/);
  });

  it("rolls every instance when a container's command changes", async function () {
    const before = cart().instances.map((i: any) => i.container);
    t.setConfig(config(2, "v2"));
    outputs = (await t.stack.up()).outputs;
    const after = cart().instances;
    assert.equal(after.length, 2);
    assert.ok(after.every((i: any) => !before.includes(i.container)), "all instances replaced");
    for (const i of after) assert.match(await getUntil(client(), i.ips[one], 9090, "/seen.txt", /main v2/), /main v2/);
    const leftovers = await run("docker", ["ps", "-a", "--filter", "label=io.dcos-vnet.app=/shop/cart", "--format", "{{.Names}}"]);
    assert.equal(leftovers.stdout.trim().split("\n").length, 2 * 3, `holder + 2 containers per instance:\n${leftovers.stdout}`);
  });
});
