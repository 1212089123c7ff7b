// Direct access to the tests' Docker engine: they check what Pulumi did through the engine itself,
// never through the project's own backend code. That engine is a private one (privateEngine.ts),
// started the first time a test calls requireDocker(), and kept for the mocha worker's next file
// when a file leaves it as fresh (releaseSuiteEngine); from then on
// DOCKER_HOST points at it, so the Pulumi CLI and providers the tests spawn, and every `docker`
// command run through `run`, go there too. The user's engine is never used.
import Docker from "dockerode";
import { execFile, ExecFileOptions } from "child_process";
import { promisify } from "util";
import { PrivateEngine, startPrivateEngine } from "./privateEngine";
import { VIP_PROXY_IMAGE } from "../../src/core/local/vipPlan";
import { AGENT_IMAGE } from "../../src/core/local/agents";
import { PROBE_TOOLS_VOLUME } from "../../src/backends/docker/healthChecks";

/**
 * DOCKER_HOST until the suite's engine runs (set by test/support/rootHooks.ts): anything that
 * reaches for Docker before requireDocker() fails instead of reaching the user's engine.
 */
export const NOT_STARTED_HOST = "unix:///dvt-private-engine-not-started--call-requireDocker-first.sock";

const execFileAsync = promisify(execFile);

let suite: Promise<PrivateEngine> | undefined;
let current: PrivateEngine | undefined;
/** The engine a finished file left clean, kept for the next file of this worker (releaseSuiteEngine). */
let parked: PrivateEngine | undefined;

/** The images every file may find in the engine: copied in at start, or built by the tests (agent). */
const SUITE_IMAGES = ["busybox:latest", VIP_PROXY_IMAGE];
const KEPT_IMAGES = new Set([...SUITE_IMAGES, AGENT_IMAGE]);

/** The suite's private engine, started on first use (DCOS_VNET_TEST_DOCKERD: another dockerd binary). */
export function suiteEngine(): Promise<PrivateEngine> {
  suite ??= (async () => {
    const reused = parked && (await parked.client.ping().then(() => true, () => false)) ? parked : undefined;
    if (parked && !reused) await parked.dispose();
    parked = undefined;
    // busybox for the apps, and the HAProxy image that serves any app's VIPs (setup.sh builds both).
    const e = reused ?? (await startPrivateEngine("suite", { dockerd: process.env.DCOS_VNET_TEST_DOCKERD, images: SUITE_IMAGES }));
    current = e;
    process.env.DOCKER_HOST = e.host;
    return e;
  })();
  return suite;
}

/**
 * After each test file (root after-all hook). The engine is kept for the next file of this worker
 * only when the file passed and left it as a fresh one: no container, no network but Docker's
 * own, no volume (the health checks' tools volume is removed), no swarm, no rule in our iptables
 * chain, no image but the suite's (others are removed). Otherwise it is removed, and the next file
 * starts a new one (always, with DCOS_VNET_TEST_FRESH_ENGINE=1). Either way DOCKER_HOST points
 * nowhere again until the next requireDocker(). Returns what the file left behind, if anything
 * (recorded in .tools/test-times.md).
 */
export async function releaseSuiteEngine(filePassed: boolean): Promise<string[]> {
  const started = suite;
  suite = undefined;
  current = undefined;
  process.env.DOCKER_HOST = NOT_STARTED_HOST;
  const e = await started?.catch(() => undefined);
  if (!e) return [];
  const leftovers = await leftoversIn(e).catch((err) => [`the engine does not answer (${(err as Error).message})`]);
  if (filePassed && leftovers.length === 0 && process.env.DCOS_VNET_TEST_FRESH_ENGINE !== "1") {
    parked = e;
    return [];
  }
  await e.dispose();
  return leftovers;
}

/** What a test file left in the engine; images beyond the kept ones are removed on the way. */
async function leftoversIn(e: PrivateEngine): Promise<string[]> {
  const found: string[] = [];
  for (const c of await e.client.listContainers({ all: true })) found.push(`container ${c.Names[0]}`);
  for (const n of await e.client.listNetworks()) {
    if (!["bridge", "host", "none"].includes(n.Name)) found.push(`network ${n.Name}`);
  }
  for (const v of (await e.client.listVolumes()).Volumes ?? []) {
    // The health checks' tools volume outlives destroy by design (README, "Health checks"): once
    // no container is left it is removed like the images, so the next file finds none.
    if (v.Name === PROBE_TOOLS_VOLUME && found.length === 0) await e.client.getVolume(v.Name).remove();
    else found.push(`volume ${v.Name}`);
  }
  const info = await e.client.info();
  if (info.Swarm?.LocalNodeState && info.Swarm.LocalNodeState !== "inactive") found.push(`swarm ${info.Swarm.LocalNodeState}`);
  const rules = await ourChainRules(e);
  if (rules.length) found.push(`iptables ${rules.join("; ")}`);
  if (found.length) return found;
  for (const image of await e.client.listImages()) {
    if ((image.RepoTags ?? []).some((tag) => KEPT_IMAGES.has(tag))) continue;
    await e.client.getImage(image.Id).remove({ force: true });
  }
  return found;
}

/** The rules in our DCOS-VNET chain in the engine's network namespace (the agent routes'). */
async function ourChainRules(e: PrivateEngine): Promise<string[]> {
  try {
    const { stdout } = await execFileAsync("nsenter", [`--net=/var/run/netns/${e.netns}`, "iptables", "-S", "DCOS-VNET"], { encoding: "utf8" });
    return stdout.split("\n").filter((l) => l.startsWith("-A "));
  } catch {
    return []; // no such chain: nothing of ours
  }
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

/**
 * The local cluster's agent image in the suite's engine, built by scripts/agentImage.sh (as setup
 * builds it) unless a previous file of this worker left it there. Use after requireDocker().
 */
export async function requireAgentImage(): Promise<void> {
  const present = await engine.getImage(AGENT_IMAGE).inspect().then(() => true, () => false);
  if (present) return;
  await run("bash", [`${__dirname}/../../scripts/agentImage.sh`], { env: { ...process.env, DOCKER_HOST: started().host } });
}

/**
 * Removes what a test made on the tests' engine (its `after` hook): containers first, since a
 * network with one attached cannot go, then networks. Gone already is fine.
 */
export async function removeMade(made: { containers: Iterable<string>; networks: Iterable<string> }): Promise<void> {
  for (const c of made.containers) await engine.getContainer(c).remove({ force: true }).catch(() => undefined);
  for (const n of made.networks) await engine.getNetwork(n).remove().catch(() => undefined);
}
