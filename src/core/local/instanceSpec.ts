// How one Marathon app instance looks as a container on the local cluster: its name, image,
// command, environment (what Marathon would set), and which half of its agent's block its address
// comes from. Docker-engine apps take the Docker half (the `d-<name>` bridge on a DC/OS agent);
// Mesos-containerizer apps (`type: MESOS`, or no container at all) take the Mesos half (`m-<name>`),
// so both kinds share the fabric exactly as on DC/OS.
import { CanonicalApp } from "../marathon/types";
import type { ResolvedApp } from "../marathon/appInputs";
import { AgentSubnet } from "../ipam/agentSubnets";

export type Half = "docker" | "mesos";

/** Image for apps that name none (Mesos containerizer with a plain command). */
export const DEFAULT_IMAGE = "busybox";

export function halfFor(app: CanonicalApp): Half {
  return app.container?.type === "DOCKER" ? "docker" : "mesos";
}

/** The agent's half an app's instances take addresses from (undefined if the allocation given lacks it). */
export function halfRange(subnet: Partial<AgentSubnet>, half: Half): string | undefined {
  return half === "docker" ? subnet.docker : subnet.mesos;
}

export function imageFor(app: CanonicalApp): string {
  return app.container?.docker?.image ?? DEFAULT_IMAGE;
}

/** Marathon runs `cmd` through `/bin/sh -c`; `args` go to the image's entrypoint. */
export function commandFor(app: CanonicalApp): string[] | undefined {
  if (app.cmd !== undefined) return ["/bin/sh", "-c", app.cmd];
  return app.args;
}

/**
 * Container names are unique per engine, so they carry the stack: `<stack>.<app path>.<index>`
 * (`dev.mygroup.web.0`), within Docker's `[a-zA-Z0-9][a-zA-Z0-9_.-]*`.
 */
export function containerName(stack: string, appId: string, index: number): string {
  const path = appId.replace(/^\//, "").split("/").join(".");
  return `${stack}.${path}.${index}`.replace(/[^a-zA-Z0-9_.-]/g, "-");
}

/** Marathon's task id form: app path with `.` for `/`, then the instance. */
export function taskId(appId: string, container: string): string {
  return `${appId.replace(/^\//, "").split("/").join(".")}.instance-${container}`;
}

/**
 * The environment Marathon gives a task: the app's env, MARATHON_APP_ID, MESOS_TASK_ID, HOST, and
 * for each port mapping PORT<i> / PORT_<NAME> (container networking without host ports: the
 * container port) plus PORTS.
 */
export function instanceEnv(
  app: CanonicalApp,
  opts: { agent: string; container: string; plainEnv: Record<string, string> },
): Record<string, string> {
  const env: Record<string, string> = { ...opts.plainEnv };
  env.MARATHON_APP_ID = app.id;
  env.MESOS_TASK_ID = taskId(app.id, opts.container);
  env.HOST = opts.agent;
  const ports = (app.container?.portMappings ?? []).map((m) => m.hostPort || m.containerPort || m.servicePort);
  ports.forEach((port, i) => {
    env[`PORT${i}`] = String(port);
    const name = app.container?.portMappings[i].name;
    if (name) env[`PORT_${name.toUpperCase().replace(/-/g, "_")}`] = String(port);
  });
  if (ports.length > 0) {
    env.PORT = String(ports[0]);
    env.PORTS = ports.join(",");
  }
  return env;
}

/** The app's env with Marathon secret references resolved from the stack's secrets (host tasks and instances alike). */
export function resolvedEnv(inputs: Pick<ResolvedApp, "canonical" | "app" | "secretEnv">): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(inputs.canonical.env)) {
    env[key] = typeof value === "string" ? value : inputs.secretEnv?.[inputs.app.secrets?.[value.secret]?.source ?? ""] ?? "";
  }
  return env;
}
