// Host ports of host- and bridge-mode apps, planned from code alone (core/local/hostPorts), and the
// agents' host network (core/local/agents): Marathon's port rules, placement around taken ports,
// and the host subnet in the stack's address plan.
import { strict as assert } from "assert";
import { normalizeApp } from "../../src/core/marathon/normalize";
import { AppDefinition } from "../../src/core/marathon/types";
import { AGENT_PORT_RANGE, planHostPorts, withSlots } from "../../src/core/local/hostPorts";
import { hostTaskEnv } from "../../src/core/local/hostTask";
import { hostSubnetOverlaps, planAgentAddresses, validateHostSubnet } from "../../src/core/local/agents";
import { parseStackConfig } from "../../src/config/stackConfig";
import { checkMarathonApp } from "../../src/core/marathon/appInputs";

const AGENTS = ["agent-1", "agent-2"];
const host = (extra: Record<string, unknown>) =>
  normalizeApp({ id: "/web", cmd: "sleep 1", networks: [{ mode: "host" }], ...extra } as unknown as AppDefinition);
const bridge = (mappings: unknown[], extra: Record<string, unknown> = {}) =>
  normalizeApp({
    id: "/br", cmd: "sleep 1", networks: [{ mode: "container/bridge" }],
    container: { type: "DOCKER", docker: { image: "busybox" }, portMappings: mappings }, ...extra,
  } as unknown as AppDefinition);

describe("host ports of host- and bridge-mode apps (planHostPorts)", function () {
  it("port 0 is assigned from the agent's range, lowest free first, per agent", function () {
    const plan = planHostPorts(host({ instances: 3, portDefinitions: [{ port: 0 }, { port: 0 }] }), AGENTS);
    assert.ok(plan.ok);
    assert.deepEqual(plan.slots, [
      { agent: "agent-1", ports: [AGENT_PORT_RANGE.first, AGENT_PORT_RANGE.first + 1] },
      { agent: "agent-2", ports: [1025, 1026] },
      { agent: "agent-1", ports: [1027, 1028] }, // two instances on one agent never share a port
    ]);
  });

  it("without requirePorts a declared port is a service port: the host port is assigned", function () {
    const plan = planHostPorts(host({ portDefinitions: [{ port: 8080 }] }), AGENTS);
    assert.ok(plan.ok);
    assert.deepEqual(plan.slots, [{ agent: "agent-1", ports: [1025] }]);
  });

  it("requirePorts makes the declared port the host port, and an agent holds it once", function () {
    const plan = planHostPorts(host({ instances: 2, requirePorts: true, portDefinitions: [{ port: 8080 }, { port: 0 }] }), AGENTS);
    assert.ok(plan.ok);
    assert.deepEqual(plan.slots, [
      { agent: "agent-1", ports: [8080, 1025] },
      { agent: "agent-2", ports: [8080, 1025] },
    ]);
    const three = planHostPorts(host({ instances: 3, requirePorts: true, portDefinitions: [{ port: 8080 }] }), AGENTS);
    assert.ok(!three.ok);
    assert.equal(three.property, "portDefinitions[0].port");
    assert.match(three.reason, /no agent can hold instance 3 of 3 of \/web: .*agent-1: port 8080 is held by another instance of \/web/);
  });

  it("an app whose fixed port is taken on an agent goes to another agent; none left: says which app holds it", function () {
    const first = host({ id: "/a", requirePorts: true, portDefinitions: [{ port: 9000 }] });
    const a = planHostPorts(first, AGENTS);
    assert.ok(a.ok);
    assert.equal(a.slots[0].agent, "agent-1");
    const taken = withSlots({}, "/a", a.slots);
    const b = planHostPorts(host({ id: "/b", requirePorts: true, portDefinitions: [{ port: 9000 }] }), AGENTS, taken);
    assert.ok(b.ok);
    assert.deepEqual(b.slots, [{ agent: "agent-2", ports: [9000] }]);
    const c = planHostPorts(host({ id: "/c", requirePorts: true, portDefinitions: [{ port: 9000 }] }), AGENTS, withSlots(taken, "/b", b.slots));
    assert.ok(!c.ok);
    assert.equal(c.reason, "no agent can hold instance 1 of 1 of /c: it needs host ports [9000] on one agent (agent-1: port 9000 is held by /a; agent-2: port 9000 is held by /b)");
  });

  it("assigned ports skip ports other apps hold and the agent's own (5051)", function () {
    const taken = { "agent-1": { "1025": "/x" } };
    const plan = planHostPorts(host({ portDefinitions: [{ port: 0 }] }), ["agent-1"], taken);
    assert.ok(plan.ok);
    assert.deepEqual(plan.slots[0].ports, [1026]);
    const own = planHostPorts(host({ requirePorts: true, portDefinitions: [{ port: 5051 }] }), ["agent-1"]);
    assert.ok(!own.ok);
    assert.match(own.reason, /port 5051 is held by the agent itself/);
  });

  it("bridge mode: hostPort is the host port, 0 (or absent) is assigned; constraints still apply", function () {
    const plan = planHostPorts(bridge([{ containerPort: 80, hostPort: 0 }, { containerPort: 81, hostPort: 8081 }], { instances: 2 }), AGENTS);
    assert.ok(plan.ok);
    assert.deepEqual(plan.slots, [{ agent: "agent-1", ports: [1025, 8081] }, { agent: "agent-2", ports: [1025, 8081] }]);
    const pinned = planHostPorts(bridge([{ containerPort: 80 }], { instances: 2, constraints: [["hostname", "IS", "agent-2"]] }), AGENTS);
    assert.ok(pinned.ok);
    assert.deepEqual(pinned.slots, [{ agent: "agent-2", ports: [1025] }, { agent: "agent-2", ports: [1026] }]);
  });

  it("scaling up keeps the slots of the instances already planned", function () {
    const two = planHostPorts(host({ instances: 2, portDefinitions: [{ port: 0 }] }), AGENTS);
    const five = planHostPorts(host({ instances: 5, portDefinitions: [{ port: 0 }] }), AGENTS);
    assert.ok(two.ok && five.ok);
    assert.deepEqual(five.slots.slice(0, 2), two.slots);
  });

  it("sets PORT0…, PORT_<NAME>, PORTS, PORT and HOST (the agent's address)", function () {
    const app = host({ portDefinitions: [{ port: 0, name: "http-api" }, { port: 0 }] });
    assert.deepEqual(hostTaskEnv(app, "host", { agent: "agent-1", ports: [1025, 1026] }, "172.16.0.2"), {
      HOST: "172.16.0.2", PORT0: "1025", PORT_HTTP_API: "1025", PORT1: "1026", PORT: "1025", PORTS: "1025,1026",
    });
  });
});

describe("the agents' host network (core/local/agents)", function () {
  it("agents take the lowest free addresses of the first half after the gateway, and keep theirs", function () {
    const first = planAgentAddresses("172.16.0.0/24", ["a", "b", "c"]);
    assert.deepEqual(first, { ok: true, addresses: { a: "172.16.0.2", b: "172.16.0.3", c: "172.16.0.4" } });
    assert.ok(first.ok);
    const later = planAgentAddresses("172.16.0.0/24", ["c", "d"], first.addresses);
    assert.deepEqual(later, { ok: true, addresses: { c: "172.16.0.4", d: "172.16.0.2" } });
    const full = planAgentAddresses("172.16.0.0/28", ["a", "b", "c", "d", "e", "f", "g"]);
    assert.deepEqual(full, { ok: false, reason: "No free agent addresses in the host network's agent half 172.16.0.0/29: 7 agents, room for 6" });
  });

  it("the host subnet is checked on its own and against the overlays and VTEP subnets", function () {
    assert.equal(validateHostSubnet("172.16.0.0/24"), undefined);
    assert.equal(validateHostSubnet("172.16.0.1/24"), "172.16.0.1/24 has host bits set; did you mean 172.16.0.0/24?");
    assert.equal(validateHostSubnet("fd00::/64"), "the host network subnet must be IPv4");
    assert.deepEqual(hostSubnetOverlaps("9.10.3.0/24", [{ name: "'dcos-1'", subnet: "9.10.0.0/16" }], "cluster.hostSubnet"), [
      { property: "cluster.hostSubnet", reason: "Found overlapping address spaces: the host network 9.10.3.0/24 overlaps 'dcos-1' \"9.10.0.0/16\"" },
    ]);
    const parsed = parseStackConfig({ cluster: { hostSubnet: "9.10.0.0/24" }, networks: [{ name: "dcos-1", subnet: "9.10.0.0/16", prefix: 24 }] });
    assert.ok(!parsed.ok);
    assert.deepEqual(parsed.failures, [
      { property: "dcos-vnet:cluster.hostSubnet", reason: "Found overlapping address spaces: the host network 9.10.0.0/24 overlaps 'dcos-1' \"9.10.0.0/16\"" },
    ]);
    const vtep = parseStackConfig({ cluster: { hostSubnet: "44.128.0.0/24" }, networks: [{ name: "dcos-1", subnet: "9.10.0.0/16", prefix: 24 }] });
    assert.ok(!vtep.ok);
    assert.equal(vtep.failures.length, 1);
    assert.match(vtep.failures[0].reason, /the host network 44\.128\.0\.0\/24 overlaps .*44\.128\.0\.0\/20/);
    const dflt = parseStackConfig({ networks: [{ name: "dcos-1", subnet: "9.10.0.0/16", prefix: 24 }] });
    assert.ok(dflt.ok);
    assert.equal(dflt.value.cluster.hostSubnet, "172.16.0.0/24");
  });

  it("a MarathonApp's check plans its instances on the agents it is given, and fails at preview when none can hold it", function () {
    const news = (taken: Record<string, Record<string, string>>) => ({
      app: { id: "/b", cmd: "sleep 1", networks: [{ mode: "host" }], requirePorts: true, portDefinitions: [{ port: 80 }] },
      networks: {}, owner: { project: "p", stack: "s" }, target: "local",
      hostAgents: ["agent-1"], hostNetwork: { dockerNetwork: "s-host", subnet: "172.16.0.0/24", agents: { "agent-1": { ip: "172.16.0.2", container: "s.agent.agent-1" } } },
      hostPortsTaken: taken,
    });
    const free = checkMarathonApp(news({}), () => false);
    assert.deepEqual(free.failures, []);
    assert.deepEqual(free.inputs.hostPlan, [{ agent: "agent-1", ports: [80] }]);
    assert.equal(free.inputs.network, "host");
    assert.equal((free.inputs as any).hostPortsTaken, undefined, "other apps' ports are not kept in this app's state");
    const held = checkMarathonApp(news({ "agent-1": { "80": "/a" } }), () => false);
    assert.deepEqual(held.failures, [{
      property: "app.portDefinitions[0].port",
      reason: "no agent can hold instance 1 of 1 of /b: it needs host ports [80] on one agent (agent-1: port 80 is held by /a)",
    }]);
  });
});
