// Overlays and agents reach each other as on DC/OS, with real packets: a client on one of the
// stack's overlays reaches a host-mode app at agent-ip:PORT0 (which sees the client's own address:
// no NAT) and a bridge-mode app at agent-ip:hostPort; a host-mode task reaches an overlay instance
// by its container IP. Two overlays of the stack stay isolated from each other, and a network of
// another owner reaches neither the agents nor is reached by them. Rules removed by hand are drift
// that refresh sees and up restores; a state written before the overlays input updates in place;
// an overlay that leaves takes its rules along; after destroy no rule of the stack is left.
import { strict as assert } from "assert";
import * as path from "path";
import { createTestStack, opsRecorder, TestStack } from "../support/pulumi";
import { requireDocker, run } from "../support/docker";
import { dockerExec, httpGet, removeContainers } from "../support/net";

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

/** The engine's filter table as iptables sees it in the engine's own network namespace. */
async function engineRules(): Promise<string> {
  return (await run("docker", ["run", "--rm", "--network", "host", "--cap-add", "NET_ADMIN", AGENT_IMAGE, "iptables", "-w", "-S", "DOCKER-USER"])).stdout;
}

/** Deletes the engine's DOCKER-USER rules whose comment names this stack (by hand, as a user or a reboot would). */
async function deleteOurRulesByHand(tag: string): Promise<void> {
  const script = `iptables -w -S DOCKER-USER | grep -F -- '--comment "${tag}' | sed 's/^-A /-D /' | while read -r r; do eval "iptables -w $r"; done`;
  await run("docker", ["run", "--rm", "--network", "host", "--cap-add", "NET_ADMIN", AGENT_IMAGE, "sh", "-c", script]);
}

/** A client serving a page on port 80, on a network at a fixed address. */
async function startServingClient(name: string, network: string, ip: string): Promise<void> {
  await run("docker", ["rm", "-f", name]).catch(() => undefined);
  await run("docker", [
    "run", "-d", "--name", name, "--label", "io.dcos-vnet.test=client", "--network", network, "--ip", ip, "busybox",
    "sh", "-c", `mkdir -p /www && echo "client ${name}" > /www/index.html && exec httpd -f -p 80 -h /www`,
  ]);
}

describe("overlays and agents reach each other, overlays stay isolated (DOCKER-USER rules, real packets)", function () {
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
    const engine = await requireDocker();
    await run("bash", [path.join(__dirname, "../../scripts/agentImage.sh")], { env: { ...process.env, DOCKER_HOST: engine.host } });
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

  it("writes one rule each way per overlay into DOCKER-USER, above Docker's RETURN, tagged with the stack", async function () {
    const rules = (await engineRules()).trim().split("\n");
    const ours = rules.filter((r) => r.includes(tag));
    assert.equal(ours.length, 4, rules.join("\n"));
    for (const net of [netA, netB]) {
      assert.match(ours.join("\n"), new RegExp(`-i d-${net} -o br-[0-9a-f]{12} .*--comment "${tag}${net}" -j ACCEPT`));
      assert.match(ours.join("\n"), new RegExp(`-i br-[0-9a-f]{12} -o d-${net} .*--comment "${tag}${net}" -j ACCEPT`));
    }
    assert.ok(rules.indexOf("-A DOCKER-USER -j RETURN") > rules.indexOf(ours[ours.length - 1]), rules.join("\n"));
  });

  it("sees rules removed by hand as drift on refresh (an update of the agents), and up restores them", async function () {
    await deleteOurRulesByHand(tag);
    const h = hostTask();
    assert.doesNotMatch(await httpGet(clientA, h.ip, h.ports[0]), /200 OK/, "without the rules the overlay does not reach the agent");
    await t.stack.refresh();
    const { ops, onEvent } = opsRecorder();
    await t.stack.preview({ onEvent });
    assert.equal(ops["LocalAgents::agents"], "update", JSON.stringify(ops));
    await t.stack.up();
    assert.match(await httpGet(clientA, h.ip, h.ports[0]), /200 OK/);
  });

  it("updates a state written before the overlays input in place (no replace), adding the rules", async function () {
    const state = await t.stack.exportStack();
    for (const r of state.deployment.resources ?? []) {
      if (!String(r.type).endsWith("LocalAgents")) continue;
      delete r.inputs.overlays;
      delete r.outputs.overlays;
      delete r.outputs.routeStates;
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

  it("removes an overlay's rules when it leaves the stack, and keeps the others'", async function () {
    await removeContainers(clientB); // the network goes with the stack's change; nothing of ours may stay on it
    t.setConfig({ ...CONFIG, networks: [NETWORKS[0]] });
    outputs = (await t.stack.up()).outputs;
    const ours = (await engineRules()).split("\n").filter((r) => r.includes(tag));
    assert.equal(ours.length, 2, ours.join("\n"));
    assert.ok(ours.every((r) => r.includes(`"${tag}${netA}"`)), ours.join("\n"));
    assert.match(await httpGet(clientA, hostTask().ip, hostTask().ports[0]), /200 OK/);
  });

  it("leaves no rule of the stack in DOCKER-USER after destroy, and no container of its own", async function () {
    await removeContainers(clientA, clientB, clientX); // the test's own, on the stack's networks
    assert.match(await engineRules(), new RegExp(tag), "the stack's rules are there before destroy");
    await t.stack.destroy();
    const rules = await engineRules();
    assert.doesNotMatch(rules, new RegExp(tag), rules);
    assert.match(rules, /-A DOCKER-USER -j RETURN/, "Docker's own rule is kept");
    const left = await run("docker", ["ps", "-a", "--filter", `label=io.dcos-vnet.stack=${t.name}`, "-q"]);
    assert.equal(left.stdout.trim(), "");
  });
});
