import Docker from "dockerode";
import { EngineRef, currentEngine } from "./engines";
import { hasTls, plainTcpReason } from "../../core/local/engineTransport";

// One client per engine address: dockerode keeps an HTTP agent per instance, and every provider
// method of a Pulumi run shares the same engine. Keyed by DOCKER_HOST so that a process whose
// engine changes (a test worker moving to the next file's private engine) never keeps a client of
// an engine that is gone.
let client: { address: string; docker: Docker } | undefined;

export function docker(): Docker {
  const host = currentEngine();
  if (host) return hostClient(host);
  const address = process.env.DOCKER_HOST ?? "unix:///var/run/docker.sock";
  if (client?.address !== address) client = { address, docker: new Docker() }; // honours DOCKER_HOST
  return client.docker;
}

/** The engine the current work talks to, as errors name it: with its host's name on a multi-host cluster. */
export function engineAddress(): string {
  const host = currentEngine();
  if (host) return `${host.docker} (host ${host.host})`;
  return process.env.DOCKER_HOST ?? "unix:///var/run/docker.sock";
}

// Multi-host clusters: one client per host engine (address and TLS material), kept for the process.
const hostClients = new Map<string, Docker>();

function hostClient(host: EngineRef): Docker {
  // insecure in the key: a plain client made for a host marked insecure never serves one that is not.
  const key = `${host.docker}|${host.tls?.cert ?? ""}|${host.insecure === true}`;
  let c = hostClients.get(key);
  if (!c) {
    c = new Docker(dockerOptions(host));
    hostClients.set(key, c);
  }
  return c;
}

/**
 * dockerode's options for a unix:// or tcp:// engine (https with client certificates when tls is
 * given). Plain HTTP only for an engine marked insecure: check refuses the others at preview, and
 * this refuses them again for state or inputs that never went through check.
 */
export function dockerOptions(host: EngineRef): Docker.DockerOptions {
  const url = new URL(host.docker);
  if (url.protocol === "unix:") return { socketPath: url.pathname };
  if (url.protocol === "tcp:") {
    const refused = plainTcpReason(host);
    if (refused) throw new Error(`Docker endpoint ${host.docker} of host ${host.host}: ${refused}`);
    // TLS whenever usable material is given; plain HTTP only past plainTcpReason (insecure: true).
    const tls = hasTls(host) ? host.tls! : undefined;
    const port = Number(url.port || (tls ? 2376 : 2375));
    if (!tls) return { host: url.hostname, port, protocol: "http" };
    return { host: url.hostname, port, protocol: "https", ca: tls.ca, cert: tls.cert, key: tls.key };
  }
  throw new Error(`Docker endpoint ${host.docker} of host ${host.host}: only unix:// and tcp:// are supported`);
}

/** Status code of a Docker Engine API error, if it is one. */
export function statusOf(err: unknown): number | undefined {
  const code = (err as { statusCode?: unknown })?.statusCode;
  return typeof code === "number" ? code : undefined;
}

/** An Engine API failure, naming the engine and what was being done; keeps the HTTP status. */
export class EngineError extends Error {
  constructor(message: string, readonly statusCode?: number) {
    super(message);
    this.name = "EngineError";
  }
}

const UNREACHABLE = new Set(["ECONNREFUSED", "ENOENT", "ECONNRESET", "EPIPE"]);

/**
 * Runs one Engine API call. Failures name the engine and the action, so a stopped or stopping
 * dockerd reads as such instead of as a bare ECONNREFUSED or "transport is closing"; the status
 * code stays on the error for callers that expect some (404, 304).
 */
export async function engineCall<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException)?.code;
    if (code && UNREACHABLE.has(code)) {
      throw new EngineError(
        `Docker engine at ${engineAddress()} is not answering (${code}) while trying to ${what}; ` +
          "start dockerd (npm run setup does) and run the command again",
      );
    }
    const status = statusOf(err);
    if (status !== undefined && status >= 500) {
      throw new EngineError(
        `Docker engine at ${engineAddress()} failed to ${what}: ${(err as Error).message.trim()} ` +
          "(if dockerd is stopping or restarting, run the command again once it answers)",
        status,
      );
    }
    // On a cluster of several hosts, any other refusal names the host too; the status (404, 409,
    // 304 …) and the engine's words stay, for callers that look at either.
    if (currentEngine() && status !== undefined && ![304, 404, 409].includes(status)) {
      throw new EngineError(`Docker engine at ${engineAddress()} refused to ${what}: ${(err as Error).message.trim()}`, status);
    }
    throw err;
  }
}
