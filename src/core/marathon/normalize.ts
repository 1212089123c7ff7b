// The legacy → canonical translation Marathon applies to every app it accepts (AppNormalization), plus
// Marathon's defaults. Assumes validateApp found nothing wrong; never mutates its input.
import {
  AppDefinition, CanonicalApp, CanonicalContainer, CanonicalDocker, CanonicalNetwork, DockerSpec, EnvValue, PassThroughFields,
} from "./types";
import { absoluteAppId } from "./appId";
import { canonicalNetworks, translateNetworks } from "./networkTranslation";
import { canonicalPortDefinitions, canonicalPortMappings, declaredPortMappings } from "./normalizePorts";
import { APP_DEFAULTS, DEFAULT_NETWORK_NAME, MESOS_BRIDGE_NAME, PASS_THROUGH_FIELDS } from "./rules";

export interface NormalizeOptions {
  /** The network an unnamed container network joins. Default "dcos", as on DC/OS. */
  defaultNetworkName?: string;
  /** Marathon's `--mesos_bridge_name`. Default "mesos-bridge". */
  mesosBridgeName?: string;
}

function canonicalDocker(d: DockerSpec): CanonicalDocker {
  const out: CanonicalDocker = {
    image: d.image,
    parameters: (d.parameters ?? []).map((p) => ({ key: p.key, value: p.value })),
    privileged: d.privileged ?? false,
    forcePullImage: d.forcePullImage ?? false,
  };
  if (d.pullConfig !== undefined) out.pullConfig = { secret: d.pullConfig.secret };
  return out;
}

/** Marathon gives an app with ipAddress or non-host networks but no container an empty Mesos container. */
function canonicalContainer(app: AppDefinition, networks: CanonicalNetwork[]): CanonicalContainer | undefined {
  const c = app.container;
  if (c === undefined && networks.some((n) => n.mode === "host")) return undefined;
  const type = c === undefined ? "MESOS" : (c.type ?? APP_DEFAULTS.containerType);
  const out: CanonicalContainer = {
    type,
    portMappings: canonicalPortMappings(declaredPortMappings(app, type), networks),
    volumes: (c?.volumes ?? []).map((v) => ({ ...v })),
  };
  if (c?.docker !== undefined) out.docker = canonicalDocker(c.docker);
  return out;
}

function copyEnv(env: Record<string, EnvValue> | undefined): Record<string, EnvValue> {
  // Object.fromEntries defines own properties, so a key like "__proto__" stays an ordinary key.
  return Object.fromEntries(Object.entries(env ?? {}).map(([k, v]) => [k, typeof v === "string" ? v : { secret: v.secret }]));
}

function copyPassThrough(from: PassThroughFields, to: PassThroughFields): void {
  for (const key of PASS_THROUGH_FIELDS) {
    if (from[key] !== undefined) (to as Record<string, unknown>)[key] = structuredClone(from[key]);
  }
}

export function normalizeApp(app: AppDefinition, opts: NormalizeOptions = {}): CanonicalApp {
  const declared = translateNetworks(
    { ipAddress: app.ipAddress, dockerNetwork: app.container?.docker?.network, networks: app.networks },
    opts.mesosBridgeName ?? MESOS_BRIDGE_NAME,
  );
  const networks = canonicalNetworks(declared, opts.defaultNetworkName ?? DEFAULT_NETWORK_NAME);
  const out: CanonicalApp = {
    id: absoluteAppId(app.id),
    cpus: app.cpus ?? APP_DEFAULTS.cpus,
    mem: app.mem ?? APP_DEFAULTS.mem,
    disk: app.disk ?? APP_DEFAULTS.disk,
    gpus: app.gpus ?? APP_DEFAULTS.gpus,
    instances: app.instances ?? APP_DEFAULTS.instances,
    env: copyEnv(app.env),
    labels: Object.fromEntries(Object.entries(app.labels ?? {})),
    networks,
    portDefinitions: canonicalPortDefinitions(app, networks),
    constraints: (app.constraints ?? []).map((c) => [...c]),
    healthChecks: (app.healthChecks ?? []).map((h) => structuredClone(h)),
    upgradeStrategy: {
      minimumHealthCapacity: app.upgradeStrategy?.minimumHealthCapacity ?? APP_DEFAULTS.minimumHealthCapacity,
      maximumOverCapacity: app.upgradeStrategy?.maximumOverCapacity ?? APP_DEFAULTS.maximumOverCapacity,
    },
    backoffSeconds: app.backoffSeconds ?? APP_DEFAULTS.backoffSeconds,
    backoffFactor: app.backoffFactor ?? APP_DEFAULTS.backoffFactor,
    maxLaunchDelaySeconds: app.maxLaunchDelaySeconds ?? APP_DEFAULTS.maxLaunchDelaySeconds,
  };
  if (app.cmd !== undefined) out.cmd = app.cmd;
  if (app.args !== undefined) out.args = [...app.args];
  if (app.secrets !== undefined) out.secrets = structuredClone(app.secrets);
  const container = canonicalContainer(app, networks);
  if (container !== undefined) out.container = container;
  copyPassThrough(app, out);
  return out;
}
