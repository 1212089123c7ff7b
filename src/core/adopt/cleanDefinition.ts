// An app or pod as Marathon answers a GET, turned into the definition a user would have written:
// Marathon's own bookkeeping (version, tasks, deployments…) removed, unset fields (null) removed,
// and a field left out when it holds the default of the cluster's Marathon version (see
// marathonDefaults.ts). Everything else stays as Marathon has it (service ports it assigned,
// translated networks), so that the file deploys to exactly what runs.
import { stableJson } from "../common/stableJson";
import { POD_READ_ONLY, appOfAnswer, withoutNulls } from "../marathon/marathonAnswer";
import { APP_SCALAR_DEFAULTS, DOCKER_DEFAULTS, EMPTY_BY_DEFAULT, maxLaunchDelayDefault } from "./marathonDefaults";

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const isEmpty = (v: unknown) => (Array.isArray(v) && v.length === 0) || (isObject(v) && Object.keys(v).length === 0) || v === "";

/** Whether the app runs in the agent's network namespace (its ports are portDefinitions). */
function isHostMode(app: Json): boolean {
  const networks = app.networks;
  if (Array.isArray(networks) && networks.length > 0) return networks.every((n) => isObject(n) && n.mode === "host");
  const docker = isObject(app.container) && isObject(app.container.docker) ? app.container.docker : undefined;
  if (app.ipAddress !== undefined) return false;
  return docker?.network === undefined || docker.network === "HOST";
}

export function cleanApp(answer: Json, marathonVersion: string | undefined): Json {
  const app = appOfAnswer(answer);
  for (const [k, v] of Object.entries(APP_SCALAR_DEFAULTS)) if (app[k] !== undefined && stableJson(app[k]) === stableJson(v)) delete app[k];
  for (const k of EMPTY_BY_DEFAULT) if (app[k] !== undefined && isEmpty(app[k])) delete app[k];
  const maxLaunchDelay = maxLaunchDelayDefault(marathonVersion);
  if (maxLaunchDelay !== undefined && app.maxLaunchDelaySeconds === maxLaunchDelay) delete app.maxLaunchDelaySeconds;
  // Marathon answers `portDefinitions: []` for apps on container or bridge networks, where the
  // field is not allowed ("portDefinitions are only allowed with host-networking"). On a host-mode
  // app an empty list means "no ports", unlike an absent one (one port by default): it stays.
  if (!isHostMode(app) && Array.isArray(app.portDefinitions) && app.portDefinitions.length === 0) delete app.portDefinitions;
  // `ports` is the older spelling of portDefinitions' port numbers: one of the two is enough.
  if (app.ports !== undefined && app.portDefinitions !== undefined) delete app.ports;
  if (isObject(app.container)) cleanContainer(app.container);
  return idFirst(app);
}

/** The id first, as users write it; the rest in Marathon's order. */
function idFirst(definition: Json): Json {
  const { id, ...rest } = definition;
  return id === undefined ? definition : { id, ...rest };
}

function cleanContainer(container: Json): void {
  if (Array.isArray(container.volumes) && container.volumes.length === 0) delete container.volumes;
  if (Array.isArray(container.portMappings)) container.portMappings = container.portMappings.map(cleanLabels);
  if (isObject(container.docker)) {
    const docker = container.docker;
    for (const [k, v] of Object.entries(DOCKER_DEFAULTS)) if (docker[k] !== undefined && stableJson(docker[k]) === stableJson(v)) delete docker[k];
    if (Array.isArray(docker.portMappings)) docker.portMappings = docker.portMappings.map(cleanLabels);
  }
}

/** A port mapping's empty `labels: {}` is Marathon's rendering of none. */
function cleanLabels(mapping: unknown): unknown {
  if (!isObject(mapping) || !isObject(mapping.labels) || Object.keys(mapping.labels).length > 0) return mapping;
  const { labels: _none, ...rest } = mapping;
  return rest;
}

/**
 * A pod from `/v2/pods` (the definition plus `version`) or `/v2/pods/::status` (`{id, spec, status,
 * instances…}`): the definition, without status and unset fields. Pod defaults stay as Marathon
 * shows them: the pod API has few, and none of them differs between versions.
 */
export function cleanPod(answer: Json): Json {
  const source = isObject(answer.spec) ? answer.spec : answer;
  const pod = withoutNulls(source) as Json;
  for (const k of POD_READ_ONLY) delete pod[k];
  for (const k of ["labels", "environment", "secrets", "volumes"]) if (pod[k] !== undefined && isEmpty(pod[k])) delete pod[k];
  return idFirst(pod);
}
