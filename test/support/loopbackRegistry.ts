// A Docker registry of the tests' own: Debian's `docker-registry` (distribution 2.8), run from
// /usr/bin/docker-registry with a config file of ours, inside a private engine's network namespace
// on 127.0.0.1 — where that engine pulls from, and where dockerd allows plain HTTP by default
// (127.0.0.0/8 is an insecure registry for every engine). Nothing of the Debian package's own
// service or config is used. Its files live in the engine's directory, its process is stopped by
// pid on stop() and at exit, and it joins the engine's cgroup so that removing a private engine
// left by a killed run (engineCleanup.ts) kills it too.
import * as fs from "fs";
import * as path from "path";
import { execFileSync, spawn } from "child_process";
import { PrivateEngine } from "./privateEngine";
import { isAlive, terminate, terminateSync } from "./processes";

export const REGISTRY_BINARY = "/usr/bin/docker-registry";

export interface LoopbackRegistry {
  /** host:port as image references name it, e.g. 127.0.0.1:5123. */
  readonly host: string;
  readonly pid: number;
  /** Basic-auth user and password, when started with auth. */
  readonly credentials?: { username: string; password: string };
  stop(): Promise<void>;
}

export interface RegistryOptions {
  /** Require this user and password (htpasswd, bcrypt as distribution wants). */
  basicAuth?: { username: string; password: string };
}

const SETUP_HINT = "Run `npm run setup` (it installs Debian's docker-registry and apache2-utils) and run the tests as root.";

const running = new Set<number>();
let exitHandlerInstalled = false;

function installExitHandler(): void {
  if (exitHandlerInstalled) return;
  exitHandlerInstalled = true;
  process.on("exit", () => {
    for (const pid of running) {
      try {
        terminateSync(pid, 2_000);
      } catch (err) {
        process.stderr.write(`registry ${pid}: ${(err as Error).message}\n`);
      }
    }
  });
}

/**
 * The engine's cgroup in one hierarchy (v2: the unified one; v1: pids), with a leaf for the
 * registry. Best effort: the registry is also stopped by pid; this only covers killed runs.
 */
function joinEngineCgroup(engine: PrivateEngine, pid: number): void {
  const root = "/sys/fs/cgroup";
  const base = fs.existsSync(path.join(root, "cgroup.procs")) ? root : path.join(root, "pids");
  try {
    const leaf = path.join(base, engine.name, "dvt-registry");
    fs.mkdirSync(leaf, { recursive: true });
    fs.writeFileSync(path.join(leaf, "cgroup.procs"), String(pid));
  } catch {
    // no writable cgroup hierarchy: stop() and the exit handler still stop it
  }
}

function htpasswdLine(username: string, password: string): string {
  try {
    return execFileSync("htpasswd", ["-Bbn", username, password], { encoding: "utf8" }).trim();
  } catch (err) {
    throw new Error(`htpasswd (Debian's apache2-utils) could not make a bcrypt password file: ${(err as Error).message}. ${SETUP_HINT}`);
  }
}

async function waitForListening(pid: number, logFile: string, host: string): Promise<"up" | "port-taken"> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const log = fs.existsSync(logFile) ? fs.readFileSync(logFile, "utf8") : "";
    if (log.includes(`listening on ${host}`)) return "up";
    if (!isAlive(pid)) {
      if (/address already in use/i.test(log)) return "port-taken";
      throw new Error(`the loopback registry exited before listening; its log:\n${log.slice(-2000)}`);
    }
    if (Date.now() > deadline) {
      await terminate(pid, 2_000);
      throw new Error(`the loopback registry did not listen on ${host} within 30 s; its log:\n${log.slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

let started = 0;

/** Starts a registry on 127.0.0.1 inside `engine`'s network namespace, on a port free there. */
export async function startLoopbackRegistry(engine: PrivateEngine, options: RegistryOptions = {}): Promise<LoopbackRegistry> {
  if (!fs.existsSync(REGISTRY_BINARY)) throw new Error(`${REGISTRY_BINARY} is missing. ${SETUP_HINT}`);
  installExitHandler();
  const dir = path.join(engine.dir, `registry-${++started}`);
  fs.mkdirSync(path.join(dir, "data"), { recursive: true });
  const auth = options.basicAuth;
  if (auth) fs.writeFileSync(path.join(dir, "htpasswd"), `${htpasswdLine(auth.username, auth.password)}\n`);
  // The engine's namespace holds only its loopback and its bridges: a port is taken there only by
  // another registry of this run, and then the registry says so and we take the next one.
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = 15000 + ((process.pid * 7 + started * 101 + attempt * 13) % 20000);
    const host = `127.0.0.1:${port}`;
    const config = [
      "version: 0.1",
      "log:",
      "  level: info",
      "  accesslog:",
      "    disabled: true",
      "storage:",
      "  filesystem:",
      `    rootdirectory: ${path.join(dir, "data")}`,
      "  delete:",
      "    enabled: true",
      "http:",
      `  addr: ${host}`,
      ...(auth ? ["auth:", "  htpasswd:", "    realm: dvt-registry", `    path: ${path.join(dir, "htpasswd")}`] : []),
      "",
    ].join("\n");
    const configFile = path.join(dir, "config.yml");
    fs.writeFileSync(configFile, config);
    const logFile = path.join(dir, `registry-${port}.log`);
    const log = fs.openSync(logFile, "a");
    let pid: number | undefined;
    try {
      const child = spawn("nsenter", [`--net=/var/run/netns/${engine.netns}`, REGISTRY_BINARY, "serve", configFile], {
        detached: true,
        stdio: ["ignore", log, log],
      });
      child.on("error", () => undefined);
      child.unref();
      pid = child.pid;
    } finally {
      fs.closeSync(log);
    }
    if (!pid) throw new Error(`could not start ${REGISTRY_BINARY} under nsenter`);
    running.add(pid);
    joinEngineCgroup(engine, pid);
    const outcome = await waitForListening(pid, logFile, host).catch((err) => {
      running.delete(pid!);
      throw err;
    });
    if (outcome === "port-taken") {
      running.delete(pid);
      continue;
    }
    const registryPid = pid;
    return {
      host,
      pid: registryPid,
      credentials: auth,
      async stop() {
        if (isAlive(registryPid)) await terminate(registryPid, 5_000);
        running.delete(registryPid);
      },
    };
  }
  throw new Error("no free port for the loopback registry after 20 attempts");
}
