// How the providers may reach a Docker engine over the network. The Engine API is root on its
// host, and what is sent to it includes registry credentials (X-Registry-Auth) and resolved secret
// env values: a tcp:// engine is reached over TLS with client certificates, or over plain HTTP only
// when its host says `insecure: true` (a loopback forward, a lab network), warned about on every run.
// One rule for the stack config (cluster.hosts), the resources' inputs (MarathonApp.engines,
// LocalDockerNetwork.swarm.hosts) and the backend's client.
import { Failure } from "../common/failure";

/** An engine as the config or a resource's input gives it (any shape: checked here). */
export interface EngineEndpoint {
  host?: unknown;
  docker?: unknown;
  tls?: unknown;
  insecure?: unknown;
}

export const PLAIN_TCP_RULE =
  "a tcp:// Docker engine needs tls (its CA, client certificate and key): the Engine API is root on that host, " +
  "and registry credentials and secret env values would cross the network in clear; to accept that, set insecure: true on the host";

/** Whether the endpoint is tcp://, as a URL parser reads it (so `TCP://` too: URL schemes ignore case). */
export function isTcp(docker: unknown): boolean {
  if (typeof docker !== "string") return false;
  try {
    return new URL(docker).protocol === "tcp:";
  } catch {
    return false;
  }
}

/** Whether the engine has TLS material the client can use: ca, cert and key, each a string (not null, not {}). */
export function hasTls(engine: EngineEndpoint): boolean {
  const tls = engine.tls as Record<string, unknown> | null | undefined;
  return !!tls && typeof tls === "object" && ["ca", "cert", "key"].every((k) => typeof tls[k] === "string");
}

/** Why the engine may not be reached as given (a tcp:// endpoint without usable tls, not marked insecure), or undefined. */
export function plainTcpReason(engine: EngineEndpoint): string | undefined {
  return isTcp(engine.docker) && !hasTls(engine) && engine.insecure !== true ? PLAIN_TCP_RULE : undefined;
}

/** Why `insecure` is wrong where it is given (not a boolean, or on an engine that is not plain tcp://), or undefined. */
export function insecureFieldReason(engine: EngineEndpoint): string | undefined {
  if (engine.insecure === undefined) return undefined;
  if (typeof engine.insecure !== "boolean") return `insecure must be true or false, got ${JSON.stringify(engine.insecure)}`;
  if (engine.insecure && engine.tls !== undefined) return "insecure: true is for a tcp:// engine without tls (this one has tls)";
  if (engine.insecure && typeof engine.docker === "string" && !isTcp(engine.docker)) {
    return `insecure: true is for a tcp:// engine without tls (this one is ${engine.docker.split("//")[0]}//)`;
  }
  return undefined;
}

/**
 * Failures of engines handed to a resource directly: a map (MarathonApp.engines, by agent) or a
 * list (LocalDockerNetwork.swarm.hosts), each named under `at`. Values not known yet are checked
 * when they are (at up).
 */
export function engineTransportFailures(engines: unknown, at: string, isUnknown: (v: unknown) => boolean): Failure[] {
  if (isUnknown(engines) || !engines || typeof engines !== "object") return [];
  const entries = Array.isArray(engines) ? engines.map((e, i) => [`[${i}]`, e] as const) : Object.entries(engines).map(([k, e]) => [`.${k}`, e] as const);
  return entries.flatMap(([key, e]) => {
    if (!e || typeof e !== "object" || isUnknown(e)) return [];
    const reason = plainTcpReason(e as EngineEndpoint);
    return reason ? [{ property: `${at}${key}.docker`, reason }] : [];
  });
}

/** The distinct engines (by address) reached over plain HTTP by choice, in first-seen order. */
export function insecureEngines(engines: EngineEndpoint[]): Array<{ host: string; docker: string }> {
  const seen = new Map<string, { host: string; docker: string }>();
  for (const e of engines) {
    if (e.insecure === true && isTcp(e.docker) && !hasTls(e) && !seen.has(e.docker as string)) {
      seen.set(e.docker as string, { host: String(e.host), docker: e.docker as string });
    }
  }
  return [...seen.values()];
}

/** What every run prints for an engine reached over plain HTTP by choice. */
export function insecureEngineWarning(engine: { host: string; docker: string }): string {
  return (
    `Docker engine ${engine.docker} (host ${engine.host}) is reached over plain HTTP (insecure: true): the Engine API is root on that host, ` +
    "and registry credentials and secret env values cross the network in clear. " +
    "Start its dockerd with --tlsverify and give the host tls (ca, cert, key) instead."
  );
}

/**
 * What every run prints when the one engine of DOCKER_HOST is reached over plain HTTP. That engine
 * is the user's own environment, read as the Docker CLI and dockerode read it (tcp:// is HTTPS with
 * DOCKER_TLS_VERIFY=1 or on port 2376, else plain HTTP), so it is said rather than refused.
 */
export function plainDockerHostWarning(dockerHost: string | undefined, tlsVerify: string | undefined): string | undefined {
  if (!dockerHost || /^(unix|npipe|ssh):\/\//i.test(dockerHost)) return undefined;
  let url: URL;
  try {
    url = new URL(dockerHost.includes("//") ? dockerHost : `tcp://${dockerHost}`);
  } catch {
    return undefined; // dockerode refuses it with its own message
  }
  if (tlsVerify === "1" || url.port === "2376") return undefined;
  return (
    `DOCKER_HOST=${dockerHost} is reached over plain HTTP (DOCKER_TLS_VERIFY is not 1): the Engine API is root on that host, ` +
    "and registry credentials and secret env values cross the network in clear. " +
    "Start its dockerd with --tlsverify and set DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH (or use unix:// or ssh://)."
  );
}
