import Docker from "dockerode";

// One client per engine address: dockerode keeps an HTTP agent per instance, and every provider
// method of a Pulumi run shares the same engine. Keyed by DOCKER_HOST so that a process whose
// engine changes (a test worker moving to the next file's private engine) never keeps a client of
// an engine that is gone.
let client: { address: string; docker: Docker } | undefined;

export function docker(): Docker {
  const address = engineAddress();
  if (client?.address !== address) client = { address, docker: new Docker() }; // honours DOCKER_HOST
  return client.docker;
}

export function engineAddress(): string {
  return process.env.DOCKER_HOST ?? "unix:///var/run/docker.sock";
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
    throw err;
  }
}
