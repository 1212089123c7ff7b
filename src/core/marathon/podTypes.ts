// A Marathon pod as `/v2/pods` takes it (Marathon's RAML Pod type, the fields this project reads).
// Containers of a pod run together on one agent, share one network namespace (one IP per
// network) and reach each other on localhost.
import { Labels, UpgradeStrategy } from "./types";

export interface PodEndpoint {
  name: string;
  /** Required on container networks, not allowed on host networks. */
  containerPort?: number;
  /** Required on host networks; on container networks, maps the port on the agent (0 = pick one). */
  hostPort?: number;
  protocol?: string[];
  labels?: Labels;
}

export interface PodContainer {
  name: string;
  exec?: { command: { shell: string } | { argv: string[] } };
  resources: { cpus: number; mem: number; disk?: number; gpus?: number };
  endpoints?: PodEndpoint[];
  image?: { kind: "DOCKER" | "APPC"; id: string; forcePull?: boolean };
  environment?: Record<string, string | { secret: string }>;
  user?: string;
  healthCheck?: Record<string, unknown>;
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[];
  artifacts?: { uri: string; destPath?: string }[];
  labels?: Labels;
  lifecycle?: { killGracePeriodSeconds?: number };
}

export interface PodNetwork {
  mode?: "container" | "host";
  name?: string;
  labels?: Labels;
}

export interface PodDefinition {
  id: string;
  labels?: Labels;
  version?: string;
  user?: string;
  environment?: Record<string, string | { secret: string }>;
  containers: PodContainer[];
  secrets?: Record<string, { source: string }>;
  volumes?: { name: string; host?: string }[];
  networks?: PodNetwork[];
  scaling?: { kind: "fixed"; instances?: number; maxInstances?: number };
  scheduling?: {
    placement?: { constraints?: { fieldName: string; operator: string; value?: string }[]; acceptedResourceRoles?: string[] };
    upgrade?: UpgradeStrategy;
    backoff?: Record<string, number>;
    killSelection?: string;
  };
  executorResources?: { cpus?: number; mem?: number; disk?: number };
}
