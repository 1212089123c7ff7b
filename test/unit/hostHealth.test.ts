// Where a host- or bridge-mode task's health check probes (Marathon's effectivePort and
// effectiveIpAddress): MESOS_* checks on localhost, on the host port (host mode) or the
// containerPort (bridge); legacy HTTP/TCP at agent-ip:hostPort; `port` as given. And what
// MarathonApp's check says of a host-mode check's portIndex (it addresses portDefinitions).
import { strict as assert } from "assert";
import { checkMarathonApp, resolveApp } from "../../src/core/marathon/appInputs";
import { hostHealthPlanFor } from "../../src/core/local/hostHealth";

const HOST_NETWORK = {
  dockerNetwork: "s-host", subnet: "172.16.0.0/24",
  agents: { "agent-1": { ip: "172.16.0.2", container: "s.agent.agent-1" } },
};

function check(app: Record<string, unknown>) {
  return checkMarathonApp(
    { app: { id: "/h", cmd: "sleep 1", ...app }, networks: {}, owner: { project: "p", stack: "s" }, target: "local", hostAgents: ["agent-1"], hostNetwork: HOST_NETWORK, hostPortsTaken: {} },
    () => false,
  );
}

const hostApp = (hc: Record<string, unknown>, portDefinitions: unknown[] = [{ port: 0 }, { port: 0 }]) => ({ networks: [{ mode: "host" }], portDefinitions, healthChecks: [hc] });
const bridgeApp = (hc: Record<string, unknown>) => ({
  networks: [{ mode: "container/bridge" }],
  container: { type: "DOCKER", docker: { image: "busybox" }, portMappings: [{ containerPort: 80, hostPort: 0 }, { containerPort: 0, hostPort: 0 }] },
  healthChecks: [hc],
});

function planFor(app: Record<string, unknown>, mode: "host" | "bridge") {
  const { inputs, failures } = check(app);
  assert.deepEqual(failures, []);
  const slot = { agent: "agent-1", ports: [31001, 31002] };
  return hostHealthPlanFor(resolveApp(inputs).canonical, mode, slot, "172.16.0.2")!;
}
const url = (test: string[]) => test.find((a) => a.startsWith("http://"));

describe("health checks of host- and bridge-mode tasks: where they probe", function () {
  it("host mode, MESOS_HTTP: localhost (the agent's namespace) on the host port at portIndex", function () {
    const plan = planFor(hostApp({ protocol: "MESOS_HTTP", path: "/health", portIndex: 1 }), "host");
    assert.equal(url(plan.test), "http://127.0.0.1:31002/health");
    assert.equal(plan.describe, "MESOS_HTTP port 31002 path /health");
  });

  it("host mode, legacy HTTP and TCP: the agent's address and the host port", function () {
    assert.equal(url(planFor(hostApp({ protocol: "HTTP" }), "host").test), "http://172.16.0.2:31001/");
    const tcp = planFor(hostApp({ protocol: "TCP", portIndex: 1 }), "host").test;
    assert.deepEqual(tcp.slice(2, 6), ["-w", "20", "172.16.0.2", "31002"]);
  });

  it("bridge mode, MESOS_HTTP and MESOS_TCP: localhost in the task on the containerPort (the host port when containerPort is 0)", function () {
    assert.equal(url(planFor(bridgeApp({ protocol: "MESOS_HTTP" }), "bridge").test), "http://127.0.0.1:80/");
    assert.deepEqual(planFor(bridgeApp({ protocol: "MESOS_TCP", portIndex: 1 }), "bridge").test.slice(4, 6), ["127.0.0.1", "31002"]);
  });

  it("bridge mode, legacy HTTP: agent-ip:hostPort (what Marathon's own checker reaches)", function () {
    assert.equal(url(planFor(bridgeApp({ protocol: "HTTP", path: "/ok" }), "bridge").test), "http://172.16.0.2:31001/ok");
  });

  it("`port` is probed as given; COMMAND runs in the task", function () {
    assert.equal(url(planFor(hostApp({ protocol: "MESOS_HTTP", port: 9000 }), "host").test), "http://127.0.0.1:9000/");
    assert.equal(url(planFor(bridgeApp({ protocol: "HTTP", port: 9000 }), "bridge").test), "http://172.16.0.2:9000/");
    const cmd = planFor(hostApp({ protocol: "COMMAND", command: { value: "test -f /ok" } }), "host");
    assert.deepEqual(cmd.test, ["CMD-SHELL", "test -f /ok"]);
    assert.equal(cmd.needsTools, false);
  });

  it("a host-mode check's portIndex addresses portDefinitions: accepted within them, refused past them naming portIndex", function () {
    assert.deepEqual(check(hostApp({ protocol: "MESOS_HTTP", portIndex: 1 })).failures, []);
    const failures = check(hostApp({ protocol: "MESOS_TCP", portIndex: 0 }, [])).failures;
    assert.ok(failures.some((f) => f.property === "app.healthChecks[0].portIndex"), JSON.stringify(failures));
  });
});
