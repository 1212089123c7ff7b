// Overlays and agents reach each other as on DC/OS, with real packets: a client on one of the
// stack's overlays reaches a host-mode app at agent-ip:PORT0 (which sees the client's own address:
// no NAT) and a bridge-mode app at agent-ip:hostPort; a host-mode task reaches an overlay instance
// by its container IP. Two overlays of the stack stay isolated from each other, and a network of
// another owner reaches neither the agents nor is reached by them. The rules are in our DCOS-VNET
// chain, jumped to from one rule at the end of DOCKER-USER, so an admin's DROP above it wins.
// Rules or the jump removed by hand are drift that refresh sees and up restores; a state written
// before the overlays input updates in place; a stack brought up by the release before the chain
// (its rules at the top of DOCKER-USER) has them moved into the chain by the next up, agents and
// tasks kept, and its destroy leaves the other stack's rules, the chain and the jump; an overlay
// that leaves takes its rules along; after the last destroy no rule, no jump and no chain is left.
import { strict as assert } from "assert";
import { Stack } from "@pulumi/pulumi/automation";
import { createTestStack, opsRecorder, TestStack } from "../support/pulumi";
import { engine, requireAgentImage, requireDocker, run } from "../support/docker";
import { dockerExec, httpGet, removeContainers } from "../support/net";
import { ROOT } from "../support/paths";
import { disposeUpgrade, oldRelease, stackIn, tempDir, writeStackConfig } from "../support/project";

/** main before our chain: its rules went to the top of DOCKER-USER. */
const BEFORE_ROUTES_CHAIN = "c50612f";

const suffix = Math.random().toString(36).slice(2, 6);
const netA = `ar-a-${suffix}`;
const netB = `ar-b-${suffix}`;
/** A network of nobody's stack (another owner), without NAT like an overlay. */
const foreign = `ar-x-${suffix}`;
const AGENT_IMAGE = "dcos-vnet-agent:latest";

/** Serves a page naming the task, and /cgi-bin/ip: the address the request came from. */
const serveOn = (port: string) =>
  "mkdir -p /www/cgi-bin && echo \"task=$MESOS_TASK_ID\" > /www/index.html && " +
  "printf '#!/bin/sh\\necho Content-Type: text/plain\\necho\\necho remote=$REMOTE_ADDR\\n' > /www/cgi-bin/ip && chmod +x /www/cgi-bin/ip && " +
  `exec httpd -f -p ${port} -h /www`;
const APPS = [
  { app: { id: "/ar/hostweb", cmd: serveOn("$PORT0"), instances: 1, cpus: 0.1, mem: 32, networks: [{ mode: "host" }], portDefinitions: [{ port: 0, name: "http" }] } },
  {
    app: {
      id: "/ar/br", cmd: serveOn("80"), instances: 1, cpus: 0.1, mem: 32,
      container: { type: "DOCKER", docker: { image: "busybox" }, portMappings: [{ containerPort: 80, hostPort: 0, name: "web" }] },
      networks: [{ mode: "container/bridge" }],
    },
  },
  {
    app: {
      id: "/ar/ovl", cmd: serveOn("80"), instances: 1, cpus: 0.1, mem: 32,
      container: { type: "DOCKER", docker: { image: "busybox" } }, networks: [{ mode: "container", name: netA }],
    },
  },
];
const NETWORKS = [
  { name: netA, subnet: "9.120.0.0/16", prefix: 24 },
  { name: netB, subnet: "9.121.0.0/16", prefix: 24 },
];
const CONFIG = { cluster: { agents: ["agent-1", "agent-2"], hostSubnet: "172.16.12.0/24" }, networks: NETWORKS, apps: APPS };

/** The engine's filter table (every chain, `-A <chain> …` lines) as iptables sees it in the engine's own network namespace. */
async function engineRules(): Promise<string> {
  return (await run("docker", ["run", "--rm", "--network", "host", "--cap-add", "NET_ADMIN", AGENT_IMAGE, "iptables", "-w", "-S"])).stdout;
}

/** The rules of one chain, each as its `-A` line. */
const inChain = (rules: string, chain: string) => rules.split("\n").filter((r) => r.startsWith(`-A ${chain} `));

/** Runs an iptables script in the engine's network namespace, as an admin (or a reboot) would. */
async function byHand(script: string): Promise<void> {
  await run("docker", ["run", "--rm", "--network", "host", "--cap-add", "NET_ADMIN", AGENT_IMAGE, "sh", "-c", script]);
}

/** Deletes the engine's rules whose comment names this stack, in any chain (by hand). */
async function deleteOurRulesByHand(tag: string): Promise<void> {
  await byHand(`iptables -w -S | grep -F -- '--comment "${tag}' | sed 's/^-A /-D /' | while read -r r; do eval "iptables -w $r"; done`);
}

/** Name → id and start time of each container of a stack: a container re-created or restarted shows here. */
async function containerStarts(stack: string): Promise<Record<string, string>> {
  const list = await engine.listContainers({ all: true, filters: { label: [`io.dcos-vnet.stack=${stack}`] } });
  const starts = await Promise.all(list.map(async (c) => `${c.Id} ${(await engine.getContainer(c.Id).inspect()).State.StartedAt}`));
  return Object.fromEntries(list.map((c, i) => [c.Names[0].slice(1), starts[i]]));
}

/** A client serving a page on port 80, on a network at a fixed address. */
async function startServingClient(name: string, network: string, ip: string): Promise<void> {
  await run("docker", ["rm", "-f", name]).catch(() => undefined);
  await run("docker", [
    "run", "-d", "--name", name, "--label", "io.dcos-vnet.test=client", "--network", network, "--ip", ip, "busybox",
    "sh", "-c", `mkdir -p /www && echo "client ${name}" > /www/index.html && exec httpd -f -p 80 -h /www`,
  ]);
}

describe("overlays and agents reach each other, overlays stay isolated (rules in our DCOS-VNET chain, real packets)", function () {
  let t: TestStack;
  let outputs: any;
  let tag: string;
  const clientA = `ar-client-a-${suffix}`;
  const clientB = `ar-client-b-${suffix}`;
  const clientX = `ar-client-x-${suffix}`;
  const [ipA, ipB, ipX] = ["9.120.200.10", "9.121.200.10", "9.122.0.10"];
  const app = (id: string) => outputs.marathonApps.value[id];
  const hostTask = () => app("/ar/hostweb").instances[0];

  before(async function () {
    await requireDocker();
    await requireAgentImage();
    t = await createTestStack("routes", CONFIG);
    tag = `dcos-vnet:dcos-vnet:${t.name}:`;
    outputs = (await t.stack.up()).outputs;
    await startServingClient(clientA, netA, ipA);
    await startServingClient(clientB, netB, ipB);
    await run("docker", ["network", "create", "--subnet", "9.122.0.0/16", "-o", "com.docker.network.bridge.enable_ip_masquerade=false", foreign]);
    await startServingClient(clientX, foreign, ipX);
  });

  after(async function () {
    await removeContainers(clientA, clientB, clientX);
    await run("docker", ["network", "rm", foreign]).catch(() => undefined);
    if (t) await t.dispose();
  });

  it("reaches a host-mode app at agent-ip:PORT0 from an overlay, and the app sees the client's own address (no NAT)", async function () {
    const h = hostTask();
    const page = await httpGet(clientA, h.ip, h.ports[0]);
    assert.match(page, /200 OK[\s\S]*task=ar\.hostweb/, `no answer at ${h.ip}:${h.ports[0]}: ${page}`);
    const seen = await dockerExec(clientA, `printf 'GET /cgi-bin/ip HTTP/1.0\\r\\n\\r\\n' | nc -w 2 ${h.ip} ${h.ports[0]}`);
    assert.match(seen.out, new RegExp(`remote=\\S*${ipA.replace(/\./g, "\\.")}\\b`), seen.out);
    // The stack's second overlay reaches the agents too.
    assert.match(await httpGet(clientB, h.ip, h.ports[0]), /200 OK/);
  });

  it("reaches a bridge-mode app at agent-ip:hostPort from an overlay", async function () {
    const b = app("/ar/br").instances[0];
    const page = await httpGet(clientA, b.ip, b.ports[0]);
    assert.match(page, /200 OK[\s\S]*task=ar\.br/, `no answer at ${b.ip}:${b.ports[0]}: ${page}`);
  });

  it("reaches an overlay instance by its container IP from a host-mode task (in the agent's namespace)", async function () {
    const o = app("/ar/ovl").instances[0];
    const page = await httpGet(hostTask().container, o.ip, 80);
    assert.match(page, /200 OK[\s\S]*task=ar\.ovl/, `no answer at ${o.ip}:80 from ${hostTask().container}: ${page}`);
    const seen = await dockerExec(hostTask().container, `printf 'GET /cgi-bin/ip HTTP/1.0\\r\\n\\r\\n' | nc -w 2 ${o.ip} 80`);
    assert.match(seen.out, new RegExp(`remote=\\S*${hostTask().ip.replace(/\./g, "\\.")}\\b`), `the overlay app sees the agent's address: ${seen.out}`);
  });

  it("keeps the stack's two overlays isolated from each other, both ways (bounded probes)", async function () {
    // The probes can fail only for the isolation: each client answers on its own network.
    assert.match(await httpGet(clientA, ipA, 80), /200 OK/);
    assert.match(await httpGet(clientB, ipB, 80), /200 OK/);
    assert.doesNotMatch(await httpGet(clientA, ipB, 80), /200 OK/);
    assert.doesNotMatch(await httpGet(clientB, ipA, 80), /200 OK/);
    assert.doesNotMatch(await httpGet(clientB, app("/ar/ovl").instances[0].ip, 80), /200 OK/);
  });

  it("opens nothing to a network of another owner: it does not reach the agents, nor they it", async function () {
    const h = hostTask();
    assert.match(await httpGet(clientX, ipX, 80), /200 OK/);
    assert.doesNotMatch(await httpGet(clientX, h.ip, h.ports[0]), /200 OK/);
    assert.doesNotMatch(await httpGet(h.container, ipX, 80), /200 OK/);
  });

  it("writes one rule each way per overlay into our DCOS-VNET chain, and one jump to it at the end of DOCKER-USER, above Docker's RETURN", async function () {
    const rules = await engineRules();
    const chain = inChain(rules, "DCOS-VNET");
    const user = inChain(rules, "DOCKER-USER");
    assert.equal(chain.filter((r) => r.includes(tag)).length, 4, rules);
    assert.deepEqual(user.filter((r) => r.includes("dcos-vnet")), [], "no rule of ours in DOCKER-USER itself");
    for (const net of [netA, netB]) {
      assert.match(chain.join("\n"), new RegExp(`-i d-${net} -o br-[0-9a-f]{12} .*--comment "${tag}${net}" -j ACCEPT`));
      assert.match(chain.join("\n"), new RegExp(`-i br-[0-9a-f]{12} -o d-${net} .*--comment "${tag}${net}" -j ACCEPT`));
    }
    assert.deepEqual(user.slice(-2), ["-A DOCKER-USER -j DCOS-VNET", "-A DOCKER-USER -j RETURN"], user.join("\n"));
  });

  it("honours an admin's DROP rule in DOCKER-USER above our jump, also after up rewrites the stack's rules", async function () {
    const h = hostTask();
    const drop = `-s ${ipA}/32 -m comment --comment admin-${suffix} -j DROP`;
    await byHand(`iptables -w -I DOCKER-USER ${drop}`);
    try {
      assert.doesNotMatch(await httpGet(clientA, h.ip, h.ports[0]), /200 OK/, "the admin's DROP stops client A");
      assert.match(await httpGet(clientB, h.ip, h.ports[0]), /200 OK/, "and only client A");
      // The stack's rules go and come back (drift, then up): they come back below the admin's rule.
      await deleteOurRulesByHand(tag);
      await t.stack.refresh();
      await t.stack.up();
      assert.match(await httpGet(clientB, h.ip, h.ports[0]), /200 OK/, "the rules are back");
      assert.doesNotMatch(await httpGet(clientA, h.ip, h.ports[0]), /200 OK/, "the admin's DROP still wins");
      const user = inChain(await engineRules(), "DOCKER-USER");
      assert.ok(user.indexOf(`-A DOCKER-USER ${drop}`) < user.indexOf("-A DOCKER-USER -j DCOS-VNET"), user.join("\n"));
    } finally {
      await byHand(`iptables -w -D DOCKER-USER ${drop}`);
    }
    assert.match(await httpGet(clientA, h.ip, h.ports[0]), /200 OK/, "without the admin's rule client A is through again");
  });

  /** Part of the routes removed by hand cuts the overlay off the agents: refresh sees it (an update of the agents), and up restores it. */
  async function restoredAfterDrift(removeByHand: () => Promise<void>, what: string): Promise<void> {
    await removeByHand();
    const h = hostTask();
    assert.doesNotMatch(await httpGet(clientA, h.ip, h.ports[0]), /200 OK/, `without ${what} the overlay does not reach the agent`);
    await t.stack.refresh();
    const { ops, onEvent } = opsRecorder();
    await t.stack.preview({ onEvent });
    assert.equal(ops["LocalAgents::agents"], "update", JSON.stringify(ops));
    await t.stack.up();
    assert.match(await httpGet(clientA, h.ip, h.ports[0]), /200 OK/);
  }

  it("sees rules removed by hand as drift on refresh (an update of the agents), and up restores them", async function () {
    await restoredAfterDrift(() => deleteOurRulesByHand(tag), "the rules");
  });

  it("sees the jump removed by hand as drift too, and up puts it back", async function () {
    await restoredAfterDrift(() => byHand("iptables -w -D DOCKER-USER -j DCOS-VNET"), "the jump");
    assert.equal(inChain(await engineRules(), "DOCKER-USER").filter((r) => r === "-A DOCKER-USER -j DCOS-VNET").length, 1);
  });

  it("updates a state written before the overlays input in place (no replace), adding the rules", async function () {
    const state = await t.stack.exportStack();
    for (const r of state.deployment.resources ?? []) {
      if (!String(r.type).endsWith("LocalAgents")) continue;
      delete r.inputs.overlays;
      delete r.outputs.overlays;
      delete r.outputs.routeStates;
      delete r.outputs.routesChain;
    }
    await t.stack.importStack(state);
    await deleteOurRulesByHand(tag); // as before this version: no rule
    const { ops, onEvent } = opsRecorder();
    await t.stack.preview({ onEvent });
    assert.equal(ops["LocalAgents::agents"], "update", JSON.stringify(ops));
    assert.deepEqual(Object.entries(ops).filter(([, op]) => /replace|delete|create/.test(op)), [], JSON.stringify(ops));
    const before = (await run("docker", ["inspect", "-f", "{{.Id}}", `${t.name}.agent.agent-1`])).stdout.trim();
    await t.stack.up();
    assert.equal((await run("docker", ["inspect", "-f", "{{.Id}}", `${t.name}.agent.agent-1`])).stdout.trim(), before, "the agent was kept");
    assert.match(await httpGet(clientA, hostTask().ip, hostTask().ports[0]), /200 OK/);
  });

  describe(`a stack brought up by the release before the chain (${BEFORE_ROUTES_CHAIN}), beside this one`, function () {
    const netU = `ar-u-${suffix}`;
    const clientU = `ar-client-u-${suffix}`;
    const ipU = "9.123.200.10";
    const name = `t-routesup-${suffix}`;
    const CONFIG_U = {
      cluster: { agents: ["agent-1"], hostSubnet: "172.16.13.0/24" },
      networks: [{ name: netU, subnet: "9.123.0.0/16", prefix: 24 }],
      apps: [{ app: { id: "/aru/web", cmd: serveOn("$PORT0"), instances: 1, cpus: 0.1, mem: 32, networks: [{ mode: "host" }], portDefinitions: [{ port: 0 }] } }],
    };
    const tagU = `dcos-vnet:dcos-vnet:${name}:`;
    let old: string, backend: string;
    let current: Stack | undefined;
    let task: { ip: string; ports: number[] };
    let started: Record<string, string>;

    before(async function () {
      old = oldRelease(BEFORE_ROUTES_CHAIN, "before-routes-chain");
      backend = tempDir("routesup-state");
      writeStackConfig(old, name, CONFIG_U);
      writeStackConfig(ROOT, name, CONFIG_U);
    });

    after(async function () {
      await removeContainers(clientU);
      await disposeUpgrade(current, name, [old, backend]);
    });

    it("the old release writes its rules at the top of DOCKER-USER, above this stack's jump", async function () {
      const out = await (await stackIn(old, name, backend)).up();
      task = out.outputs.marathonApps.value["/aru/web"].instances[0];
      started = await containerStarts(name);
      const user = inChain(await engineRules(), "DOCKER-USER");
      const theirs = user.filter((r) => r.includes(tagU));
      assert.equal(theirs.length, 2, user.join("\n"));
      assert.ok(user.indexOf(theirs[1]) < user.indexOf("-A DOCKER-USER -j DCOS-VNET"), user.join("\n"));
      await startServingClient(clientU, netU, ipU);
      assert.match(await httpGet(clientU, task.ip, task.ports[0]), /200 OK/);
    });

    it("this version's refresh reads the old rules as in force, and its preview updates the agents alone (no replace)", async function () {
      current = await stackIn(ROOT, name, backend);
      await current.refresh();
      const agents = (await current.exportStack()).deployment.resources.find((r: any) => String(r.type).endsWith("LocalAgents"));
      assert.deepEqual(agents.outputs.routeStates, { [netU]: "present" });
      const { ops, onEvent } = opsRecorder();
      await current.preview({ onEvent });
      const changed = Object.entries(ops).filter(([, op]) => op !== "same");
      assert.deepEqual(changed, [["LocalAgents::agents", "update"]], JSON.stringify(ops));
    });

    it("its up moves the rules into our chain, keeps every container running as it was, and packets still cross", async function () {
      await current!.up();
      assert.deepEqual(await containerStarts(name), started, "no container re-created or restarted");
      const rules = await engineRules();
      assert.deepEqual(inChain(rules, "DOCKER-USER").filter((r) => r.includes(tagU)), [], "none left in DOCKER-USER");
      assert.equal(inChain(rules, "DCOS-VNET").filter((r) => r.includes(tagU)).length, 2, rules);
      assert.equal(inChain(rules, "DOCKER-USER").filter((r) => r === "-A DOCKER-USER -j DCOS-VNET").length, 1, "one jump for both stacks");
      assert.match(await httpGet(clientU, task.ip, task.ports[0]), /200 OK/);
      const { ops, onEvent } = opsRecorder();
      await current!.preview({ onEvent });
      assert.deepEqual(Object.entries(ops).filter(([, op]) => op !== "same"), [], "the next preview changes nothing");
    });

    it("its destroy removes its rules and leaves the other stack's, the chain and the jump: that stack's packets still cross", async function () {
      await removeContainers(clientU);
      await current!.destroy();
      current = undefined;
      const rules = await engineRules();
      assert.doesNotMatch(rules, new RegExp(tagU), rules);
      assert.equal(inChain(rules, "DCOS-VNET").filter((r) => r.includes(tag)).length, 4, rules);
      assert.ok(inChain(rules, "DOCKER-USER").includes("-A DOCKER-USER -j DCOS-VNET"), rules);
      assert.match(await httpGet(clientA, hostTask().ip, hostTask().ports[0]), /200 OK/);
    });
  });

  describe("the stack's own changes and its destroy", function () {
    it("removes an overlay's rules when it leaves the stack, and keeps the others'", async function () {
      await removeContainers(clientB); // the network goes with the stack's change; nothing of ours may stay on it
      t.setConfig({ ...CONFIG, networks: [NETWORKS[0]] });
      outputs = (await t.stack.up()).outputs;
      const ours = (await engineRules()).split("\n").filter((r) => r.includes(tag));
      assert.equal(ours.length, 2, ours.join("\n"));
      assert.ok(ours.every((r) => r.startsWith("-A DCOS-VNET ") && r.includes(`"${tag}${netA}"`)), ours.join("\n"));
      assert.match(await httpGet(clientA, hostTask().ip, hostTask().ports[0]), /200 OK/);
    });

    it("leaves no rule of the stack after the last destroy, no jump and no chain, and no container of its own", async function () {
      await removeContainers(clientA, clientB, clientX); // the test's own, on the stack's networks
      assert.match(await engineRules(), new RegExp(tag), "the stack's rules are there before destroy");
      await t.stack.destroy();
      const rules = await engineRules();
      assert.doesNotMatch(rules, new RegExp(tag), rules);
      assert.doesNotMatch(rules, /DCOS-VNET/, "the jump and the chain went with the last stack's rules");
      assert.match(rules, /-A DOCKER-USER -j RETURN/, "Docker's own rule is kept");
      const left = await run("docker", ["ps", "-a", "--filter", `label=io.dcos-vnet.stack=${t.name}`, "-q"]);
      assert.equal(left.stdout.trim(), "");
    });
  });
});
