// Marathon's own patterns, enums and defaults, in one place so validation and normalisation agree.
import { ConstraintOperator, ContainerType, DockerNetworkType, HealthCheckProtocol, NetworkMode, PortProtocol } from "./types";

/** One segment of an app id (Marathon's PathIdValidation): dot-separated DNS-like labels. */
export const APP_ID_SEGMENT = /^(([a-z0-9]|[a-z0-9][a-z0-9-]*[a-z0-9])\.)*([a-z0-9]|[a-z0-9][a-z0-9-]*[a-z0-9])$/;
/** Marathon routes `/v2/apps/<id>/restart` etc., so an id may not end with these. */
export const RESERVED_ID_ENDINGS = ["restart", "tasks", "versions"] as const;

/** RAML pattern of `networks[].name`, also the name of a Docker network in the local cluster. */
export const NETWORK_NAME = /^[a-z0-9]([-a-z0-9_]*[a-z0-9])?$/;
export const NETWORK_NAME_MAX = 63;
export const PORT_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
export const MAX_PORT = 65535;
/**
 * Marathon's RAML types health-check timings and counts `integer, format: int32, minimum: 0` and
 * declares no other maximum: 2^31-1.
 */
export const MAX_INT32 = 2 ** 31 - 1;
/** A health check's timings and count, app or pod. */
export const HEALTH_TIMINGS = ["gracePeriodSeconds", "intervalSeconds", "timeoutSeconds", "maxConsecutiveFailures", "delaySeconds"] as const;

export const DOCKER_NETWORK_TYPES: readonly DockerNetworkType[] = ["BRIDGE", "HOST", "NONE", "USER"];
export const NETWORK_MODES: readonly NetworkMode[] = ["container", "container/bridge", "host"];
export const PORT_PROTOCOLS: readonly PortProtocol[] = ["tcp", "udp", "udp,tcp"];
export const CONTAINER_TYPES: readonly ContainerType[] = ["DOCKER", "MESOS"];
export const CONSTRAINT_OPERATORS: readonly ConstraintOperator[] = ["UNIQUE", "CLUSTER", "GROUP_BY", "LIKE", "UNLIKE", "MAX_PER", "IS"];
export const HEALTH_CHECK_PROTOCOLS: readonly HealthCheckProtocol[] = [
  "HTTP", "HTTPS", "TCP", "COMMAND", "MESOS_HTTP", "MESOS_HTTPS", "MESOS_TCP",
];

/** DC/OS names its default overlay `dcos`; an unnamed container network joins it. */
export const DEFAULT_NETWORK_NAME = "dcos";
/** Marathon's `--mesos_bridge_name`: a legacy ipAddress naming it means the Mesos bridge, not an overlay. */
export const MESOS_BRIDGE_NAME = "mesos-bridge";

/** Marathon's defaults for fields the user left out (RAML defaults). */
export const APP_DEFAULTS = {
  cpus: 1,
  mem: 128,
  disk: 0,
  gpus: 0,
  instances: 1,
  backoffSeconds: 1,
  backoffFactor: 1.15,
  maxLaunchDelaySeconds: 300,
  minimumHealthCapacity: 1,
  maximumOverCapacity: 1,
  protocol: "tcp" as PortProtocol,
  containerType: "DOCKER" as ContainerType,
  networkMode: "container" as NetworkMode,
};

/** Every top-level field of Marathon's AppDefinition schema (it sets additionalProperties: false) plus role/tty. */
export const APP_FIELDS = [
  "id", "cmd", "args", "cpus", "mem", "disk", "gpus", "instances", "env", "secrets", "labels", "container",
  "ipAddress", "networks", "portDefinitions", "ports", "constraints", "healthChecks", "upgradeStrategy",
  "backoffSeconds", "backoffFactor", "maxLaunchDelaySeconds",
  "acceptedResourceRoles", "dependencies", "executor", "executorResources", "fetch", "uris", "readinessChecks",
  "residency", "requirePorts", "taskKillGracePeriodSeconds", "user", "version", "versionInfo", "killSelection",
  "unreachableStrategy", "role", "tty",
] as const;

/** Fields normalizeApp copies untouched (see PassThroughFields). */
export const PASS_THROUGH_FIELDS = [
  "acceptedResourceRoles", "dependencies", "executor", "executorResources", "fetch", "uris", "readinessChecks",
  "residency", "requirePorts", "taskKillGracePeriodSeconds", "user", "version", "versionInfo", "killSelection",
  "unreachableStrategy", "role", "tty",
] as const;
