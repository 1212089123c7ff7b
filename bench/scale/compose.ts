// docker-compose (Debian's 1.29) bringing up the same networks and containers from one compose
// file, and `down` removing them: the tool a user would otherwise reach for. Installed from apt if
// missing and possible; otherwise the benchmark says why it is left out.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { execFile, execFileSync } from "child_process";
import { promisify } from "util";
import * as yaml from "js-yaml";
import { EngineObjects } from "./engineObjects";
import { timed } from "../measure";

const run = promisify(execFile);

function installed(): string | undefined {
  try {
    return execFileSync("docker-compose", ["version", "--short"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return undefined;
  }
}

/** docker-compose's version, installing Debian's package when it is missing; or why it cannot be used. */
export function ensureCompose(): { version: string } | { skipped: string } {
  const found = installed();
  if (found) return { version: found };
  if (process.getuid?.() !== 0) return { skipped: "docker-compose is not installed and installing it (apt-get install docker-compose) needs root" };
  try {
    execFileSync("apt-get", ["install", "-y", "-qq", "docker-compose"], { stdio: "ignore", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
  } catch (err) {
    return { skipped: `apt-get install docker-compose failed (${(err as Error).message.split("\n")[0]})` };
  }
  const version = installed();
  return version ? { version } : { skipped: "docker-compose still not runnable after apt-get install" };
}

/** Compose file format 2.4: static addresses, cpus and mem_limit without swarm. */
export function composeFile(objects: EngineObjects): string {
  const key = (name: string) => name.replace(/[^a-zA-Z0-9_-]/g, "_");
  const networks = Object.fromEntries(objects.networks.map((n) => [key(n.name), {
    name: n.name,
    driver: "bridge",
    driver_opts: n.options,
    labels: n.labels,
    ipam: { driver: "default", config: [{ subnet: n.subnet, gateway: n.gateway }] },
  }]));
  const services = Object.fromEntries(objects.containers.map((c) => [key(c.name), {
    container_name: c.name,
    image: c.image,
    command: c.cmd,
    environment: c.env,
    labels: c.labels,
    restart: c.restart,
    ...(c.memoryBytes ? { mem_limit: c.memoryBytes } : {}),
    ...(c.nanoCpus ? { cpus: c.nanoCpus / 1e9 } : {}),
    networks: { [key(c.network)]: { ipv4_address: c.ip, aliases: c.aliases } },
  }]));
  return yaml.dump({ version: "2.4", networks, services }, { lineWidth: -1 });
}

export interface ComposeTimes {
  up: number;
  down: number;
}

/**
 * Longest a compose command may take: docker-compose 1.29 was seen to hang (its parallel creates
 * waiting forever) on a loaded machine; it is then killed and reported, not waited for.
 */
const COMPOSE_TIMEOUT_MS = 300_000;

/** `up -d` then `down`, timed; the compose project is named so it cannot meet another. */
export async function composeUpDown(objects: EngineObjects, assertUp: () => Promise<void>): Promise<ComposeTimes> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dcos-vnet-compose-"));
  const file = path.join(dir, "docker-compose.yml");
  fs.writeFileSync(file, composeFile(objects));
  const compose = (args: string[]) =>
    run("docker-compose", ["-p", "dcosvnetbench", "-f", file, ...args], { maxBuffer: 64 * 2 ** 20, timeout: COMPOSE_TIMEOUT_MS, killSignal: "SIGKILL" });
  try {
    const up = await timed(() => compose(["up", "-d", "--no-build", "--quiet-pull"]));
    await assertUp();
    // As with the CLI, dockerd 20.10 may still count a removed container's endpoint for a moment:
    // a second `down` then removes the networks left.
    const down = await timed(() => compose(["down", "--timeout", "0"]).catch(() => compose(["down", "--timeout", "0"])));
    return { up, down };
  } finally {
    await compose(["down", "--timeout", "0"]).catch(() => undefined);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
