// A pod container's healthCheck as the local cluster runs it: the member container's HEALTHCHECK
// (http/tcp on localhost at the endpoint's containerPort, exec inside; Marathon's schedule), and
// what MarathonPod's check refuses (https, an endpoint without a port to probe), naming the field.
import { strict as assert } from "assert";
import { checkMarathonPod } from "../../src/core/marathon/podInputs";
import { PROBE_TOOLS_DIR } from "../../src/core/local/healthProbe";
import { assignedEndpointPorts, localPodHealthFailures, podHealthPlans } from "../../src/core/local/podHealth";
import { PodDefinition } from "../../src/core/marathon/podTypes";

const NET = "ph-net";
const pod = (containers: Record<string, unknown>[]) => ({
  id: "/p", scaling: { kind: "fixed", instances: 1 }, networks: [{ mode: "container", name: NET }],
  containers: containers.map((c, i) => ({ name: `c${i}`, resources: { cpus: 0.1, mem: 16 }, exec: { command: { shell: "sleep 9" } }, ...c })),
});
const web = (healthCheck: Record<string, unknown>, base = 8080, tag = "") => ({ endpoints: [{ name: `http${tag}`, containerPort: base }, { name: `admin${tag}`, containerPort: base + 1 }], healthCheck });

function check(p: unknown) {
  const networks = { [NET]: { dockerNetwork: NET, agentSubnets: { "agent-1": { block: "9.1.0.0/24", mesos: "9.1.0.0/25", docker: "9.1.0.128/25" } } } };
  return checkMarathonPod({ pod: p, networks, owner: { project: "p", stack: "s" } }, () => false).failures;
}

describe("pod containers' health checks on the local cluster", function () {
  it("http: wget of localhost on the endpoint's containerPort and path; tcp: nc to localhost on the endpoint's port", function () {
    const p = pod([web({ http: { endpoint: "admin", path: "health" } }, 9089), web({ tcp: { endpoint: "http2" } }, 8080, "2"), {}]);
    assert.deepEqual(check(p), []);
    const plans = podHealthPlans(p as PodDefinition);
    assert.deepEqual(Object.keys(plans), ["c0", "c1"], "containers without a check have no plan");
    assert.deepEqual(plans.c0.test, ["CMD", `${PROBE_TOOLS_DIR}/wget`, "-q", "-O", "/dev/null", "http://127.0.0.1:9090/health"]);
    assert.equal(plans.c0.field, "containers[0].healthCheck");
    assert.equal(plans.c0.describe, "http endpoint admin port 9090 path /health");
    assert.equal(plans.c1.describe, "tcp endpoint http2 port 8080");
    assert.deepEqual(plans.c1.test, ["CMD", `${PROBE_TOOLS_DIR}/nc`, "-w", "20", "127.0.0.1", "8080", "-e", `${PROBE_TOOLS_DIR}/true`]);
    assert.ok(plans.c0.needsTools && plans.c1.needsTools);
  });

  it("a host-mode pod: the endpoint's host port on localhost (the agent's namespace), the instance's own when assigned (hostPort 0)", function () {
    const p = {
      id: "/hp", scaling: { kind: "fixed", instances: 1 }, networks: [{ mode: "host" }],
      containers: [
        { name: "a", resources: { cpus: 0.1, mem: 16 }, exec: { command: { shell: "sleep 9" } }, endpoints: [{ name: "fixed", hostPort: 7100 }], healthCheck: { tcp: { endpoint: "fixed" } } },
        { name: "b", resources: { cpus: 0.1, mem: 16 }, exec: { command: { shell: "sleep 9" } }, endpoints: [{ name: "web", hostPort: 0 }], healthCheck: { http: { endpoint: "web", path: "/h" } } },
      ],
    } as unknown as PodDefinition;
    assert.deepEqual(localPodHealthFailures(p), []);
    const plans = podHealthPlans(p, assignedEndpointPorts(p, [7100, 1025]));
    assert.deepEqual(plans.a.test.slice(4, 6), ["127.0.0.1", "7100"]);
    assert.equal(plans.b.test[5], "http://127.0.0.1:1025/h");
  });

  it("exec: the shell command or argv inside the container, without the probe tools", function () {
    const plans = podHealthPlans(pod([{ healthCheck: { exec: { command: { shell: "test -f /ok" } } } }, { healthCheck: { exec: { command: { argv: ["/bin/true", "x"] } } } }]) as PodDefinition);
    assert.deepEqual(plans.c0.test, ["CMD-SHELL", "test -f /ok"]);
    assert.deepEqual(plans.c1.test, ["CMD", "/bin/true", "x"]);
    assert.equal(plans.c0.needsTools, false);
  });

  it("Marathon's schedule: defaults 300/60/20/3 and delaySeconds 15; failures count after the longer of grace and delay", function () {
    const dflt = podHealthPlans(pod([web({ http: { endpoint: "http" } })]) as PodDefinition).c0;
    assert.deepEqual(
      [dflt.gracePeriodSeconds, dflt.intervalSeconds, dflt.timeoutSeconds, dflt.retries, dflt.startPeriodSeconds],
      [300, 60, 20, 3, 300],
    );
    const quick = podHealthPlans(pod([web({ http: { endpoint: "http" }, gracePeriodSeconds: 0, intervalSeconds: 2, timeoutSeconds: 1, maxConsecutiveFailures: 0 })]) as PodDefinition).c0;
    assert.deepEqual([quick.startPeriodSeconds, quick.intervalSeconds, quick.timeoutSeconds, quick.retries], [15, 2, 1, 1]);
  });

  it("refuses at preview an HTTPS check and an endpoint with no port to probe, naming the field", function () {
    assert.deepEqual(check(pod([web({ http: { endpoint: "http", scheme: "HTTPS" } })])).map((f) => f.property), ["pod.containers[0].healthCheck.http.scheme"]);
    // Marathon itself wants a containerPort on container networks and a hostPort on host networks: a definition read past that.
    const noPort = pod([{ endpoints: [{ name: "x" }], healthCheck: { tcp: { endpoint: "x" } } }]);
    assert.deepEqual(localPodHealthFailures(noPort as PodDefinition), [
      { property: "pod.containers[0].healthCheck.tcp.endpoint", reason: "endpoint x has no containerPort or hostPort for the local cluster to probe" },
    ]);
  });

  it("refuses at preview timings beyond a day, and a whole wait beyond a day, which `pulumi up` would wait on; up to a day is accepted", function () {
    const day = 86_400;
    assert.deepEqual(check(pod([web({ http: { endpoint: "http" }, gracePeriodSeconds: day / 2, intervalSeconds: 3600, timeoutSeconds: 3599, delaySeconds: day / 2, maxConsecutiveFailures: 5 })])), []);
    assert.deepEqual(check(pod([web({ http: { endpoint: "http" }, gracePeriodSeconds: day, intervalSeconds: day, timeoutSeconds: day - 1, delaySeconds: day })])), [
      {
        property: "pod.containers[0].healthCheck.maxConsecutiveFailures",
        reason:
          "up waits for a new instance to turn healthy or fail for up to max(gracePeriodSeconds, delaySeconds) + (maxConsecutiveFailures + 1) × " +
          "(intervalSeconds + timeoutSeconds) = 777596 s with these values; on the local cluster that must be at most 86400 (one day)",
      },
    ]);
    assert.deepEqual(check(pod([web({ tcp: { endpoint: "http" }, gracePeriodSeconds: day + 1, intervalSeconds: 2 ** 31 - 1, delaySeconds: 1e9 })])), [
      { property: "pod.containers[0].healthCheck.gracePeriodSeconds", reason: "must be at most 86400 (one day) on the local cluster, whose up waits on health checks; got 86401" },
      { property: "pod.containers[0].healthCheck.intervalSeconds", reason: "must be at most 86400 (one day) on the local cluster, whose up waits on health checks; got 2147483647" },
      { property: "pod.containers[0].healthCheck.delaySeconds", reason: "must be at most 86400 (one day) on the local cluster, whose up waits on health checks; got 1000000000" },
    ]);
  });
});
