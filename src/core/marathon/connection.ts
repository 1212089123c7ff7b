// How a MarathonApp with target marathon reaches Marathon: part of the public API (kept secret in state).
export interface MarathonConnection {
  /** Marathon's base URL (a DC/OS cluster's is <cluster>/service/marathon). */
  url: string;
  /** DC/OS authentication token (sent as `Authorization: token=<JWT>`). */
  token?: string;
  /** DC/OS user id, with password, for `POST /acs/api/v1/auth/login`. */
  uid?: string;
  password?: string;
  /** PEM bundle of the cluster's CA. */
  caBundle?: string;
  insecureSkipVerify?: boolean;
  /** Override a deployment that holds the app (PUT/DELETE ?force=true). Off unless asked for. */
  force?: boolean;
  /** Bound on waiting for one deployment. */
  deploymentTimeoutSeconds?: number;
}
