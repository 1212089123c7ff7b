// A local cluster over three Docker hosts (three engines in network namespaces joined by a bridge,
// test/support/hostCluster.ts), the project forming the swarm itself: the same declarations as on
// one engine, with the virtual networks as swarm overlays (VXLAN between the hosts). Real packets
// between containers on different hosts, the address guarantee across hosts, a host going down in
// the middle of an `up`, scaling, ownership, and nothing left on any host after destroy.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as http from "http";
import * as os from "os";
import * as path from "path";
import { execFile, execFileSync } from "child_process";
import { promisify } from "util";
import { createTestStack, opsRecorder, TestStack } from "../support/pulumi";
import { HostCluster, Host, startHostCluster } from "../support/hostCluster";
import { forwardToEngine } from "../support/engineForward";
import { inCidr } from "../support/net";
import { until } from "../support/until";
import { makeTlsFiles, TlsFiles } from "../support/tlsCerts";

const execFileAsync = promisify(execFile);
const suffix = Math.random().toString(36).slice(2, 6);
const dev = `dev-${suffix}`;
const prod = `prod-${suffix}`;
const AGENTS = ["agent-1", "agent-2", "agent-3"];

/** `docker` against one host's engine; never the user's. */
async function docker(host: Host, args: string[], timeoutMs = 30_000): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await execFileAsync("docker", ["-H", host.engine.host, ...args], { timeout: timeoutMs, encoding: "utf8" });
    return { code: 0, out: stdout + stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === "number" ? e.code : 1, out: `${e.stdout ?? ""}${e.stderr ?? ""}` };
  }
}

/**
 * Whether a host's kernel holds an IPsec ESP state with the AEAD Docker's encrypted overlays use
 * (rfc4106(gcm(aes))): added in the host's network namespace under a test SPI, then deleted.
 */
function kernelTakesEsp(host: Host): boolean {
  const sa = ["src", "192.0.2.1", "dst", "192.0.2.2", "proto", "esp", "spi", "0x7e570001"];
  try {
    execFileSync("ip", ["-n", host.engine.netns, "xfrm", "state", "add", ...sa, "mode", "transport", "aead", "rfc4106(gcm(aes))", `0x${"ab".repeat(20)}`, "128"], { stdio: "pipe" });
  } catch {
    return false;
  }
  execFileSync("ip", ["-n", host.engine.netns, "xfrm", "state", "delete", ...sa.slice(0, 6), "spi", "0x7e570001"], { stdio: "pipe" });
  return true;
}

/** Whether the manager (the first host) lists three nodes, all Ready. */
async function threeReadyNodes(hosts: Host[]): Promise<boolean> {
  const nodes = (await docker(hosts[0], ["node", "ls", "--format", "{{.Status}}"])).out.trim().split("\n");
  return nodes.length === 3 && nodes.every((n) => n === "Ready");
}

/**
 * The swarm as each side sees it: the manager's node list, every host's own swarm state and error,
 * and the end of each host's dockerd log (a node that does not come back says why there).
 */
async function swarmSeen(hosts: Host[]): Promise<string> {
  const lines = [`manager (host-1) docker node ls:\n${(await docker(hosts[0], ["node", "ls"])).out.trim()}`];
  for (const h of hosts) {
    const info = await docker(h, ["info", "--format", "{{.Swarm.LocalNodeState}} node {{.Swarm.NodeID}} error {{json .Swarm.Error}}"]);
    let log = "(no log)";
    try {
      log = fs.readFileSync(path.join(h.engine.dir, "dockerd.log"), "utf8").trimEnd().split("\n").filter((l) => /swarm|node|raft|cluster|dispatcher|error|level=warn/i.test(l)).slice(-12).join("\n");
    } catch {
      // the log is gone with its engine
    }
    lines.push(`${h.name} (${h.address}): ${info.out.trim()}\n  dockerd.log, swarm lines at the end:\n${log.replace(/^/gm, "    ")}`);
  }
  return lines.join("\n");
}

/**
 * A socket in front of host-3's engine (the stack reaches host-3 through it) that can be armed to
 * stop host-3's dockerd when the next container create for it arrives: a host going down in the
 * middle of an `up`, at a chosen point rather than after a guessed delay.
 */
async function startTrapProxy(host: Host): Promise<{ docker: string; arm(): void; fired(): boolean; close(): Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dvt-trap-"));
  const socket = path.join(dir, "engine.sock");
  const target = host.engine.host.slice("unix://".length);
  let armed = false;
  let fired = false;
  const server = http.createServer(async (req, res) => {
    if (armed && req.method === "POST" && /\/containers\/create/.test(req.url ?? "")) {
      armed = false;
      fired = true;
      await host.engine.stop();
    }
    forwardToEngine(req, res, target, "trap proxy"); // says nothing of the host: the message must come from the provider
  });
  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(socket, () => resolve()));
  return {
    docker: `unix://${socket}`,
    arm: () => { armed = true; },
    fired: () => fired,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

describe("a local cluster over three Docker hosts (swarm overlay, real packets)", function () {
  let cluster: HostCluster;
  let t: TestStack;
  let trap: Awaited<ReturnType<typeof startTrapProxy>>;
  let outputs: any;
  let tls: TlsFiles | undefined;
  const hostOfAgent = (agent: string) => cluster.hosts[AGENTS.indexOf(agent)];
  const timings: Record<string, number> = {};

  const config = (webInstances: number) => ({
    cluster: {
      agents: AGENTS,
      swarm: "form",
      hosts: Object.fromEntries(
        cluster.hosts.map((h, k) => [h.name, { ...endpoint(k, h), advertiseAddr: h.address, agents: [AGENTS[k]] }]),
      ),
    },
    networks: [
      { name: dev, subnet: "9.250.0.0/16", prefix: 24 },
      { name: prod, subnet: "9.251.0.0/16", prefix: 24 },
    ],
    apps: [
      { app: { id: "/web", cmd: "exec sleep 3600", instances: webInstances, cpus: 0.1, mem: 32, container: { type: "DOCKER", docker: { image: "busybox" } }, networks: [{ mode: "container", name: dev }] } },
      { app: { id: "/db", cmd: "exec sleep 3600", instances: 1, cpus: 0.1, mem: 32, container: { type: "DOCKER", docker: { image: "busybox" } }, networks: [{ mode: "container", name: prod }], constraints: [["hostname", "CLUSTER", "agent-2"]] } },
    ],
  });

  /** host-1 by its unix socket, host-2 by tcp:// with TLS client certificates, host-3 through the trap. */
  function endpoint(k: number, h: Host): Record<string, unknown> {
    if (k === 1) return { docker: `tcp://${h.address}:2376`, tls: { ca: tls!.ca, cert: tls!.clientCert, key: tls!.clientKey } };
    return { docker: k === 2 ? trap.docker : h.engine.host };
  }

  async function up(webInstances: number): Promise<any> {
    t.setConfig(config(webInstances));
    const began = Date.now();
    outputs = (await t.stack.up({ refresh: true })).outputs;
    timings[`up ${webInstances}`] = Date.now() - began;
    return outputs;
  }

  const web = () => outputs.marathonApps.value["/web"].instances as Array<{ agent: string; ip: string; container: string }>;
  const blocks = () => outputs.virtualNetworks.value[dev].agentSubnets;

  /** Our containers on every host (any state), by name. */
  async function ourContainers(): Promise<string[]> {
    const lists = await Promise.all(cluster.hosts.map((h) => docker(h, ["ps", "-a", "--filter", `label=io.dcos-vnet.stack=${t.name}`, "--format", "{{.Names}}"])));
    return lists.flatMap((l) => l.out.split("\n").filter(Boolean)).sort();
  }

  before(async function () {
    cluster = await startHostCluster("mh", 3, (k, address) => {
      if (k !== 2) return [];
      tls = makeTlsFiles(address);
      return tls.dockerdArgs(2376);
    });
    trap = await startTrapProxy(cluster.hosts[2]);
    t = await createTestStack("mhost", config(6));
    await up(6);
  });

  after(async function () {
    this.timeout(300_000);
    process.stdout.write(`      up times (ms) over 3 hosts: ${JSON.stringify(timings)}\n`);
    try {
      if (t) await t.dispose();
    } finally {
      await trap?.close();
      await cluster?.dispose();
      tls?.remove();
    }
  });

  it("forms one swarm of the three hosts and makes each virtual network an attachable overlay with the overlay MTU", async function () {
    const nodes = await docker(cluster.hosts[0], ["node", "ls", "--format", "{{.Status}}"]);
    assert.deepEqual(nodes.out.trim().split("\n"), ["Ready", "Ready", "Ready"], nodes.out);
    const net = await docker(cluster.hosts[0], ["network", "inspect", dev, "--format", "{{.Driver}} {{.Scope}} {{.Attachable}} {{index .Labels \"io.dcos-vnet.stack\"}}"]);
    assert.equal(net.out.trim(), `overlay swarm true ${t.name}`);
    const first = web()[0];
    const mtu = await docker(hostOfAgent(first.agent), ["exec", first.container, "cat", "/sys/class/net/eth0/mtu"]);
    assert.equal(mtu.out.trim(), "1420", "containers get DC/OS's overlay MTU (VXLAN's 50 bytes are below it)");
  });

  it("runs 6 instances over 3 agents, each on its agent's host, with an IP in its agent's Docker half", async function () {
    assert.equal(web().length, 6);
    assert.equal(new Set(web().map((i) => i.ip)).size, 6);
    for (const agent of AGENTS) assert.equal(web().filter((i) => i.agent === agent).length, 2, `two instances on ${agent}`);
    for (const i of web()) {
      assert.ok(inCidr(i.ip, blocks()[i.agent].docker), `${i.ip} in ${blocks()[i.agent].docker}`);
      const seen = await docker(hostOfAgent(i.agent), ["inspect", i.container, "--format", `{{(index .NetworkSettings.Networks "${dev}").IPAddress}}`]);
      assert.equal(seen.out.trim(), i.ip, `${i.container} runs on ${hostOfAgent(i.agent).name} at ${i.ip}`);
    }
  });

  it("reaches host-2 over tcp:// with TLS client certificates, and keeps the client key out of the state in plaintext", async function () {
    const onHost2 = web().filter((i) => i.agent === "agent-2");
    const running = await docker(cluster.hosts[1], ["ps", "--filter", `label=io.dcos-vnet.stack=${t.name}`, "--format", "{{.Names}}"]);
    for (const i of onHost2) assert.match(running.out, new RegExp(i.container.replace(/\./g, "\\.")), `${i.container} runs on host-2`);
    const keyBody = fs.readFileSync(tls!.clientKey, "utf8").split("\n")[1];
    const exported = await t.cli(["stack", "export", "--show-secrets=false"]);
    assert.ok(exported.includes("ciphertext"), "the engines are secret in the state");
    assert.ok(!exported.includes(keyBody), "the client key is not in the state in plaintext");
  });

  it("lets every instance reach every other by IP and resolve the app's DNS name to all six, across hosts", async function () {
    const all = web().map((i) => i.ip).sort();
    for (const from of web()) {
      const host = hostOfAgent(from.agent);
      const pings = await docker(host, ["exec", from.container, "sh", "-c", all.map((ip) => `ping -c 1 -W 2 ${ip} >/dev/null || echo FAIL ${ip}`).join("; ")], 60_000);
      assert.doesNotMatch(pings.out, /FAIL/, `from ${from.container} on ${host.name}: ${pings.out}`);
      const dns = await docker(host, ["exec", from.container, "nslookup", "web.marathon.mesos", "127.0.0.11"]);
      const resolved = dns.out.split("\n").filter((l) => /^Address( \d+)?:/.test(l.trim())).map((l) => l.replace(/^Address( \d+)?:\s*/, "").trim()).filter((a) => a !== "127.0.0.11:53" && a !== "127.0.0.11");
      assert.deepEqual(resolved.sort(), all, `web.marathon.mesos from ${from.container}: ${dns.out}`);
    }
  });

  it("isolates dev on host-1 from prod on host-2 (bounded timeouts), while prod reaches itself", async function () {
    const db = outputs.marathonApps.value["/db"].instances[0];
    assert.equal(db.agent, "agent-2");
    const devOnHost1 = web().find((i) => i.agent === "agent-1")!;
    const blocked = await docker(cluster.hosts[0], ["exec", devOnHost1.container, "ping", "-c", "2", "-W", "2", db.ip], 20_000);
    assert.notEqual(blocked.code, 0, `dev reached prod: ${blocked.out}`);
    const self = await docker(cluster.hosts[1], ["exec", db.container, "ping", "-c", "1", "-W", "2", db.ip], 20_000);
    assert.equal(self.code, 0, self.out);
  });

  it("scales 6 → 9 → 3 across hosts and the survivors keep their IPs", async function () {
    const before = new Map(web().map((i) => [i.container, i.ip]));
    await up(9);
    assert.equal(web().length, 9);
    assert.equal(new Set(web().map((i) => i.ip)).size, 9);
    for (const [name, ip] of before) assert.equal(web().find((i) => i.container === name)?.ip, ip, `${name} kept ${ip}`);
    const nine = new Map(web().map((i) => [i.container, i.ip]));
    await up(3);
    assert.equal(web().length, 3);
    for (const i of web()) assert.equal(nine.get(i.container), i.ip, `${i.container} kept ${i.ip}`);
    assert.equal((await ourContainers()).filter((n) => n.includes(".web.")).length, 3, "the six removed are gone from every host");
  });

  it("is refused by the swarm's own IPAM too when a container elsewhere asks for an address in use on another host", async function () {
    const taken = web().find((i) => i.agent === "agent-1")!;
    const dup = `dup-${suffix}`;
    try {
      const attempt = await docker(cluster.hosts[2], ["run", "-d", "--name", dup, "--network", dev, "--ip", taken.ip, "busybox", "sleep", "600"], 120_000);
      assert.notEqual(attempt.code, 0, `the swarm gave ${taken.ip} a second time: ${attempt.out}`);
      const still = await docker(cluster.hosts[0], ["inspect", taken.container, "--format", `{{(index .NetworkSettings.Networks "${dev}").IPAddress}}`]);
      assert.equal(still.out.trim(), taken.ip);
    } finally {
      await docker(cluster.hosts[2], ["rm", "-f", dup]);
    }
  });

  it("fails an `up` naming the host whose engine stops in the middle; after a restart the next `up` converges, no duplicate IP, nothing leaked", async function () {
    const target = web().length + 3; // one more instance per host: a create reaches host-3
    trap.arm();
    await assert.rejects(up(target), (err: Error) => {
      assert.ok(trap.fired(), "host-3's engine was stopped during the up");
      assert.match(err.message, /host host-3/, err.message);
      return true;
    });
    const host3 = cluster.hosts[2];
    await host3.engine.restart();
    // The restarted engine rejoins the swarm by itself, within seconds here (14 of 14 restarts of a
    // worker, under load, in an experiment). Once in CI its dockerd answered but its swarm node never
    // came back; no Pulumi command ran meanwhile, so that is Docker's doing, and the cause is not
    // known yet. This test needs host-3 back to check that the next `up` converges, so a host that
    // has not rejoined within 45 s gets its dockerd restarted once more, as an operator would, and
    // the log says so with what each side saw. If that does not bring it back, the test fails.
    const allReady = () => threeReadyNodes(cluster.hosts);
    try {
      await until("host-3 is a ready swarm node again", 45_000, allReady, () => swarmSeen(cluster.hosts));
    } catch (err) {
      console.log(`    note: ${(err as Error).message.replace(/\n/g, "\n    ")}\n    note: restarting host-3's dockerd once more`);
      await host3.engine.restart();
      await until("host-3 is a ready swarm node again, after a second restart of its dockerd", 90_000, allReady, () => swarmSeen(cluster.hosts));
    }
    await up(target);
    assert.equal(web().length, target);
    assert.equal(new Set(web().map((i) => i.ip)).size, target, "no duplicate IP");
    for (const i of web()) assert.ok(inCidr(i.ip, blocks()[i.agent].docker));
    const names = await ourContainers();
    assert.deepEqual(names.filter((n) => n.includes(".web.")).sort(), web().map((i) => i.container).sort(), "every host holds exactly the state's instances");
    const running = await docker(cluster.hosts[2], ["ps", "--filter", `label=io.dcos-vnet.stack=${t.name}`, "--format", "{{.Names}}"]);
    assert.equal(running.out.trim().split("\n").filter(Boolean).length, web().filter((i) => i.agent === "agent-3").length, running.out);
  });

  it("uses an existing swarm (swarm: existing) without forming one, for a second stack", async function () {
    const net = `ex-${suffix}`;
    const other = await createTestStack("mhex", {
      cluster: { ...config(1).cluster, swarm: "existing" },
      networks: [{ name: net, subnet: "9.254.0.0/16", prefix: 24 }],
      apps: [{ app: { id: "/api", cmd: "exec sleep 3600", instances: 3, cpus: 0.1, mem: 32, container: { type: "DOCKER", docker: { image: "busybox" } }, networks: [{ mode: "container", name: net }] } }],
    });
    try {
      const out = (await other.stack.up()).outputs;
      const api = out.marathonApps.value["/api"].instances as Array<{ agent: string; ip: string; container: string }>;
      assert.deepEqual(api.map((i) => i.agent).sort(), AGENTS);
      const from = api.find((i) => i.agent === "agent-3")!;
      const to = api.find((i) => i.agent === "agent-1")!;
      const ping = await docker(cluster.hosts[2], ["exec", from.container, "ping", "-c", "1", "-W", "2", to.ip], 20_000);
      assert.equal(ping.code, 0, ping.out);
    } finally {
      await other.dispose();
    }
    const nodes = await docker(cluster.hosts[0], ["node", "ls", "-q"]);
    assert.equal(nodes.out.trim().split("\n").length, 3, "the swarm is the same three nodes");
  });

  it("encrypts a stack's overlays only on request (swarmEncrypted): Docker's encrypted option, packets across hosts iff the hosts' kernel takes ESP", async function () {
    // The default: no encrypted option on the engine, no encrypted input in the state.
    const plain = await docker(cluster.hosts[0], ["network", "inspect", dev, "--format", "{{json .Options}}"]);
    assert.doesNotMatch(plain.out, /encrypted/, plain.out);
    const networks = ((await t.stack.exportStack()).deployment.resources ?? []).filter((r: any) => String(r.type).endsWith("LocalDockerNetwork"));
    assert.ok(networks.length > 0 && networks.every((r: any) => !("encrypted" in r.inputs)), "no encrypted input unless asked for");
    const net = `enc-${suffix}`;
    const encConfig = (swarmEncrypted: boolean) => ({
      cluster: { ...config(1).cluster, swarm: "existing", ...(swarmEncrypted ? { swarmEncrypted } : {}) },
      networks: [{ name: net, subnet: "9.249.0.0/16", prefix: 24 }],
      apps: [{ app: { id: "/enc", cmd: "exec sleep 3600", instances: 3, cpus: 0.1, mem: 32, container: { type: "DOCKER", docker: { image: "busybox" } }, networks: [{ mode: "container", name: net }] } }],
    });
    const other = await createTestStack("mhenc", encConfig(true));
    try {
      const out = (await other.stack.up()).outputs;
      const options = await docker(cluster.hosts[0], ["network", "inspect", net, "--format", "{{json .Options}}"]);
      assert.match(options.out, /"encrypted":""/, options.out);
      const enc = out.marathonApps.value["/enc"].instances as Array<{ agent: string; ip: string; container: string }>;
      const from = enc.find((i) => i.agent === "agent-3")!;
      const to = enc.find((i) => i.agent === "agent-1")!;
      const ping = await docker(cluster.hosts[2], ["exec", from.container, "ping", "-c", "2", "-W", "2", to.ip], 20_000);
      const esp = kernelTakesEsp(cluster.hosts[0]);
      // Measured: where the kernel has no ESP (this machine's), Docker creates the network and
      // drops every packet between hosts; that is why it is off by default (README).
      assert.equal(ping.code === 0, esp, `ESP in the hosts' kernel: ${esp}; ping from host-3 to host-1 over the encrypted overlay: ${ping.out}`);
      const { ops, onEvent } = opsRecorder();
      other.setConfig(encConfig(false));
      await other.stack.preview({ onEvent });
      assert.equal(ops[`LocalDockerNetwork::${net}`], "replace", `turning it off replaces the network: ${JSON.stringify(ops)}`);
    } finally {
      await other.dispose();
    }
  });

  it("fails an `up` naming a host that left the swarm, changing nothing; once it is back, the next `up` converges", async function () {
    const host2 = cluster.hosts[1];
    const oldNode = (await docker(host2, ["info", "--format", "{{.Swarm.NodeID}}"])).out.trim();
    const before = await ourContainers();
    const left = await docker(host2, ["swarm", "leave", "--force"]);
    assert.equal(left.code, 0, left.out);
    await assert.rejects(up(web().length + 3), /host host-2 .*is not in the swarm/);
    assert.deepEqual(await ourContainers(), before, "nothing started or removed on any host");
    // Back in: join again (a new node), and drop the old node's entry on the manager.
    const token = (await docker(cluster.hosts[0], ["swarm", "join-token", "-q", "worker"])).out.trim();
    const joined = await docker(host2, ["swarm", "join", "--token", token, "--advertise-addr", host2.address, `${cluster.hosts[0].address}:2377`], 60_000);
    assert.equal(joined.code, 0, joined.out);
    await until("the old host-2 node is down", 60_000, async () => (await docker(cluster.hosts[0], ["node", "inspect", oldNode, "--format", "{{.Status.State}}"])).out.trim() === "down", () => swarmSeen(cluster.hosts));
    await docker(cluster.hosts[0], ["node", "rm", "--force", oldNode]);
    await until("three ready nodes", 60_000, () => threeReadyNodes(cluster.hosts), () => swarmSeen(cluster.hosts));
    const target = web().length + 3;
    await up(target);
    assert.equal(web().length, target);
    assert.equal(new Set(web().map((i) => i.ip)).size, target, "no duplicate IP");
    for (const i of web().filter((w) => w.agent === "agent-2")) {
      const seen = await docker(host2, ["inspect", i.container, "--format", `{{(index .NetworkSettings.Networks "${dev}").IPAddress}}`]);
      assert.equal(seen.out.trim(), i.ip, `${i.container} is back on the overlay at ${i.ip}`);
    }
  });

  it("never adopts or deletes a swarm network of the same name without our labels", async function () {
    const alien = `alien-${suffix}`;
    const made = await docker(cluster.hosts[0], ["network", "create", "-d", "overlay", "--attachable", "--subnet", "9.252.0.0/16", alien]);
    assert.equal(made.code, 0, made.out);
    const other = await createTestStack("mhown", {
      cluster: config(1).cluster,
      networks: [{ name: alien, subnet: "9.253.0.0/16", prefix: 24 }],
    });
    try {
      await assert.rejects(other.stack.up(), /already exists and is not owned/);
    } finally {
      await other.dispose();
    }
    const still = await docker(cluster.hosts[0], ["network", "inspect", alien, "--format", "{{.Driver}} {{len .Labels}}"]);
    assert.equal(still.out.trim(), "overlay 0", "the foreign network is there, unchanged");
    await docker(cluster.hosts[0], ["network", "rm", alien]);
  });

  it("leaves nothing of the stack on any host after destroy", async function () {
    await t.stack.destroy();
    assert.deepEqual(await ourContainers(), []);
    for (const h of cluster.hosts) {
      const nets = await docker(h, ["network", "ls", "--filter", `label=io.dcos-vnet.stack=${t.name}`, "--format", "{{.Name}}"]);
      assert.equal(nets.out.trim(), "", `networks left on ${h.name}`);
    }
  });
});
