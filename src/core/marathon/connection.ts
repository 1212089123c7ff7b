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

/**
 * How long `pulumi up` waits for one Marathon deployment, at most. Marathon has no such setting (this
 * is our wait, not its); a day is more than any rolling deployment an operator watches, and keeps
 * the wait finite (an unbounded or infinite value would make a stuck deployment hang the update).
 */
export const DEPLOYMENT_TIMEOUT_MAX = 86_400;

/** Why a deployment timeout is wrong (not a positive number, or beyond a day), or undefined. */
export function deploymentTimeoutReason(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !(value > 0)) return "deploymentTimeoutSeconds must be a positive number";
  if (value > DEPLOYMENT_TIMEOUT_MAX) return `deploymentTimeoutSeconds must be at most ${DEPLOYMENT_TIMEOUT_MAX} (one day), got ${value}`;
  return undefined;
}

/** The refusal of credentials over http://, telling which key allows it (`dcos-vnet:marathon.allowInsecureHttp`, `connection.allowInsecureHttp`). */
export function insecureHttpReason(allowKey: string): string {
  return (
    "an http:// URL would send the DC/OS token or password in clear; use the cluster's https:// URL, " +
    `or set ${allowKey}: true to accept that (a loopback tunnel, a throwaway cluster)`
  );
}

/** Whether a connection carries credentials: a token, or a uid and its password. */
export function hasCredentials(c: { token?: unknown; uid?: unknown; password?: unknown }): boolean {
  return Boolean(c.token || c.uid || c.password);
}

/** Whether credentials would go to `url` over plain http://, allowed or not. */
export function sendsCredentialsInClear(url: unknown, withCredentials: boolean): boolean {
  return typeof url === "string" && /^http:\/\//i.test(url) && withCredentials;
}

/** Whether credentials would go to `url` over plain http:// without allowInsecureHttp: refused. */
export function credentialsOverHttp(url: unknown, withCredentials: boolean, allowInsecureHttp: unknown): boolean {
  return sendsCredentialsInClear(url, withCredentials) && allowInsecureHttp !== true;
}

/** Failures of a MarathonApp's or MarathonPod's `connection` (values not known yet are checked when they are). */
export function marathonConnectionFailures(connection: unknown, isUnknown: (v: unknown) => boolean): Failure[] {
  if (isUnknown(connection) || !connection || typeof connection !== "object") return [];
  const c = connection as Record<string, unknown>;
  if (isUnknown(c.url)) return [];
  const failures: Failure[] = [];
  if (credentialsOverHttp(c.url, hasCredentials(c), c.allowInsecureHttp)) failures.push({ property: "connection.url", reason: insecureHttpReason("connection.allowInsecureHttp") });
  const timeout = isUnknown(c.deploymentTimeoutSeconds) ? undefined : deploymentTimeoutReason(c.deploymentTimeoutSeconds);
  if (timeout) failures.push({ property: "connection.deploymentTimeoutSeconds", reason: timeout });
  return failures;
}

/** What every run prints when credentials go to an http:// Marathon because allowInsecureHttp says so. */
export function insecureHttpWarning(url: string): string {
  return (
    `Marathon at ${url} is reached over plain http:// with the DC/OS token or password (allowInsecureHttp: true): ` +
    "anyone on the network path can read them. Use the cluster's https:// URL."
  );
}

/** What every run prints when Marathon's certificate is not verified. */
export function skipVerifyWarning(url: string): string {
  return (
    `Marathon at ${url} is reached with TLS certificate verification off (insecureSkipVerify: true): ` +
    "anyone on the network path can pose as the cluster and receive the DC/OS token or password. " +
    "Give the cluster's CA instead (dcos-vnet:marathon.caBundleFile, or connection.caBundle; DC/OS serves it at <cluster>/ca/dcos-ca.crt)."
  );
}
