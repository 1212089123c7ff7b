// A pod container's `healthCheck` as the local cluster runs it: the Docker HEALTHCHECK of that
// container (the pod instance's member container). Pure: the Docker backend
// (backends/docker/podHealth.ts) waits for it.
//
// Marathon has Mesos run pod health checks inside the pod's network namespace, which the
// containers share with their holder here: an `http` or `tcp` check goes to 127.0.0.1 on its
// endpoint's containerPort (its host port when it has no containerPort: a host-mode pod, whose
// holder is in the agent's namespace; an assigned one, hostPort 0, is the instance's), an `exec`
// check runs in the container. The schedule is as for an app's MESOS_* check
// (healthProbe.ts): failures count after the longer of gracePeriodSeconds and delaySeconds.
import { Failure } from "../common/failure";
import { PodContainer, PodDefinition } from "../marathon/podTypes";
import { HEALTH_DEFAULTS, HealthPlan, PROBE_TOOLS_DIR } from "./healthProbe";
import { localHealthTimingFailures } from "./healthTimings";
import { podEndpoints } from "./hostPods";

interface PodHealthCheck {
  http?: { endpoint: string; path?: string; scheme?: string };
  tcp?: { endpoint: string };
  exec?: { command: { shell: string } | { argv: string[] } };
  gracePeriodSeconds?: number;
  intervalSeconds?: number;
  timeoutSeconds?: number;
  maxConsecutiveFailures?: number;
  delaySeconds?: number;
}

/** A pod container's check as a probe, with the field that declares it (for messages). */
export interface PodHealthPlan extends HealthPlan {
  /** "containers[1].healthCheck". */
  field: string;
}

/** Endpoint name → the host port an instance was given (its slot's ports, in podEndpoints order). */
export type AssignedPorts = Record<string, number>;

/** The host ports an instance on agent ports `ports` has for the pod's endpoints, by endpoint name. */
export function assignedEndpointPorts(pod: PodDefinition, ports: number[]): AssignedPorts {
  return Object.fromEntries(podEndpoints(pod).flatMap(({ endpoint }, k) => (ports[k] !== undefined ? [[endpoint.name, ports[k]]] : [])));
}

function endpointPort(c: PodContainer, name: string, assigned: AssignedPorts = {}): number | undefined {
  const ep = (c.endpoints ?? []).find((e) => e.name === name);
  return ep ? ep.containerPort || assigned[name] || ep.hostPort || undefined : undefined;
}

/** What the local cluster cannot run of the pod's health checks, as failures under `pod.` (after validatePod passed). */
export function localPodHealthFailures(pod: PodDefinition): Failure[] {
  const failures: Failure[] = [];
  pod.containers.forEach((c, i) => {
    const hc = c.healthCheck as PodHealthCheck | undefined;
    if (!hc) return;
    const at = `pod.containers[${i}].healthCheck`;
    if (hc.http?.scheme !== undefined && hc.http.scheme !== "HTTP") {
      failures.push({ property: `${at}.http.scheme`, reason: `the local cluster does not run ${hc.http.scheme} health checks (its probe has no TLS client it can vouch for); use HTTP, tcp or exec locally` });
    }
    failures.push(...localHealthTimingFailures(hc, (k) => `${at}.${k}`, HEALTH_DEFAULTS));
    for (const kind of ["http", "tcp"] as const) {
      const check = hc[kind];
      const ep = check ? (c.endpoints ?? []).find((e) => e.name === check.endpoint) : undefined;
      if (check && !ep?.containerPort && ep?.hostPort === undefined) {
        failures.push({ property: `${at}.${kind}.endpoint`, reason: `endpoint ${check.endpoint} has no containerPort or hostPort for the local cluster to probe` });
      }
    }
  });
  return failures;
}

/**
 * Each pod container's check as a probe, by container name (containers without one are left out),
 * for an instance given `assigned` host ports (a pod on the agents; none for one on the overlay).
 */
export function podHealthPlans(pod: PodDefinition, assigned: AssignedPorts = {}): Record<string, PodHealthPlan> {
  const plans: Record<string, PodHealthPlan> = {};
  const tool = (name: string) => `${PROBE_TOOLS_DIR}/${name}`;
  pod.containers.forEach((c, i) => {
    const hc = c.healthCheck as PodHealthCheck | undefined;
    if (!hc) return;
    let test: string[];
    let describe: string;
    const timeout = Math.max(1, hc.timeoutSeconds ?? HEALTH_DEFAULTS.timeoutSeconds);
    if (hc.http) {
      const port = endpointPort(c, hc.http.endpoint, assigned);
      const given = hc.http.path ?? HEALTH_DEFAULTS.path;
      const path = given.startsWith("/") ? given : `/${given}`;
      test = ["CMD", tool("wget"), "-q", "-O", "/dev/null", `http://127.0.0.1:${port}${path}`];
      describe = `http endpoint ${hc.http.endpoint} port ${port} path ${path}`;
    } else if (hc.tcp) {
      const port = endpointPort(c, hc.tcp.endpoint, assigned);
      test = ["CMD", tool("nc"), "-w", String(timeout), "127.0.0.1", String(port), "-e", tool("true")];
      describe = `tcp endpoint ${hc.tcp.endpoint} port ${port}`;
    } else {
      const command = hc.exec?.command;
      const shell = command && "shell" in command;
      test = shell ? ["CMD-SHELL", command.shell] : ["CMD", ...((command as { argv: string[] } | undefined)?.argv ?? ["false"])];
      describe = `exec \`${shell ? command.shell : test.slice(1).join(" ")}\``;
    }
    const grace = hc.gracePeriodSeconds ?? HEALTH_DEFAULTS.gracePeriodSeconds;
    plans[c.name] = {
      index: 0,
      field: `containers[${i}].healthCheck`,
      protocol: hc.http ? "MESOS_HTTP" : hc.tcp ? "MESOS_TCP" : "COMMAND",
      describe,
      test,
      needsTools: hc.exec === undefined,
      intervalSeconds: Math.max(1, hc.intervalSeconds ?? HEALTH_DEFAULTS.intervalSeconds),
      timeoutSeconds: timeout,
      gracePeriodSeconds: grace,
      startPeriodSeconds: Math.max(grace, hc.delaySeconds ?? HEALTH_DEFAULTS.delaySeconds),
      retries: Math.max(1, hc.maxConsecutiveFailures ?? HEALTH_DEFAULTS.maxConsecutiveFailures),
    };
  });
  return plans;
}
