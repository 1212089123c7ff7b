// How the Marathon double stores an app: as Marathon normalises a POSTed/PUT definition and writes it
// back on GET. Written here from Marathon's source, not imported from src/, so that the double checks
// the client rather than agreeing with it. Sources (mesosphere/marathon):
// - AppNormalization.scala@releases/1.5 and @releases/1.10: NetworkTranslation (legacy ipAddress +
//   docker.network → networks), migrateDockerPortMappings (docker.portMappings → container.portMappings),
//   dropDockerNetworks, applyDefaultPortDefinitions (one port, none on a non-host network),
//   forPostValidation (networks default host, requirePorts false off host, unreachableStrategy default),
//   forPreValidation (1.10: role defaults to the configured default role, "*").
// - raml/AppConversion.scala@both, appWriter: what GET shows (constraints as a Set, portDefinitions only
//   on host networking, container.portMappings only off host, upgradeStrategy/unreachableStrategy/
//   killSelection always, `role` only in 1.10, ipAddress/ports/uris never).
// - docs/docs/rest-api/public/api/v2/types/app.raml@both: defaults (maxLaunchDelaySeconds 3600 in 1.5,
//   300 in 1.10; backoffFactor 1.15; backoffSeconds 1; cpus 1; mem 128; disk 0; gpus 0; instances 1;
//   killSelection YOUNGEST_FIRST; requirePorts false); state/UnreachableStrategy.scala@both: 0 s / 0 s;
//   state/UpgradeStrategy.empty: minimumHealthCapacity 1, maximumOverCapacity 1.

export type MarathonVersion = "1.5" | "1.10";

type Json = Record<string, any>;

/** Hands out service ports from Marathon's default local_port range, 10000-20000. */
export class ServicePorts {
  private next = 10000;
  private readonly used = new Set<number>();
  take(): number {
    while (this.used.has(this.next)) this.next++;
    if (this.next > 20000) throw new Error("fake Marathon: service port range 10000-20000 exhausted");
    this.used.add(this.next);
    return this.next++;
  }
  reserve(port: number): void {
    this.used.add(port);
  }
}

/** Thrown for definitions Marathon's normaliser refuses (answered 422 by the double). */
export class NormalizationError extends Error {}

function legacyNetworks(app: Json, dockerNetwork: string | undefined): Json[] | undefined {
  const ip = app.ipAddress as Json | undefined;
  const labels = ip?.labels ? { labels: ip.labels } : {};
  if (ip && app.networks?.length) throw new NormalizationError("cannot mix deprecated and canonical network APIs");
  if (ip && dockerNetwork) {
    if (dockerNetwork === "HOST") return [{ mode: "host" }];
    if (dockerNetwork === "USER") return [{ mode: "container", ...(ip.networkName ? { name: ip.networkName } : {}), ...labels }];
    if (dockerNetwork === "BRIDGE") return [{ mode: "container/bridge", ...labels }];
    throw new NormalizationError(`unsupported docker network type ${dockerNetwork}`);
  }
  if (ip) return [{ mode: "container", ...(ip.networkName ? { name: ip.networkName } : {}), ...labels }];
  if (dockerNetwork) {
    if (app.networks?.length) throw new NormalizationError("cannot mix deprecated and canonical network APIs");
    return [{ mode: dockerNetwork === "HOST" ? "host" : dockerNetwork === "USER" ? "container" : "container/bridge" }];
  }
  return app.networks;
}

/** A definition (as POSTed, or the result of a merge) as Marathon of `version` stores and shows it. */
export function normalizeApp(def: Json, version: MarathonVersion, ports: ServicePorts): Json {
  const app: Json = structuredClone(def);
  const container: Json | undefined = app.container;
  const docker: Json | undefined = container?.docker;
  const networks: Json[] = legacyNetworks(app, docker?.network) ?? [];
  const effective = networks.length ? networks : [{ mode: "host" }];
  const host = effective.some((n) => n.mode === "host");

  let outContainer: Json | undefined = container;
  if (!outContainer && app.ipAddress) outContainer = { type: "MESOS" }; // ipAddress without container: an empty Mesos container
  if (outContainer) {
    outContainer = structuredClone(outContainer);
    const d = outContainer.docker;
    if (d) {
      if (d.portMappings && outContainer.portMappings) throw new NormalizationError("container.portMappings and container.docker.portMappings must not both be set");
      if (d.portMappings) outContainer.portMappings = d.portMappings;
      delete d.portMappings;
      delete d.network;
      d.forcePullImage ??= false;
      d.privileged ??= false;
      d.parameters ??= [];
    }
    const discovery = app.ipAddress?.discovery?.ports as Json[] | undefined;
    if (discovery && !host) {
      if (outContainer.portMappings) throw new NormalizationError("container.portMappings and ipAddress.discovery.ports must not both be set");
      outContainer.portMappings = discovery.map((p) => ({ containerPort: p.number, name: p.name, protocol: p.protocol ?? "tcp", ...(p.labels ? { labels: p.labels } : {}) }));
    }
    outContainer.volumes ??= [];
    if (host) delete outContainer.portMappings;
    else {
      outContainer.portMappings ??= [{ containerPort: 0, name: "default" }];
      const bridge = effective.some((n) => n.mode === "container/bridge");
      outContainer.portMappings = outContainer.portMappings.map((m: Json) => {
        const out: Json = { containerPort: m.containerPort ?? 0, protocol: m.protocol ?? "tcp", ...m };
        if (bridge) out.hostPort ??= 0;
        out.servicePort = m.servicePort ? m.servicePort : ports.take();
        if (m.servicePort) ports.reserve(m.servicePort);
        return out;
      });
    }
  }

  let portDefinitions: Json[] | undefined;
  if (host) {
    const given: Json[] | undefined = app.portDefinitions ?? app.ports?.map((port: number) => ({ port }));
    portDefinitions = (given ?? [{ port: 0, name: "default" }]).map((p) => {
      const port = p.port ? p.port : ports.take();
      if (p.port) ports.reserve(p.port);
      return { protocol: "tcp", ...p, port };
    });
  }

  const healthChecks = ((app.healthChecks ?? []) as Json[]).map((h) =>
    h.port === undefined && h.portIndex === undefined && (h.protocol ?? "HTTP") !== "COMMAND" ? { portIndex: 0, ...h } : h,
  );

  const { ipAddress: _ip, ports: _ports, uris, ...rest } = app;
  const out: Json = {
    args: undefined,
    backoffFactor: 1.15,
    backoffSeconds: 1,
    cmd: undefined,
    cpus: 1,
    disk: 0,
    env: {},
    executor: "",
    fetch: uris ? uris.map((uri: string) => ({ uri, extract: true, executable: false, cache: false })) : [],
    gpus: 0,
    instances: 1,
    labels: {},
    maxLaunchDelaySeconds: version === "1.5" ? 3600 : 300,
    mem: 128,
    requirePorts: false,
    secrets: {},
    dependencies: [],
    readinessChecks: [],
    upgradeStrategy: { maximumOverCapacity: 1, minimumHealthCapacity: 1 },
    unreachableStrategy: { inactiveAfterSeconds: 0, expungeAfterSeconds: 0 },
    killSelection: "YOUNGEST_FIRST",
    ...(version === "1.10" ? { role: "*" } : {}),
    ...rest,
    constraints: asSet(app.constraints ?? []),
    healthChecks,
    networks: networks.length ? networks : [{ mode: "host" }],
  };
  if (!host) out.requirePorts = false;
  if (outContainer) out.container = outContainer;
  else delete out.container;
  if (portDefinitions) out.portDefinitions = portDefinitions;
  else delete out.portDefinitions;
  if (version === "1.5") delete out.role; // 1.5 has no role field (AppConversion.scala@releases/1.5)
  for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
  return out;
}

/** Constraints are a Set in Marathon (AppDefinition.constraints: Set[Constraint]): duplicates go, first seen order kept. */
function asSet(constraints: unknown[]): unknown[] {
  const seen = new Set<string>();
  return constraints.filter((c) => {
    const key = JSON.stringify(c);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * PUT without partialUpdate=false (AppsResource.scala@both: `@DefaultValue("true") partialUpdate`):
 * the body is an AppUpdate, and each field it names replaces the stored field; the fields it leaves out
 * stay as they were (AppConversion's appUpdateRamlReader: `update.x.getOrElse(app.x)`).
 * The stored app is the normalised one, so the merge starts from its declared fields.
 */
export function mergeUpdate(stored: Json, update: Json): Json {
  const merged: Json = { ...stripReadOnly(stored) };
  for (const [k, v] of Object.entries(update)) merged[k] = v;
  // A merge that switches networking style must not keep the stored canonical networks beside legacy fields.
  if (update.ipAddress !== undefined || update.container?.docker?.network !== undefined) {
    if (update.networks === undefined) delete merged.networks;
  }
  if (update.ports !== undefined && update.portDefinitions === undefined) delete merged.portDefinitions;
  return merged;
}

/** Fields Marathon keeps for itself; never part of what was declared. */
export const READ_ONLY_APP_FIELDS = [
  "version",
  "versionInfo",
  "tasksStaged",
  "tasksRunning",
  "tasksHealthy",
  "tasksUnhealthy",
  "deployments",
  "tasks",
  "lastTaskFailure",
  "readinessCheckResults",
  "taskStats",
];

export function stripReadOnly(app: Json): Json {
  return Object.fromEntries(Object.entries(app).filter(([k]) => !READ_ONLY_APP_FIELDS.includes(k)));
}
