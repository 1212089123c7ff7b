// The Marathon client's options and the shapes of Marathon's answers it hands back.

export interface MarathonClientOptions {
  /** Marathon's root, e.g. `https://cluster.example.com/service/marathon` (see dcosMarathonUrl). */
  url: string;
  /** DC/OS auth token (JWT), sent as `Authorization: token=<JWT>`. */
  token?: string;
  /** DC/OS user to log in as when there is no token, or when the token is rejected (401). */
  uid?: string;
  password?: string;
  /** PEM text of the cluster's CA certificate(s), trusted in addition to the public roots. */
  caBundle?: string;
  insecureSkipVerify?: boolean;
  /** Per request (default 30 s). */
  timeoutMs?: number;
  /** Progress and auth events; never receives the token. */
  log?: (msg: string) => void;
}

/** An app definition as users write it (Marathon's AppDefinition JSON). */
export interface AppDefinition {
  id?: string;
  [field: string]: unknown;
}

/** An app as Marathon returns it: the definition with defaults and Marathon's own fields filled in. */
export interface MarathonApp extends AppDefinition {
  id: string;
  version?: string;
  instances?: number;
  tasksRunning?: number;
  deployments?: { id: string }[];
}

export interface Deployment {
  id: string;
  version?: string;
  affectedApps?: string[];
  currentStep?: number;
  totalSteps?: number;
  currentActions?: { action?: string; app?: string }[];
}

export interface DeploymentResult {
  deploymentId: string;
  version?: string;
}

export interface WaitOptions {
  /** Give up after this long (default 10 minutes). */
  timeoutMs?: number;
  /** Time between polls of /v2/deployments (default 1 s). */
  pollMs?: number;
}
