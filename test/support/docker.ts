// Direct access to the tests' Docker engine: they check what Pulumi did through the engine itself,
// never through the project's own backend code. That engine is a private one (privateEngine.ts),
// started the first time a test calls requireDocker(), once per mocha process; from then on
// DOCKER_HOST points at it, so the Pulumi CLI and providers the tests spawn, and every `docker`
// command run through `run`, go there too. The user's engine is never used.
import Docker from "dockerode";
import { execFile, ExecFileOptions } from "child_process";
import { promisify } from "util";
import { PrivateEngine, startPrivateEngine } from "./privateEngine";
import { VIP_PROXY_IMAGE } from "../../src/core/local/vipPlan";

/**
 * DOCKER_HOST until the suite's engine runs (set by test/support/rootHooks.ts): anything that
 * reaches for Docker before requireDocker() fails instead of reaching the user's engine.
 */
export const NOT_STARTED_HOST = "unix:///dvt-private-engine-not-started--call-requireDocker-first.sock";

let suite: Promise<PrivateEngine> | undefined;
let current: PrivateEngine | undefined;

/** The suite's private engine, started on first use (DCOS_VNET_TEST_DOCKERD: another dockerd binary). */
export function suiteEngine(): Promise<PrivateEngine> {
  // busybox for the apps, and the HAProxy image that serves any app's VIPs (setup.sh builds both).
  const images = ["busybox:latest", VIP_PROXY_IMAGE];
  suite ??= startPrivateEngine("suite", { dockerd: process.env.DCOS_VNET_TEST_DOCKERD, images }).then((e) => {
    current = e;
    process.env.DOCKER_HOST = e.host;
    return e;
  });
  return suite;
}

/** Stops and removes the suite's engine (root after-all hook; exit handlers cover the rest). */
export async function disposeSuiteEngine(): Promise<void> {
  const started = suite;
  suite = undefined;
  current = undefined;
  process.env.DOCKER_HOST = NOT_STARTED_HOST;
  const e = await started?.catch(() => undefined);
  if (e) await e.dispose();
}

/** Starts the suite's private engine if needed; fails (never skips) when it cannot start or answer. */
export async function requireDocker(): Promise<PrivateEngine> {
  const e = await suiteEngine();
  try {
    await e.client.ping();
  } catch (err) {
    throw new Error(`The tests' private Docker engine at ${e.host} does not answer (${(err as Error).message}); see ${e.dir}/dockerd.log.`);
  }
  return e;
}

function started(): PrivateEngine {
  if (!current) throw new Error("the tests' private Docker engine is not started: call requireDocker() in a before hook first");
  return current;
}

/** The suite's engine client; use after requireDocker(). */
export const engine: Docker = new Proxy({} as Docker, {
  get(_, property) {
    const client = started().client as any;
    const value = client[property];
    return typeof value === "function" ? value.bind(client) : value;
  },
});

const execFileAsync = promisify(execFile);

/**
 * execFile, promisified. `docker` always runs against the suite's private engine (its DOCKER_HOST
 * is set explicitly), and refuses to run before requireDocker().
 */
export async function run(file: string, args: string[], options: ExecFileOptions = {}): Promise<{ stdout: string; stderr: string }> {
  const env = file === "docker" ? { ...(options.env ?? process.env), DOCKER_HOST: started().host } : options.env;
  return (await execFileAsync(file, args, { ...options, env, encoding: "utf8" })) as { stdout: string; stderr: string };
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
