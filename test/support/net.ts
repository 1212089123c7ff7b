// Real packets between containers the tests created: commands run inside containers with
// `docker exec`, HTTP probes with busybox nc (bounded by its -w; wget's -T is ignored), every wait bounded.
// Every `docker` command goes through `run`, so to the tests' private engine, never the user's.
import { engine, run } from "./docker";
import { isAlive, isExiting } from "./processes";
import { containsAddress, parseAddress, parseCidr } from "../../src/core/ip/cidr";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** How long a probe waits for its container to be running (Docker restarts an app whose command ended). */
const RUNNING_WITHIN_MS = 30_000;

interface Run {
  /**
   * Running, and its first process alive and not exiting: a probe killed by the run's end can
   * return before dockerd marks the run ended, while that process is still in do_exit.
   */
  running: boolean;
  /** When its current run started: a restart changes it. */
  startedAt: string;
  summary: string;
}

async function stateOf(container: string): Promise<Run | undefined> {
  try {
    const { State: s, RestartCount, HostConfig } = await engine.getContainer(container).inspect();
    const running = s.Running && !s.Restarting && !s.Paused && isAlive(s.Pid) && !isExiting(s.Pid);
    const summary = `${s.Status}, exit code ${s.ExitCode}, restarted ${RestartCount} times, restart policy ${HostConfig.RestartPolicy?.Name || "no"}`;
    return { running, startedAt: s.StartedAt, summary };
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) return undefined; // docker exec says so below
    throw err;
  }
}

/** Waits, bounded, until the container runs; its run, or why it does not (for the probe's output). */
async function runningRun(container: string, deadline: number): Promise<{ run?: Run; waited?: string }> {
  const began = Date.now();
  for (;;) {
    const run = await stateOf(container);
    if (!run || run.running) return { run };
    if (Date.now() > deadline) {
      return { waited: `waited ${Math.round((Date.now() - began) / 1000)} s for container ${container} to be running, to probe it; it is ${run.summary}\n` };
    }
    await sleep(200);
  }
}

/**
 * Runs `script` in `container` with `docker exec`; its exit code and output (stdout then stderr).
 * A probe, not an assertion: it waits (bounded) until the container runs, and is run again when the
 * container restarted under it (Docker starts an app whose command ended again, as the seed app's
 * does every 30 s), so the result is always that of a container that ran throughout the probe.
 */
export async function dockerExec(container: string, script: string, timeoutMs = 15000): Promise<{ code: number; out: string }> {
  const deadline = Date.now() + RUNNING_WITHIN_MS;
  for (;;) {
    const { run: before, waited } = await runningRun(container, deadline);
    const result = await execOnce(container, script, timeoutMs);
    if (waited) return { code: result.code || 1, out: waited + result.out };
    if (result.code === 0 || !before) return result;
    const after = await stateOf(container);
    const restarted = !after?.running || after.startedAt !== before.startedAt;
    if (!restarted) return result;
    if (Date.now() > deadline) {
      return { ...result, out: `container ${container} restarted during each probe for ${RUNNING_WITHIN_MS / 1000} s (now ${after?.summary ?? "gone"}); the last probe's output:\n${result.out}` };
    }
  }
}

async function execOnce(container: string, script: string, timeoutMs: number): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await run("docker", ["exec", container, "sh", "-c", script], { timeout: timeoutMs });
    return { code: 0, out: stdout + stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === "number" ? e.code : 1, out: `${e.stdout ?? ""}${e.stderr ?? ""}` };
  }
}

/** One HTTP GET from inside `from` to host:port with a 2 s bound; the response text, or "" if none. */
export async function httpGet(from: string, host: string, port: number): Promise<string> {
  const r = await dockerExec(from, `printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 2 ${host} ${port}`, 10000);
  return r.out;
}

/**
 * GET `urlPath` from inside `from` (2 s bound per try), tried once a second up to `tries` times
 * until the answer matches `expect` (pod sidecars fetch once a second); the last answer.
 */
export async function getUntil(from: string, host: string, port: number, urlPath: string, expect: RegExp, tries = 10): Promise<string> {
  let out = "";
  for (let i = 0; i < tries; i++) {
    out = (await dockerExec(from, `printf 'GET ${urlPath} HTTP/1.0\\r\\n\\r\\n' | nc -w 2 ${host} ${port}`, 10000)).out;
    if (expect.test(out)) return out;
    await new Promise((r) => setTimeout(r, 1000));
  }
  return out;
}

/** The IPv4 addresses a name resolves to through the engine's DNS (127.0.0.11), seen from `from`. */
export async function resolve(from: string, name: string): Promise<string[]> {
  const r = await dockerExec(from, `nslookup ${name} 127.0.0.11`);
  const lines = r.out.split("\n").filter((l) => /^Address( \d+)?:/.test(l.trim()));
  return lines
    .map((l) => l.trim().replace(/^Address( \d+)?:\s*/, "").split(" ")[0])
    .filter((ip) => ip !== "127.0.0.11" && !ip.endsWith(":53") && /^\d+\.\d+\.\d+\.\d+$/.test(ip))
    .sort();
}

/** Starts a plain client container (sleeping) on a network at a fixed address; the caller removes it. */
export async function startClient(name: string, network: string, ip: string): Promise<void> {
  await run("docker", ["rm", "-f", name]).catch(() => undefined);
  await run("docker", ["run", "-d", "--name", name, "--label", "io.dcos-vnet.test=client", "--network", network, "--ip", ip, "busybox", "sleep", "600"]);
}

export async function removeContainers(...names: string[]): Promise<void> {
  await Promise.all(names.map((n) => run("docker", ["rm", "-f", n]).catch(() => undefined)));
}

export function inCidr(ip: string, cidr: string): boolean {
  const net = parseCidr(cidr);
  const addr = parseAddress(ip);
  return net.ok && addr.ok && containsAddress(net.value, addr.value.family, addr.value.value);
}
