// The Marathon client's options and the shapes of Marathon's answers it hands back.
import type { MarathonConnection } from "../../core/marathon/connection";

/** How to reach Marathon: the connection's address and credentials, plus the client's own settings. */
export interface MarathonClientOptions extends Pick<MarathonConnection, "url" | "token" | "uid" | "password" | "caBundle" | "insecureSkipVerify"> {
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
