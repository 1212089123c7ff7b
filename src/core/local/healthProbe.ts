// Marathon health checks as the local cluster runs them: which checks it can run (refused at
// preview otherwise, naming the field), and the probe each becomes. Pure: the Docker backend
// (src/backends/docker/healthChecks.ts) turns a HealthPlan into the container's HEALTHCHECK.
//
// Why Docker's own HEALTHCHECK: it runs inside the engine, in the task's network namespace, as
// Mesos runs MESOS_* checks on an agent — the provider process usually cannot reach container
// addresses (the tests' engine lives in its own network namespace; a remote engine is elsewhere).
// Its schedule is Marathon's: interval, timeout, retries = maxConsecutiveFailures, start period =
// gracePeriodSeconds (failures ignored until then, or until the first success). And it keeps
// running after `up`, so `read` sees an instance that turned unhealthy from the container list
// alone. HTTP and TCP probes use a static busybox (`wget`, `nc`) mounted read-only into the
// container from a volume, so they work whatever the app's image contains; COMMAND runs the
// app's own shell, as Marathon runs it inside the task.
import { Failure } from "../common/failure";
import { CanonicalApp, HealthCheck, HealthCheckProtocol } from "../marathon/types";
import { localHealthTimingFailures } from "./healthTimings";

/** Where the probe tools (a static busybox and its applet links) are mounted in an instance. */
export const PROBE_TOOLS_DIR = "/.dcos-vnet-probe";

/** Stands for the instance's own address in a probe; the backend puts the chosen address in. */
export const INSTANCE_IP = "{{instance-ip}}";

/** Marathon's defaults (AppDefinition.json, Marathon docs). */
export const HEALTH_DEFAULTS = {
  protocol: "HTTP" as HealthCheckProtocol,
  path: "/",
  gracePeriodSeconds: 300,
  intervalSeconds: 60,
  timeoutSeconds: 20,
  maxConsecutiveFailures: 3,
  delaySeconds: 15,
};

const LOCAL_PROTOCOLS: readonly HealthCheckProtocol[] = ["MESOS_HTTP", "MESOS_TCP", "HTTP", "TCP", "COMMAND"];

export interface HealthPlan {
  /** Position in `healthChecks`, for messages. */
  index: number;
  protocol: HealthCheckProtocol;
  /** What is probed, for messages: "MESOS_HTTP port 8080 path /health", "COMMAND `test -f /ok`". */
  describe: string;
  /** Docker HEALTHCHECK test (["CMD", …] or ["CMD-SHELL", …]); may contain INSTANCE_IP. */
  test: string[];
  /** Whether the probe tools must be mounted into the instance. */
  needsTools: boolean;
  intervalSeconds: number;
  timeoutSeconds: number;
  gracePeriodSeconds: number;
  /** Failures before this many seconds after the start do not count: Docker's start period. */
  startPeriodSeconds: number;
  /** Consecutive failures (after the grace period) that make an instance unhealthy; at least 1. */
  retries: number;
}

/** Docker's HEALTHCHECK config (Engine API `Healthcheck`, durations in nanoseconds). */
export interface DockerHealthConfig {
  Test: string[];
  Interval: number;
  Timeout: number;
  Retries: number;
  StartPeriod: number;
}

const isHttp = (p: HealthCheckProtocol) => p === "HTTP" || p === "MESOS_HTTP" || p === "HTTPS" || p === "MESOS_HTTPS";
const probesPort = (hc: HealthCheck) => hc.command === undefined && (hc.protocol ?? HEALTH_DEFAULTS.protocol) !== "COMMAND";

/**
 * The port a check probes: `port`, else the port mapping at `portIndex` (0 by default), as the
 * instance's environment gives it to the app (PORT<i>: hostPort, else containerPort).
 */
function checkPort(app: CanonicalApp, hc: HealthCheck): number | undefined {
  if (hc.port !== undefined && hc.port > 0) return hc.port;
  const m = app.container?.portMappings?.[hc.portIndex ?? 0];
  return m ? m.hostPort || m.containerPort || m.servicePort || undefined : undefined;
}

/** Whether a port check has a port: `port`, or a port at `portIndex` (a host-mode app's portDefinitions, else its portMappings). */
function hasCheckPort(app: CanonicalApp, hc: HealthCheck): boolean {
  if (hc.port !== undefined) return hc.port > 0;
  const hostMode = app.networks.some((n) => n.mode === "host");
  if (hostMode) return app.portDefinitions[hc.portIndex ?? 0] !== undefined; // port 0 = assigned per task
  const m = app.container?.portMappings?.[hc.portIndex ?? 0];
  const bridge = app.networks.some((n) => n.mode === "container/bridge");
  return m !== undefined && (bridge || checkPort(app, hc) !== undefined); // bridge: hostPort 0 is assigned per task
}

/** Where a probe goes: the address (or INSTANCE_IP) and port. Host and bridge tasks give their own (hostHealth.ts). */
export type ProbeTarget = (hc: HealthCheck, protocol: HealthCheckProtocol) => { host: string; port: number | undefined };

/** Container networks: MESOS_* checks on localhost inside the task, legacy ones at the task's address; port as checkPort. */
const containerTarget = (app: CanonicalApp): ProbeTarget => (hc, protocol) => ({
  // MESOS_* checks run inside the task's namespace against localhost; Marathon's own (legacy)
  // HTTP/TCP checks come from outside, to the task's address on its network.
  host: protocol.startsWith("MESOS_") ? "127.0.0.1" : INSTANCE_IP,
  port: checkPort(app, hc),
});

/**
 * What the local cluster cannot run, as failures under `app.` (empty when every check can run).
 * Called by MarathonApp's check for the local target, after Marathon's own rules passed.
 */
export function localHealthCheckFailures(app: CanonicalApp): Failure[] {
  const checks = app.healthChecks ?? [];
  const failures: Failure[] = [];
  if (checks.length > 1) {
    failures.push({
      property: "healthChecks",
      reason: `the local cluster runs one health check per app (Docker keeps one HEALTHCHECK per container); this app has ${checks.length}`,
    });
  }
  checks.forEach((hc, i) => {
    const at = (k: string) => `healthChecks[${i}]${k ? `.${k}` : ""}`;
    const protocol = hc.protocol ?? HEALTH_DEFAULTS.protocol;
    if (!LOCAL_PROTOCOLS.includes(protocol)) {
      failures.push({
        property: at("protocol"),
        reason: `the local cluster does not run ${protocol} health checks (its probe has no TLS client it can vouch for); use MESOS_HTTP, HTTP, MESOS_TCP, TCP or COMMAND locally`,
      });
      return;
    }
    if (protocol === "COMMAND" && hc.command?.value === undefined) {
      failures.push({ property: at("command"), reason: 'a COMMAND health check needs a command: {"value": "<shell command>"}' });
    }
    if (protocol !== "COMMAND" && hc.command !== undefined) {
      failures.push({ property: at("command"), reason: `a ${protocol} health check takes no command; only COMMAND checks run one` });
    }
    failures.push(...localHealthTimingFailures(hc, at, HEALTH_DEFAULTS));
    if (hc.ipProtocol === "IPv6") {
      failures.push({ property: at("ipProtocol"), reason: "the local cluster's instances have IPv4 addresses only; use IPv4" });
    }
    if (probesPort(hc) && !hasCheckPort(app, hc)) {
      const hostMode = app.networks.some((n) => n.mode === "host");
      const what = hc.port !== undefined ? "port 0 is not a port to probe" : `there is no ${hostMode ? "port definition" : "port mapping"} at portIndex ${hc.portIndex ?? 0}`;
      failures.push({
        property: at(hc.port !== undefined ? "port" : "portIndex"),
        reason: `the ${protocol} health check has no port to probe: ${what}; give the check a port, or the app ${hostMode ? "a portDefinition" : "a portMapping with a containerPort"}`,
      });
    }
  });
  return failures;
}

/** The app's health check as a probe, or undefined when it declares none. Assumes localHealthCheckFailures found nothing. */
export function healthPlanFor(app: CanonicalApp, target: ProbeTarget = containerTarget(app)): HealthPlan | undefined {
  const hc = app.healthChecks?.[0];
  if (!hc) return undefined;
  const protocol = hc.protocol ?? HEALTH_DEFAULTS.protocol;
  const tool = (name: string) => `${PROBE_TOOLS_DIR}/${name}`;
  const { host, port } = target(hc, protocol);
  let test: string[];
  let describe: string;
  if (protocol === "COMMAND") {
    test = ["CMD-SHELL", hc.command?.value ?? "false"];
    describe = `COMMAND \`${hc.command?.value}\``;
  } else if (isHttp(protocol)) {
    const path = hc.path ?? HEALTH_DEFAULTS.path;
    // busybox wget exits non-zero on a 4xx/5xx answer or no answer (it follows redirects). Debian's
    // static build has no -T (it crashed before setup's fix, and is ignored now), so Docker's
    // timeout bounds it instead.
    test = ["CMD", tool("wget"), "-q", "-O", "/dev/null", `http://${host}:${port}${path.startsWith("/") ? "" : "/"}${path}`];
    describe = `${protocol} port ${port} path ${path}`;
  } else {
    // busybox nc: connect (bounded), then run `true` and close; non-zero when the connection fails.
    const timeout = String(Math.max(1, hc.timeoutSeconds ?? HEALTH_DEFAULTS.timeoutSeconds));
    test = ["CMD", tool("nc"), "-w", timeout, host, String(port), "-e", tool("true")];
    describe = `${protocol} port ${port}`;
  }
  const grace = hc.gracePeriodSeconds ?? HEALTH_DEFAULTS.gracePeriodSeconds;
  return {
    index: 0,
    protocol,
    describe,
    test,
    needsTools: protocol !== "COMMAND",
    // Docker reads 0 as "its default" (30 s): Marathon's 0 is as often as possible, so 1 s.
    intervalSeconds: Math.max(1, hc.intervalSeconds ?? HEALTH_DEFAULTS.intervalSeconds),
    timeoutSeconds: Math.max(1, hc.timeoutSeconds ?? HEALTH_DEFAULTS.timeoutSeconds),
    gracePeriodSeconds: grace,
    // Mesos starts MESOS_* probes delaySeconds after launch: failures before then cannot count.
    // (Docker may probe earlier, so an instance can turn healthy sooner than on DC/OS, never later.)
    startPeriodSeconds: Math.max(grace, protocol.startsWith("MESOS_") ? hc.delaySeconds ?? HEALTH_DEFAULTS.delaySeconds : 0),
    // Marathon's 0 means "never kill"; the instance still shows unhealthy on a failure.
    retries: Math.max(1, hc.maxConsecutiveFailures ?? HEALTH_DEFAULTS.maxConsecutiveFailures),
  };
}

const NS = 1e9;

/** When failures start to count, for messages: "its 10 s grace period", or with delaySeconds the longer wait. */
export function startPeriodText(plan: HealthPlan): string {
  return plan.startPeriodSeconds === plan.gracePeriodSeconds
    ? `its ${plan.gracePeriodSeconds} s grace period`
    : `its first ${plan.startPeriodSeconds} s (gracePeriodSeconds ${plan.gracePeriodSeconds}, delaySeconds ${plan.startPeriodSeconds})`;
}

/** The container's HEALTHCHECK for an instance at `ip`. */
export function dockerHealthConfig(plan: HealthPlan, ip: string): DockerHealthConfig {
  return {
    Test: plan.test.map((arg) => arg.split(INSTANCE_IP).join(ip)),
    Interval: plan.intervalSeconds * NS,
    Timeout: plan.timeoutSeconds * NS,
    Retries: plan.retries,
    StartPeriod: plan.startPeriodSeconds * NS,
  };
}

/**
 * How long to wait for a new instance to settle: healthy, or unhealthy after its grace period and
 * `retries` failed probes. Docker probes first one interval after the start; each probe takes up
 * to its timeout; `slackSeconds` covers a slow engine. A bound, never an expectation.
 */
export function settleBoundSeconds(plan: HealthPlan, slackSeconds = 30): number {
  const probe = plan.intervalSeconds + plan.timeoutSeconds;
  return plan.startPeriodSeconds + (plan.retries + 1) * probe + slackSeconds;
}
