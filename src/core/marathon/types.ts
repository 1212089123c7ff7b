// The Marathon app definition as users write it (legacy fields included), and the canonical form
// that normalizeApp produces. Plain data only: these are the shapes of JSON, not classes.

export type Labels = Record<string, string>;

/** Legacy Docker network type (`container.docker.network`, deprecated since Marathon 1.5). */
export type DockerNetworkType = "BRIDGE" | "HOST" | "NONE" | "USER";
/** Canonical network modes (Marathon 1.5+ `networks[].mode`). */
export type NetworkMode = "container" | "container/bridge" | "host";
export type PortProtocol = "tcp" | "udp" | "udp,tcp";
export type ContainerType = "DOCKER" | "MESOS";
export type ConstraintOperator = "UNIQUE" | "CLUSTER" | "GROUP_BY" | "LIKE" | "UNLIKE" | "MAX_PER" | "IS";
export type HealthCheckProtocol = "HTTP" | "HTTPS" | "TCP" | "COMMAND" | "MESOS_HTTP" | "MESOS_HTTPS" | "MESOS_TCP";

/** An environment value: plain text, or a reference to a secret declared under `secrets`. */
export type EnvValue = string | { secret: string };

export interface PortMapping {
  containerPort?: number;
  hostPort?: number;
  servicePort?: number;
  protocol?: PortProtocol;
  name?: string;
  labels?: Labels;
  networkNames?: string[];
}

export interface PortDefinition {
  port?: number;
  protocol?: PortProtocol;
  name?: string;
  labels?: Labels;
}

export interface DockerParameter {
  key: string;
  value: string;
}

export interface DockerSpec {
  image: string;
  /** Deprecated: translated into `networks` by normalizeApp. */
  network?: DockerNetworkType;
  /** Deprecated: moved to `container.portMappings` by normalizeApp. */
  portMappings?: PortMapping[];
  parameters?: DockerParameter[];
  privileged?: boolean;
  forcePullImage?: boolean;
  pullConfig?: { secret: string };
}

/** Volumes come in several Marathon shapes (host, persistent, external, secret); only containerPath is common. */
export interface Volume {
  containerPath: string;
  hostPath?: string;
  mode?: "RO" | "RW";
  [marathonVolumeField: string]: unknown;
}

export interface Container {
  type?: ContainerType;
  docker?: DockerSpec;
  portMappings?: PortMapping[];
  volumes?: Volume[];
}

/** Deprecated IP-per-container discovery info; Marathon turns it into port mappings for MESOS containers. */
export interface DiscoveryPort {
  number: number;
  name: string;
  protocol?: "tcp" | "udp";
  labels?: Labels;
}

/** Deprecated IP-per-container request (Marathon < 1.5). */
export interface IpAddress {
  networkName?: string;
  discovery?: { ports?: DiscoveryPort[] };
  groups?: string[];
  labels?: Labels;
}

export interface Network {
  /** Marathon's default is "container". */
  mode?: NetworkMode;
  name?: string;
  labels?: Labels;
}

export interface HealthCheck {
  protocol?: HealthCheckProtocol;
  path?: string;
  port?: number;
  portIndex?: number;
  command?: { value: string };
  gracePeriodSeconds?: number;
  intervalSeconds?: number;
  timeoutSeconds?: number;
  maxConsecutiveFailures?: number;
  delaySeconds?: number;
  ignoreHttp1xx?: boolean;
  ipProtocol?: "IPv4" | "IPv6";
}

export interface UpgradeStrategy {
  minimumHealthCapacity?: number;
  maximumOverCapacity?: number;
}

/** Marathon fields this project neither checks nor rewrites: normalizeApp copies them as they are. */
export interface PassThroughFields {
  acceptedResourceRoles?: string[];
  dependencies?: string[];
  executor?: string;
  executorResources?: unknown;
  fetch?: unknown[];
  uris?: string[];
  readinessChecks?: unknown[];
  residency?: unknown;
  requirePorts?: boolean;
  taskKillGracePeriodSeconds?: number;
  user?: string;
  version?: string;
  versionInfo?: unknown;
  killSelection?: string;
  unreachableStrategy?: unknown;
  role?: string;
  tty?: boolean;
}

/** An app definition as written in Marathon JSON, legacy networking fields included. */
export interface AppDefinition extends PassThroughFields {
  id: string;
  cmd?: string;
  args?: string[];
  cpus?: number;
  mem?: number;
  disk?: number;
  gpus?: number;
  instances?: number;
  env?: Record<string, EnvValue>;
  secrets?: Record<string, { source: string }>;
  labels?: Labels;
  container?: Container;
  /** Deprecated: translated into `networks`. */
  ipAddress?: IpAddress;
  networks?: Network[];
  portDefinitions?: PortDefinition[];
  /** Deprecated: becomes `portDefinitions`. */
  ports?: number[];
  /** `[field, OPERATOR, value?]` */
  constraints?: string[][];
  healthChecks?: HealthCheck[];
  upgradeStrategy?: UpgradeStrategy;
  backoffSeconds?: number;
  backoffFactor?: number;
  maxLaunchDelaySeconds?: number;
}

// ---- canonical form: what normalizeApp returns ----

/** Container networks always carry a name after normalisation (the default network name if none was given). */
export type CanonicalNetwork =
  | { mode: "container"; name: string; labels?: Labels }
  | { mode: "container/bridge"; labels?: Labels }
  | { mode: "host" };

export interface CanonicalPortMapping {
  containerPort: number;
  /** Unset in container mode means "no host port"; bridge mode defaults it to 0 (= pick one). */
  hostPort?: number;
  /** 0 = assign one from the service port range (see assignServicePorts). */
  servicePort: number;
  protocol: PortProtocol;
  name?: string;
  labels?: Labels;
  networkNames?: string[];
}

export interface CanonicalPortDefinition {
  port: number;
  protocol: PortProtocol;
  name?: string;
  labels?: Labels;
}

export interface CanonicalDocker {
  image: string;
  parameters: DockerParameter[];
  privileged: boolean;
  forcePullImage: boolean;
  pullConfig?: { secret: string };
}

export interface CanonicalContainer {
  type: ContainerType;
  docker?: CanonicalDocker;
  portMappings: CanonicalPortMapping[];
  volumes: Volume[];
}

/** The Marathon 1.5+ form: no ipAddress, no docker.network, no docker.portMappings, no ports; defaults applied. */
export interface CanonicalApp extends PassThroughFields {
  /** Absolute: "/group/app". */
  id: string;
  cmd?: string;
  args?: string[];
  cpus: number;
  mem: number;
  disk: number;
  gpus: number;
  instances: number;
  env: Record<string, EnvValue>;
  secrets?: Record<string, { source: string }>;
  labels: Labels;
  container?: CanonicalContainer;
  networks: CanonicalNetwork[];
  /** Only host networking has port definitions; empty otherwise. */
  portDefinitions: CanonicalPortDefinition[];
  constraints: string[][];
  healthChecks: HealthCheck[];
  upgradeStrategy: Required<UpgradeStrategy>;
  backoffSeconds: number;
  backoffFactor: number;
  maxLaunchDelaySeconds: number;
}
