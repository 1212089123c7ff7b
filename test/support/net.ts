// Real packets between containers the tests created: commands run inside containers with
// `docker exec`, HTTP probes with busybox nc (bounded by its -w; wget's -T is ignored), every wait bounded.
// Every `docker` command goes through `run`, so to the tests' private engine, never the user's.
import { run } from "./docker";
import { containsAddress, parseAddress, parseCidr } from "../../src/core/ip/cidr";

export async function dockerExec(container: string, script: string, timeoutMs = 15000): Promise<{ code: number; out: string }> {
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
