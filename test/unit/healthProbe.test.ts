// Health checks as the local cluster plans them: what MarathonApp's check refuses (the field and
// why), and the Docker HEALTHCHECK each Marathon check becomes (probe, host, port, schedule).
import { strict as assert } from "assert";
import { checkApp, NET } from "../support/badApps";
import { resolveApp } from "../../src/core/marathon/appInputs";
import {
  INSTANCE_IP, PROBE_TOOLS_DIR, dockerHealthConfig, healthPlanFor, settleBoundSeconds, startPeriodText,
} from "../../src/core/local/healthProbe";

const web = (healthChecks: unknown[], portMappings: unknown[] = [{ containerPort: 8080, name: "http" }]) => ({
  id: "/web", cmd: "exec httpd -f -p 8080", networks: [{ mode: "container", name: NET }],
  container: { type: "DOCKER", docker: { image: "busybox" }, portMappings },
  healthChecks,
});

function planOf(app: unknown) {
  const { inputs, failures } = checkApp(app);
  assert.deepEqual(failures, []);
  return healthPlanFor(resolveApp(inputs).canonical);
}

describe("health checks on the local cluster: what the check refuses", function () {
  const refused = (app: unknown) => checkApp(app).failures;

  it("HTTPS and MESOS_HTTPS checks, naming the protocol field", function () {
    for (const protocol of ["HTTPS", "MESOS_HTTPS"]) {
      const [f, ...rest] = refused(web([{ protocol, path: "/" }]));
      assert.deepEqual(rest, []);
      assert.equal(f.property, "app.healthChecks[0].protocol");
      assert.match(f.reason, new RegExp(`does not run ${protocol} health checks.*use MESOS_HTTP, HTTP, MESOS_TCP, TCP or COMMAND`));
    }
  });

  it("more than one check per app", function () {
    const failures = refused(web([{ protocol: "MESOS_HTTP" }, { protocol: "MESOS_TCP" }]));
    assert.deepEqual(failures.map((f) => f.property), ["app.healthChecks"]);
    assert.match(failures[0].reason, /one health check per app .* this app has 2/);
  });

  it("a COMMAND check without a command, and a command on a port check", function () {
    assert.deepEqual(refused(web([{ protocol: "COMMAND" }])).map((f) => [f.property, f.reason]), [
      ["app.healthChecks[0].command", 'a COMMAND health check needs a command: {"value": "<shell command>"}'],
    ]);
    assert.deepEqual(refused(web([{ protocol: "MESOS_TCP", command: { value: "true" } }])).map((f) => f.property), ["app.healthChecks[0].command"]);
  });

  it("a port check with no port to probe (no port mapping), naming portIndex", function () {
    const failures = refused(web([{ protocol: "MESOS_TCP" }], []));
    assert.deepEqual(failures.map((f) => f.property), ["app.healthChecks[0].portIndex"]);
    assert.match(failures[0].reason, /MESOS_TCP health check has no port to probe: there is no port mapping at portIndex 0/);
  });

  it("IPv6 probes (local instances have IPv4 addresses only)", function () {
    assert.deepEqual(refused(web([{ protocol: "MESOS_HTTP", ipProtocol: "IPv6" }])).map((f) => f.property), ["app.healthChecks[0].ipProtocol"]);
  });

  it("nothing of this on a DC/OS target: Marathon runs HTTPS checks itself", function () {
    assert.deepEqual(checkApp(web([{ protocol: "MESOS_HTTPS" }, { protocol: "HTTPS" }]), { target: "marathon" }).failures, []);
  });
});

describe("health checks on the local cluster: the probe each check becomes", function () {
  it("MESOS_HTTP probes localhost inside the instance with the mounted wget, on the mapped port and path", function () {
    const plan = planOf(web([{ protocol: "MESOS_HTTP", path: "/health", portIndex: 0 }]))!;
    assert.deepEqual(plan.test, ["CMD", `${PROBE_TOOLS_DIR}/wget`, "-q", "-O", "/dev/null", "http://127.0.0.1:8080/health"]);
    assert.equal(plan.describe, "MESOS_HTTP port 8080 path /health");
    assert.equal(plan.needsTools, true);
  });

  it("legacy HTTP and TCP probe the instance's own address, filled in per instance", function () {
    const http = planOf(web([{ protocol: "HTTP", port: 9000 }]))!;
    assert.equal(http.test[http.test.length - 1], `http://${INSTANCE_IP}:9000/`);
    assert.equal(dockerHealthConfig(http, "9.251.0.130").Test[5], "http://9.251.0.130:9000/");
    const tcp = planOf(web([{ protocol: "TCP", timeoutSeconds: 3 }]))!;
    assert.deepEqual(dockerHealthConfig(tcp, "9.251.0.131").Test, ["CMD", `${PROBE_TOOLS_DIR}/nc`, "-w", "3", "9.251.0.131", "8080", "-e", `${PROBE_TOOLS_DIR}/true`]);
  });

  it("COMMAND runs the app's own shell, with no tools mounted", function () {
    const plan = planOf(web([{ protocol: "COMMAND", command: { value: "test -f /ok" } }]))!;
    assert.deepEqual(plan.test, ["CMD-SHELL", "test -f /ok"]);
    assert.equal(plan.needsTools, false);
    assert.equal(plan.describe, "COMMAND `test -f /ok`");
  });

  it("Marathon's schedule: its defaults, in nanoseconds; grace = start period; maxConsecutiveFailures = retries", function () {
    const plan = planOf(web([{ protocol: "HTTP" }]))!;
    assert.deepEqual(dockerHealthConfig(plan, "9.251.0.130"), {
      Test: plan.test.map((a) => a.replace(INSTANCE_IP, "9.251.0.130")),
      Interval: 60e9, Timeout: 20e9, Retries: 3, StartPeriod: 300e9,
    });
    const fast = planOf(web([{ protocol: "HTTP", intervalSeconds: 1, timeoutSeconds: 2, gracePeriodSeconds: 5, maxConsecutiveFailures: 4 }]))!;
    assert.deepEqual([fast.intervalSeconds, fast.timeoutSeconds, fast.startPeriodSeconds, fast.retries], [1, 2, 5, 4]);
    assert.equal(settleBoundSeconds(fast, 0), 5 + 5 * 3);
  });

  it("0 s intervals and 0 failures are kept meaningful for Docker (1 s, 1), and MESOS_* delaySeconds holds off counting", function () {
    const plan = planOf(web([{ protocol: "MESOS_TCP", intervalSeconds: 0, timeoutSeconds: 0, maxConsecutiveFailures: 0, gracePeriodSeconds: 2, delaySeconds: 7 }]))!;
    assert.deepEqual([plan.intervalSeconds, plan.timeoutSeconds, plan.retries, plan.startPeriodSeconds], [1, 1, 1, 7]);
    assert.equal(startPeriodText(plan), "its first 7 s (gracePeriodSeconds 2, delaySeconds 7)");
    const legacy = planOf(web([{ protocol: "TCP", gracePeriodSeconds: 2, delaySeconds: 7 }]))!;
    assert.equal(legacy.startPeriodSeconds, 2, "delaySeconds applies to Mesos checks only");
    assert.equal(startPeriodText(legacy), "its 2 s grace period");
  });

  it("no health check, no probe", function () {
    assert.equal(planOf(web([])), undefined);
  });
});
