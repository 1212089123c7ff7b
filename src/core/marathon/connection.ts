// How a MarathonApp with target marathon reaches Marathon: part of the public API (kept secret in
// state), and what is refused or warned about in it. A DC/OS token or password sent over http://
// crosses the network in clear, so http:// with credentials needs an explicit allowInsecureHttp;
// turning TLS verification off is allowed, and said on every run.
import { Failure } from "../common/failure";

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
  /** Send the token or password to an http:// URL (refused otherwise): a loopback tunnel, a throwaway cluster. */
  allowInsecureHttp?: boolean;
  /** Override a deployment that holds the app (PUT/DELETE ?force=true). Off unless asked for. */
  force?: boolean;
  /** Bound on waiting for one deployment. */
  deploymentTimeoutSeconds?: number;
}

/** The refusal of credentials over http://, telling which key allows it (`dcos-vnet:marathon.allowInsecureHttp`, `connection.allowInsecureHttp`). */
export function insecureHttpReason(allowKey: string): string {
  return (
    "an http:// URL would send the DC/OS token or password in clear; use the cluster's https:// URL, " +
    `or set ${allowKey}: true to accept that (a loopback tunnel, a throwaway cluster)`
  );
}

/** Whether credentials (a token, or a uid and its password) would go to `url` over plain http://. */
export function credentialsOverHttp(url: unknown, withCredentials: boolean, allowInsecureHttp: unknown): boolean {
  return typeof url === "string" && /^http:\/\//i.test(url) && withCredentials && allowInsecureHttp !== true;
}

/** Failures of a MarathonApp's or MarathonPod's `connection` (values not known yet are checked when they are). */
export function marathonConnectionFailures(connection: unknown, isUnknown: (v: unknown) => boolean): Failure[] {
  if (isUnknown(connection) || !connection || typeof connection !== "object") return [];
  const c = connection as Record<string, unknown>;
  if (isUnknown(c.url)) return [];
  const withCredentials = Boolean(c.token || c.uid || c.password);
  return credentialsOverHttp(c.url, withCredentials, c.allowInsecureHttp) ? [{ property: "connection.url", reason: insecureHttpReason("connection.allowInsecureHttp") }] : [];
}

/** What every run prints when Marathon's certificate is not verified. */
export function skipVerifyWarning(url: string): string {
  return (
    `Marathon at ${url} is reached with TLS certificate verification off (insecureSkipVerify: true): ` +
    "anyone on the network path can pose as the cluster and receive the DC/OS token or password. " +
    "Give the cluster's CA instead (dcos-vnet:marathon.caBundleFile, or connection.caBundle; DC/OS serves it at <cluster>/ca/dcos-ca.crt)."
  );
}
