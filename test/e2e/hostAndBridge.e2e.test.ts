// Host and bridge networking on the local cluster, with real packets: each agent has its own
// address on the cluster's host network; a host-mode app with 2 instances on 2 agents answers at
// each agent-ip:PORT0; two host-mode apps asking for the same fixed port land on different agents,
// and a third fails the preview (no agent can hold it) with nothing created; a bridge-mode app
// answers at agent-ip:hostPort, two instances on one agent on different host ports, each
// listening on its containerPort inside; `<app>.marathon.mesos` resolves to the agents' addresses.
import { strict as assert } from "assert";
import { createTestStack, TestStack } from "../support/pulumi";
import { requireAgentImage, requireDocker, run } from "../support/docker";
import { dockerExec, httpGet, inCidr, removeContainers, resolve, startClient } from "../support/net";
import { ROOT } from "../support/paths";
import { stackIn } from "../support/project";

const suffix = Math.random().toString(36).slice(2, 6);
const overlay = `hb-${suffix}`;
/** Serves a page naming the task, its HOST and its port, on the port given (host mode: its PORT0). */
const serveOn = (port: string) =>
  `mkdir -p /www && echo "task=$MESOS_TASK_ID host=$HOST port=${port}" > /www/index.html && exec httpd -f -p ${port} -h /www`;
const fixedApp = (id: string) => ({
  id, cmd: serveOn("$PORT0"), instances: 1, cpus: 0.1, mem: 32,
  networks: [{ mode: "host" }], requirePorts: true, portDefinitions: [{ port: 7000, name: "http" }],
});
const APPS = [
  {
    app: {
      id: "/hm/web", cmd: serveOn("$PORT0"), instances: 2, cpus: 0.1, mem: 32,
      networks: [{ mode: "host" }], portDefinitions: [{ port: 0, name: "http" }],
      constraints: [["hostname", "UNIQUE"]],
    },
  },
  { app: fixedApp("/hm/fixed-a") },
  { app: fixedApp("/hm/fixed-b") },
  {
    app: {
      id: "/hm/br", cmd: serveOn("80"), instances: 2, cpus: 0.1, mem: 32,
      container: { type: "DOCKER", docker: { image: "busybox" }, portMappings: [{ containerPort: 80, hostPort: 0, name: "web" }] },
      networks: [{ mode: "container/bridge" }],
      constraints: [["hostname", "CLUSTER", "agent-1"]],
    },
  },
];
const CONFIG = {
  cluster: { agents: ["agent-1", "agent-2"] },
  networks: [{ name: overlay, subnet: "9.250.0.0/16", prefix: 24 }],
  apps: APPS,
};

describe("host and bridge networking on the local cluster (real packets)", function () {
  let t: TestStack;
  let outputs: any;
  const client = `client-host-${suffix}`;

  before(async function () {
    await requireDocker();
    // The agents' image, built in the tests' engine itself (busybox + the host's iptables).
    await requireAgentImage();
    t = await createTestStack("hostbr", CONFIG);
    outputs = (await t.stack.up()).outputs;
    // A client on the host network, at the top of the task half (bridge tasks take its lowest addresses).
    await startClient(client, `${t.name}-host`, "172.16.0.254");
  });

  after(async function () {
    await removeContainers(client);
    if (t) await t.dispose();
  });

  const app = (id: string) => outputs.marathonApps.value[id];

  it("runs each agent as a container with its own address in the agents' half of the host network", async function () {
    const inspect = JSON.parse((await run("docker", ["network", "inspect", `${t.name}-host`])).stdout)[0];
    assert.equal(inspect.IPAM.Config[0].Subnet, "172.16.0.0/24");
    const agentIps: Record<string, string> = {};
    for (const c of Object.values<any>(inspect.Containers)) agentIps[c.Name] = c.IPv4Address.split("/")[0];
    assert.equal(agentIps[`${t.name}.agent.agent-1`], "172.16.0.2");
    assert.equal(agentIps[`${t.name}.agent.agent-2`], "172.16.0.3");
  });

  it("previews the unchanged stack with no changes from code and state alone (no engine answering)", async function () {
    const elsewhere = await stackIn(ROOT, t.name, t.backendDir, { DOCKER_HOST: "unix:///nonexistent/dcos-vnet-no-engine.sock" });
    const { same, ...changes } = (await elsewhere.preview()).changeSummary;
    assert.deepEqual(changes, {});
    assert.ok((same ?? 0) >= 8, `resources unchanged: ${same}`);
  });

  it("reaches a host-mode app with 2 instances on 2 agents at each agent-ip:PORT0", async function () {
    const instances = app("/hm/web").instances;
    assert.equal(instances.length, 2);
    assert.deepEqual(instances.map((i: any) => i.agent).sort(), ["agent-1", "agent-2"]);
    const tasks = new Set<string>();
    for (const i of instances) {
      assert.ok(inCidr(i.ip, "172.16.0.0/25"), `${i.ip} is an agent address`);
      const reply = await httpGet(client, i.ip, i.ports[0]);
      assert.match(reply, /200 OK/, `no answer at ${i.ip}:${i.ports[0]}: ${reply}`);
      assert.match(reply, new RegExp(`host=${i.ip.replace(/\./g, "\\.")} port=${i.ports[0]}`), "HOST and PORT0 are the agent's address and the host port");
      tasks.add(reply.replace(/[\s\S]*task=/, "").split(" ")[0]);
      // The task is in its agent's network namespace: its only address is the agent's.
      const addr = await dockerExec(i.container, "ip -o -4 addr show");
      assert.match(addr.out, new RegExp(`inet ${i.ip.replace(/\./g, "\\.")}/24`), addr.out);
    }
    assert.equal(tasks.size, 2, "two different tasks answered");
  });

  it("resolves <app>.marathon.mesos to the agents' addresses of host and bridge apps", async function () {
    const agentIps = app("/hm/web").instances.map((i: any) => i.ip).sort();
    assert.deepEqual(await resolve(client, "web.hm.marathon.mesos"), agentIps);
    assert.deepEqual(await resolve(client, "br.hm.marathon.mesos"), [app("/hm/br").instances[0].ip]);
  });

  it("brings back an agent removed by hand, and its host-mode tasks in its new namespace (refresh, then up)", async function () {
    const agent2 = `${t.name}.agent.agent-2`;
    const onAgent2 = app("/hm/web").instances.find((i: any) => i.agent === "agent-2");
    await run("docker", ["rm", "-f", agent2]);
    assert.doesNotMatch(await httpGet(client, onAgent2.ip, onAgent2.ports[0]), /200 OK/, "the agent is gone");
    await t.stack.refresh();
    outputs = (await t.stack.up()).outputs;
    const back = app("/hm/web").instances.find((i: any) => i.agent === "agent-2");
    assert.notEqual(back.container, onAgent2.container, "the task was replaced");
    assert.match(await httpGet(client, back.ip, back.ports[0]), /200 OK/, "the task answers at the agent's address again");
    const b = app("/hm/fixed-b").instances[0];
    assert.match(await httpGet(client, b.ip, 7000), /200 OK[\s\S]*task=hm\.fixed-b/);
  });

  it("brings back the ports a bridge-mode app publishes when its agent is re-created by hand", async function () {
    const agent1 = `${t.name}.agent.agent-1`;
    const before = app("/hm/br").instances;
    await run("docker", ["rm", "-f", agent1]);
    await t.stack.refresh();
    outputs = (await t.stack.up()).outputs;
    for (const i of app("/hm/br").instances) {
      assert.ok(!before.some((b: any) => b.container === i.container), `${i.container} was replaced`);
      assert.match(await httpGet(client, i.ip, i.ports[0]), /200 OK/, `no answer at ${i.ip}:${i.ports[0]}`);
    }
  });

  it("puts two host-mode apps asking for the same fixed port on different agents, both reachable on it", async function () {
    const a = app("/hm/fixed-a").instances[0];
    const b = app("/hm/fixed-b").instances[0];
    assert.notEqual(a.agent, b.agent);
    assert.deepEqual([a.ports, b.ports], [[7000], [7000]]);
    assert.match(await httpGet(client, a.ip, 7000), /200 OK[\s\S]*task=hm\.fixed-a/);
    assert.match(await httpGet(client, b.ip, 7000), /200 OK[\s\S]*task=hm\.fixed-b/);
  });

  it("reaches a bridge-mode app at agent-ip:hostPort; two instances on one agent get different host ports, both listen on containerPort", async function () {
    const instances = app("/hm/br").instances;
    assert.equal(instances.length, 2);
    assert.deepEqual(instances.map((i: any) => i.agent), ["agent-1", "agent-1"]);
    assert.notEqual(instances[0].ports[0], instances[1].ports[0]);
    const tasks = new Set<string>();
    for (const i of instances) {
      const reply = await httpGet(client, i.ip, i.ports[0]);
      assert.match(reply, /200 OK/, `no answer at ${i.ip}:${i.ports[0]}: ${reply}`);
      tasks.add(reply.replace(/[\s\S]*task=/, "").split(" ")[0]);
      const inside = await httpGet(i.container, "127.0.0.1", 80);
      assert.match(inside, /200 OK/, "the task listens on its containerPort");
      // Another task of the same agent reaches it at agent-ip:hostPort too (through the agent's OUTPUT rules).
      const fromAgent = await httpGet(app("/hm/fixed-a").instances[0].container, i.ip, i.ports[0]);
      assert.match(fromAgent, /200 OK/, `not reached from the agent's own namespace: ${fromAgent}`);
    }
    assert.equal(tasks.size, 2);
  });

  it("rolls a bridge-mode app to a new definition: new tasks on the same host ports, the old tasks' published ports gone; rules carrying shell code in the agent run nothing and are left alone", async function () {
    const before = app("/hm/br").instances;
    const agent1 = `${t.name}.agent.agent-1`;
    // What a task with NET_ADMIN in the agent's namespace could add: rules with an old task's
    // comment whose text is shell code. The roll reads `iptables -S` and must run none of it.
    // (LOG targets: they let every packet through, so the new tasks' rules still apply.)
    const planted = before[0].container;
    await run("docker", ["exec", agent1, "iptables", "-w", "-t", "nat", "-A", "PREROUTING", "-m", "comment", "--comment", planted, "-j", "LOG", "--log-prefix", "$(touch /tmp/pwned)"]);
    await run("docker", ["exec", agent1, "iptables", "-w", "-t", "nat", "-A", "PREROUTING", "-m", "comment", "--comment", planted, "-m", "comment", "--comment", "`touch /tmp/pwned2`", "-j", "LOG"]);
    const rolled = APPS.map((a) => (a.app.id === "/hm/br" ? { app: { ...a.app, env: { VERSION: "2" } } } : a));
    t.setConfig({ ...CONFIG, apps: rolled });
    try {
      outputs = (await t.stack.up()).outputs;
      const after = app("/hm/br").instances;
      assert.deepEqual(after.map((i: any) => i.ports), before.map((i: any) => i.ports));
      assert.equal(after.filter((i: any) => before.some((b: any) => b.container === i.container)).length, 0, "every task was replaced");
      for (const i of after) assert.match(await httpGet(client, i.ip, i.ports[0]), new RegExp(`200 OK[\\s\\S]*task=hm\\.br\\.instance-${i.container.replace(/\./g, "\\.")} `));
      assert.deepEqual((await run("docker", ["exec", agent1, "ls", "/tmp"])).stdout.split("\n").filter((f) => f.startsWith("pwned")), [], "nothing ran in the agent");
      const rules = (await dockerExec(agent1, "iptables -w -t nat -S")).out;
      const carrying = (container: string) => rules.split("\n").filter((l) => l.startsWith("-A ") && l.includes(`"${container}"`));
      assert.deepEqual(carrying(planted), [
        `-A PREROUTING -m comment --comment "${planted}" -j LOG --log-prefix "$(touch /tmp/pwned)"`,
        `-A PREROUTING -m comment --comment "${planted}" -m comment --comment "\`touch /tmp/pwned2\`" -j LOG`,
      ], "the planted rules are left alone, the old task's own are gone");
      for (const b of before.slice(1)) assert.deepEqual(carrying(b.container), [], `rules of ${b.container} left behind`);
      for (const i of after) assert.match(rules, new RegExp(`--comment "${i.container.replace(/\./g, "\\.")}" -j DNAT`));
    } finally {
      t.setConfig({ ...CONFIG, apps: rolled });
    }
  });

  it("fails the preview when no agent can hold a third app on the same fixed port, and creates nothing", async function () {
    const current = APPS.map((a) => (a.app.id === "/hm/br" ? { app: { ...a.app, env: { VERSION: "2" } } } : a));
    t.setConfig({ ...CONFIG, apps: [...current, { app: fixedApp("/hm/fixed-c") }] });
    try {
      await assert.rejects(t.stack.preview(), (err: Error) => {
        assert.match(err.message, /app\.portDefinitions\[0\]\.port.*no agent can hold instance 1 of 1 of \/hm\/fixed-c: it needs host ports \[7000\] on one agent \(agent-1: port 7000 is held by \/hm\/fixed-a; agent-2: port 7000 is held by \/hm\/fixed-b\)/);
        return true;
      });
      const left = await run("docker", ["ps", "-a", "--filter", "label=io.dcos-vnet.app=/hm/fixed-c", "-q"]);
      assert.equal(left.stdout.trim(), "");
    } finally {
      t.setConfig({ ...CONFIG, apps: current });
    }
  });
});
