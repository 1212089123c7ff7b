// Host-mode pods on the local cluster, with real packets: a pod on the host network with 2
// instances, which its fixed sidecar hostPort puts on 2 agents; each instance's containers are in
// their agent's network namespace, so main answers at agent-ip:$ENDPOINT_HTTP (a port assigned
// from the agent's range) and the sidecar, which fetches main on localhost, at agent-ip:7200. A
// host-mode app holds a fixed port on agent-1 beside it; a pod asking for that port there fails the
// preview naming the app, and nothing is created. Then: heal (a sidecar removed by hand), an agent
// removed by hand, scale down (the instance's containers go), and destroy (nothing of the pod left).
// Beside it, a pod on a virtual network whose endpoint has `hostPort: 0` is reached at
// agent-ip:<assigned port>, forwarded by the agent to the pod holder's address on the host network,
// and rolls to a new instance on the same host port with the old forwarding rules gone; a holder
// the state does not know (the state restored from before a scale-up) goes with its rules; its
// hostPort removed, it is replaced by an instance on the virtual network alone (no rules left).
import { strict as assert } from "assert";
import { createTestStack, opsRecorder, resourcesOfType, TestStack } from "../support/pulumi";
import { requireAgentImage, requireDocker, run } from "../support/docker";
import { dockerExec, getUntil, httpGet, inCidr, removeContainers, startClient } from "../support/net";
import { ROOT } from "../support/paths";
import { stackIn } from "../support/project";

const suffix = Math.random().toString(36).slice(2, 6);

/** main: httpd on $ENDPOINT_HTTP serving its env; sidecar: fetches localhost:$ENDPOINT_HTTP every second, served on $ENDPOINT_SIDE. */
function cart(instances: number) {
  return {
    id: "/hp/cart",
    scaling: { kind: "fixed", instances },
    networks: [{ mode: "host" }],
    containers: [
      {
        name: "main",
        resources: { cpus: 0.1, mem: 32 },
        exec: { command: { shell: 'mkdir -p /www && echo "main task=$MESOS_TASK_ID host=$HOST http=$ENDPOINT_HTTP side=$ENDPOINT_SIDE" > /www/index.html && exec httpd -f -p $ENDPOINT_HTTP -h /www' } },
        endpoints: [{ name: "http", hostPort: 0 }],
      },
      {
        name: "sidecar",
        resources: { cpus: 0.1, mem: 32 },
        exec: {
          command: {
            shell:
              "mkdir -p /www && (while :; do printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 2 localhost $ENDPOINT_HTTP > /www/next.txt && mv /www/next.txt /www/seen.txt; sleep 1; done) & exec httpd -f -p $ENDPOINT_SIDE -h /www",
          },
        },
        endpoints: [{ name: "side", hostPort: 7200 }],
      },
    ],
  };
}

/** A host-mode app holding port 7100 on agent-1. */
const FIXED = {
  id: "/hp/fixed", instances: 1, cpus: 0.1, mem: 32, networks: [{ mode: "host" }], requirePorts: true, portDefinitions: [{ port: 7100 }],
  cmd: 'mkdir -p /www && echo fixed > /www/index.html && exec httpd -f -p $PORT0 -h /www', constraints: [["hostname", "CLUSTER", "agent-1"]],
};

/** A pod on the virtual network whose endpoint has `hostPort: 0`: published at agent-ip:<assigned port>. */
let pubVersion = "v1";
const overlay = `hp-${suffix}`;
let pubHostPort: { hostPort?: number } = { hostPort: 0 };
let pubInstances = 1;
const pub = () => ({
  id: "/hp/pub", scaling: { kind: "fixed", instances: pubInstances }, networks: [{ mode: "container", name: overlay }],
  containers: [{
    name: "web", resources: { cpus: 0.1, mem: 32 }, endpoints: [{ name: "web", containerPort: 80, ...pubHostPort }],
    exec: { command: { shell: `mkdir -p /www && echo "pub ${pubVersion} task=$MESOS_TASK_ID" > /www/index.html && exec httpd -f -p 80 -h /www` } },
  }],
});

function config(instances: number, extraPods: unknown[] = []) {
  return {
    cluster: { agents: ["agent-1", "agent-2"] },
    networks: [{ name: overlay, subnet: "9.248.0.0/16", prefix: 24 }],
    apps: [{ app: FIXED }],
    pods: [{ pod: cart(instances) }, { pod: pub() }, ...extraPods.map((pod) => ({ pod }))],
  };
}

describe("host-mode pods on the local cluster (real packets)", function () {
  let t: TestStack;
  let outputs: any;
  const client = `client-hostpod-${suffix}`;
  const pod = () => outputs.marathonPods.value["/hp/cart"];
  const agentIp = (agent: string) => outputs.hostNetwork.value.agents[agent].ip;

  before(async function () {
    await requireDocker();
    await requireAgentImage();
    t = await createTestStack("hostpods", config(2));
    outputs = (await t.stack.up()).outputs;
    await startClient(client, `${t.name}-host`, "172.16.0.254");
  });

  after(async function () {
    await removeContainers(client);
    if (t) await t.dispose();
  });

  it("runs 2 instances on 2 agents, each reached at its agent's address on its endpoints' host ports", async function () {
    const instances = pod().instances;
    assert.equal(instances.length, 2);
    assert.deepEqual(instances.map((i: any) => i.agent).sort(), ["agent-1", "agent-2"]);
    for (const i of instances) {
      assert.equal(i.ip, agentIp(i.agent));
      assert.ok(inCidr(i.ip, "172.16.0.0/25"), `${i.ip} is an agent address`);
      const [http, side] = i.ports;
      assert.equal(side, 7200, "the fixed hostPort is honoured");
      // agent-1 also runs /hp/fixed on 7100, which is not in the assigned range's way: assigned ports start at 1025.
      assert.ok(http >= 1025 && http <= 32000, `assigned host port ${http}`);
      const reply = await getUntil(client, i.ip, http, "/", /main task=/);
      assert.match(reply, new RegExp(`200 OK[\\s\\S]*main task=hp\\.cart\\.instance-${i.container.replace(/\./g, "\\.")}\\.main host=${i.ip.replace(/\./g, "\\.")} http=${http} side=7200`), reply);
    }
  });

  it("runs the pod's containers in the agent's network namespace: the sidecar reaches main on localhost", async function () {
    for (const i of pod().instances) {
      const seen = await getUntil(client, i.ip, 7200, "/seen.txt", /main task=/);
      assert.match(seen, /200 OK[\s\S]*HTTP\/1\.[01] 200 OK[\s\S]*main task=/, `the sidecar's copy of main's page:\n${seen}`);
      const addr = await dockerExec(`${i.container}.main`, "ip -o -4 addr show");
      assert.match(addr.out, new RegExp(`inet ${i.ip.replace(/\./g, "\\.")}/24`), addr.out);
    }
  });

  it("previews the unchanged stack with no changes from code and state alone (no engine answering)", async function () {
    const elsewhere = await stackIn(ROOT, t.name, t.backendDir, { DOCKER_HOST: "unix:///nonexistent/dcos-vnet-no-engine.sock" });
    const { same, ...changes } = (await elsewhere.preview()).changeSummary;
    assert.deepEqual(changes, {});
    assert.ok((same ?? 0) >= 7, `resources unchanged: ${same}`);
  });

  it("keeps the host-mode app's fixed port on agent-1 beside the pod", async function () {
    assert.match(await httpGet(client, agentIp("agent-1"), 7100), /200 OK[\s\S]*fixed/);
  });

  it("publishes a container-network pod's endpoint at agent-ip:hostPort; the pod keeps its own address on its network", async function () {
    const [i] = outputs.marathonPods.value["/hp/pub"].instances;
    assert.equal(outputs.marathonPods.value["/hp/pub"].network, overlay);
    assert.ok(inCidr(i.ip, outputs.virtualNetworks.value[overlay].agentSubnets[i.agent].mesos), `${i.ip} is in ${i.agent}'s Mesos half`);
    const [hostPort] = i.ports;
    assert.ok(hostPort >= 1025 && hostPort !== 7100 && hostPort !== 7200, `assigned host port ${hostPort}, none the agent's other tasks hold`);
    const reply = await httpGet(client, agentIp(i.agent), hostPort);
    assert.match(reply, new RegExp(`200 OK[\\s\\S]*pub v1 task=hp\\.pub\\.instance-${i.container.replace(/\./g, "\\.")}\\.web`), reply);
    const addr = await dockerExec(`${i.container}.web`, "ip -o -4 addr show");
    assert.match(addr.out, new RegExp(`inet ${i.ip.replace(/\./g, "\\.")}/`), addr.out);
  });

  it("rolls the published pod: the new instance on the same host port, the old one's forwarding rules gone", async function () {
    const [before] = outputs.marathonPods.value["/hp/pub"].instances;
    pubVersion = "v2";
    t.setConfig(config(2));
    outputs = (await t.stack.up()).outputs;
    const [after] = outputs.marathonPods.value["/hp/pub"].instances;
    assert.notEqual(after.container, before.container);
    assert.deepEqual(after.ports, before.ports);
    assert.match(await httpGet(client, agentIp(after.agent), after.ports[0]), /200 OK[\s\S]*pub v2/);
    const rules = (await dockerExec(`${t.name}.agent.${after.agent}`, "iptables -w -t nat -S")).out;
    assert.doesNotMatch(rules, new RegExp(`"${before.container.replace(/\./g, "\\.")}"`), `rules of ${before.container} left behind`);
    assert.match(rules, new RegExp(`--comment "${after.container.replace(/\./g, "\\.")}" -j DNAT --to-destination ${after.taskIp.replace(/\./g, "\\.")}:80`));
  });

  it("removes a published pod's holder the state does not know (state restored from before a scale-up), and its forwarding rules", async function () {
    const saved = await t.stack.exportStack();
    pubInstances = 2;
    t.setConfig(config(2));
    outputs = (await t.stack.up()).outputs;
    const [kept, extra] = outputs.marathonPods.value["/hp/pub"].instances;
    assert.match(await httpGet(client, agentIp(extra.agent), extra.ports[0]), new RegExp(`200 OK[\\s\\S]*pub ${pubVersion}`), "the second instance is published");
    // The state goes back to one instance; the engine still runs two.
    await t.stack.importStack(saved);
    pubInstances = 1;
    t.setConfig(config(2));
    await t.stack.refresh();
    const [seen] = (await resourcesOfType(t.stack, "MarathonPod")).filter((r: any) => r.outputs.podId === "/hp/pub");
    assert.deepEqual(seen.outputs.strays, [extra.container], "refresh lists the unknown holder");
    outputs = (await t.stack.up()).outputs;
    assert.deepEqual(outputs.marathonPods.value["/hp/pub"].instances.map((i: any) => i.containerId), [kept.containerId]);
    const left = await run("docker", ["ps", "-a", "--filter", "label=io.dcos-vnet.app=/hp/pub", "--format", "{{.Names}}"]);
    assert.deepEqual(left.stdout.trim().split("\n").sort(), [kept.container, `${kept.container}.web`]);
    const rules = (await dockerExec(`${t.name}.agent.${extra.agent}`, "iptables -w -t nat -S")).out;
    assert.doesNotMatch(rules, new RegExp(`"${extra.container.replace(/\./g, "\\.")}"`), `rules of ${extra.container} left behind`);
    assert.doesNotMatch(await httpGet(client, agentIp(extra.agent), extra.ports[0]), /200 OK/, "nothing answers on the stray's host port");
    assert.match(await httpGet(client, agentIp(kept.agent), kept.ports[0]), new RegExp(`200 OK[\\s\\S]*pub ${pubVersion}`), "the kept instance still serves");
  });

  it("fails the preview when a pod asks for a port an app holds on the only agent it may use, naming the app; nothing is created", async function () {
    const clash = {
      id: "/hp/clash", scaling: { kind: "fixed", instances: 1 }, networks: [{ mode: "host" }],
      scheduling: { placement: { constraints: [{ fieldName: "hostname", operator: "CLUSTER", value: "agent-1" }] } },
      containers: [{ name: "c", resources: { cpus: 0.1, mem: 16 }, exec: { command: { shell: "exec sleep 3600" } }, endpoints: [{ name: "web", hostPort: 7100 }] }],
    };
    t.setConfig(config(2, [clash]));
    try {
      await assert.rejects(t.stack.preview(), (err: Error) => {
        assert.match(err.message, /pod\.containers\[0\]\.endpoints\[0\]\.hostPort.*no agent can hold instance 1 of 1 of \/hp\/clash: it needs host ports \[7100\] on one agent \(agent-1: port 7100 is held by \/hp\/fixed\)/);
        return true;
      });
      const left = await run("docker", ["ps", "-a", "--filter", "label=io.dcos-vnet.app=/hp/clash", "-q"]);
      assert.equal(left.stdout.trim(), "");
    } finally {
      t.setConfig(config(2));
    }
  });

  it("heals an instance whose sidecar was removed by hand: refresh sees it down, up brings it back whole on its agent and ports", async function () {
    const victim = pod().instances[1];
    await run("docker", ["rm", "-f", `${victim.container}.sidecar`]);
    await t.stack.refresh();
    outputs = (await t.stack.up()).outputs;
    const back = pod().instances[1];
    assert.equal(back.state, "running");
    assert.equal(back.agent, victim.agent);
    assert.deepEqual(back.ports, victim.ports);
    assert.match(await getUntil(client, back.ip, 7200, "/seen.txt", /main task=/), /main task=/);
    const members = await run("docker", ["ps", "--filter", `label=io.dcos-vnet.pod-member=${back.container}`, "--format", "{{.Names}}"]);
    assert.deepEqual(members.stdout.trim().split("\n").sort(), [`${back.container}.main`, `${back.container}.sidecar`]);
  });

  it("brings back an agent removed by hand, and the pod instance that was in its namespace, on the same ports (refresh, then up)", async function () {
    const before = pod().instances.find((i: any) => i.agent === "agent-2");
    await run("docker", ["rm", "-f", `${t.name}.agent.agent-2`]);
    await t.stack.refresh();
    outputs = (await t.stack.up()).outputs;
    const back = pod().instances.find((i: any) => i.agent === "agent-2");
    assert.notEqual(back.container, before.container, "the instance was replaced");
    assert.deepEqual(back.ports, before.ports);
    assert.match(await getUntil(client, back.ip, 7200, "/seen.txt", /main task=/), /main task=/);
    const old = await run("docker", ["ps", "-a", "--filter", `label=io.dcos-vnet.pod-member=${before.container}`, "-q"]);
    assert.equal(old.stdout.trim(), "", "the old instance's containers are gone");
  });

  it("scales 2 → 1: the remaining instance keeps its containers, the other's holder and containers go", async function () {
    const [kept, gone] = pod().instances;
    t.setConfig(config(1));
    outputs = (await t.stack.up()).outputs;
    assert.equal(pod().instances.length, 1);
    assert.equal(pod().instances[0].containerId, kept.containerId);
    const left = await run("docker", ["ps", "-a", "--filter", "label=io.dcos-vnet.app=/hp/cart", "--format", "{{.Names}}"]);
    assert.deepEqual(left.stdout.trim().split("\n").sort(), [kept.container, `${kept.container}.main`, `${kept.container}.sidecar`]);
    assert.doesNotMatch(await httpGet(client, gone.ip, 7200), /200 OK/, "nothing answers where the removed instance was");
  });

  it("replaces the published pod when its hostPort is removed: the new instance on the network alone, the old one's forwarding rules gone", async function () {
    const [before] = outputs.marathonPods.value["/hp/pub"].instances;
    pubHostPort = {};
    t.setConfig(config(1));
    const { ops, onEvent } = opsRecorder();
    await t.stack.preview({ onEvent });
    assert.equal(ops["MarathonPod::pod.hp.pub"], "replace", JSON.stringify(ops));
    outputs = (await t.stack.up()).outputs;
    const [after] = outputs.marathonPods.value["/hp/pub"].instances;
    assert.equal(after.taskIp, undefined, "not published");
    const rules = (await dockerExec(`${t.name}.agent.${before.agent}`, "iptables -w -t nat -S")).out;
    assert.doesNotMatch(rules, new RegExp(`"${before.container.replace(/\./g, "\\.")}"`), `rules of ${before.container} left behind`);
    const left = await run("docker", ["ps", "-a", "--filter", "label=io.dcos-vnet.app=/hp/pub", "--format", "{{.Names}}"]);
    assert.deepEqual(left.stdout.trim().split("\n").sort(), [after.container, `${after.container}.web`]);
  });

  it("destroy removes the pod's holders and containers", async function () {
    await removeContainers(client); // the test's own container on the host network
    await t.stack.destroy();
    const left = await run("docker", ["ps", "-a", "--filter", "label=io.dcos-vnet.app=/hp/cart", "-q"]);
    assert.equal(left.stdout.trim(), "");
  });
});
