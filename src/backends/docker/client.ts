import Docker from "dockerode";

// One client per process: dockerode keeps an HTTP agent per instance, and every provider method
// of a Pulumi run shares the same engine.
let client: Docker | undefined;

export function docker(): Docker {
  client ??= new Docker(); // honours DOCKER_HOST, else /var/run/docker.sock
  return client;
}

export function engineAddress(): string {
  return process.env.DOCKER_HOST ?? "unix:///var/run/docker.sock";
}

/** Status code of a Docker Engine API error, if it is one. */
export function statusOf(err: unknown): number | undefined {
  const code = (err as { statusCode?: unknown })?.statusCode;
  return typeof code === "number" ? code : undefined;
}

/**
 * Runs one Engine API call and turns "nobody answers" into an error that names the engine, so a
 * stopped dockerd reads as such instead of as a bare ECONNREFUSED/ENOENT.
 */
export async function engineCall<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException)?.code;
    if (code === "ECONNREFUSED" || code === "ENOENT" || code === "ECONNRESET" || code === "EPIPE") {
      throw new Error(
        `Docker engine at ${engineAddress()} is not answering (${code}) while trying to ${what}; ` +
          "start dockerd (npm run setup does) and run the command again",
      );
    }
    throw err;
  }
}
