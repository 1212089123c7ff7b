// Direct access to the Docker engine for tests: they check what Pulumi did through the engine
// itself, never through the project's own backend code.
import Docker from "dockerode";
import { execFile } from "child_process";
import { promisify } from "util";

export const engine = new Docker();
export const run = promisify(execFile);

/** Fails (never skips) when no Docker engine answers. */
export async function requireDocker(client: Docker = engine): Promise<void> {
  try {
    await client.ping();
  } catch (err) {
    throw new Error(
      `These tests need a running Docker engine and none answers (${(err as Error).message}). ` +
        "Run `npm run setup` (it installs and starts dockerd) and try again.",
    );
  }
}

export async function networkOrUndefined(name: string): Promise<any | undefined> {
  try {
    return await engine.getNetwork(name).inspect();
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) return undefined;
    throw err;
  }
}

/** Networks and containers carrying our ownership label for a stack. */
export async function ownedObjects(stack: string): Promise<{ networks: string[]; containers: string[] }> {
  const label = [`io.dcos-vnet.stack=${stack}`];
  const networks = await engine.listNetworks({ filters: { label } });
  const containers = await engine.listContainers({ all: true, filters: { label } });
  return { networks: networks.map((n) => n.Name), containers: containers.map((c) => c.Names[0]) };
}
