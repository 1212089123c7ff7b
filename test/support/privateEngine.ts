// A Docker engine of the tests' own, beside the user's: its own dockerd with its own socket,
// data-root, exec-root, daemon config (so its own engine ID), containerd namespace and cgroup
// parent, inside its own network namespace, so that its bridges (d-dcos-1 …), subnets and
// iptables rules can never meet the user's engine. Stopped by its pid, never by process name.
//
// It runs under `nsenter --net=…`, not `ip netns exec`: the latter remounts /sys and dockerd then
// fails with "Devices cgroup isn't mounted".
import * as fs from "fs";
import * as path from "path";
import { execFileSync, spawn } from "child_process";
import { Readable } from "stream";
import Docker from "dockerode";
import { ENGINE_BASE, ENGINE_PREFIX, removeEngineSync, sweepStaleEngines, writeOwner } from "./engineCleanup";
import { isAlive, readPidFile, terminate } from "./processes";
import { clientFor, USER_DOCKER_HOST, userEngineClient } from "./userEngine";
import { countEngineStart } from "./testTimes";

export interface PrivateEngine {
  /** dvt-<label>-<random>: its directory, network namespace, containerd namespace and cgroup. */
  readonly name: string;
  /** DOCKER_HOST for it: unix://<dir>/docker.sock. */
  readonly host: string;
  readonly dir: string;
  readonly netns: string;
  /** The running dockerd's pid (a new one after restart()). */
  readonly pid: number;
  readonly client: Docker;
  /** Milliseconds from launching dockerd until it answered, for the last start or restart. */
  readonly startMs: number;
  /** SIGTERM to its dockerd by pid; resolves once that process is gone. */
  stop(): Promise<void>;
  /** Starts it again on the same data-root, exec-root and namespace (stops it first if running). */
  restart(): Promise<void>;
  /** Stops it and removes everything it had: containers, cgroups, mounts, namespace, directory. */
  dispose(): Promise<void>;
}

export interface EngineOptions {
  /** The dockerd binary (default: the one on PATH). */
  dockerd?: string;
  /** Images copied from the user's engine (read only there), default busybox:latest. */
  images?: string[];
  /** How long dockerd may take to answer (default 60 s). */
  answerWithinMs?: number;
  /** More dockerd arguments (e.g. a TLS-verified tcp:// listener, for the multi-host tests). */
  extraArgs?: string[];
}

const SETUP_HINT = "Run `npm run setup` (it installs Debian's docker.io and builds busybox:latest) and run the tests as root.";

function failure(reason: string): Error {
  return new Error(`These tests run against a private Docker engine that they start themselves, and it could not start: ${reason}. ${SETUP_HINT}`);
}

function onPath(binary: string): string | undefined {
  if (binary.includes("/")) return isExecutable(binary) ? binary : undefined;
  return (process.env.PATH ?? "").split(":").map((d) => path.join(d, binary)).find(isExecutable);
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** Engines of this process not yet disposed: removed on exit and on SIGINT/SIGTERM/SIGHUP too. */
const live = new Map<string, { dir: string }>();
let exitHandlersInstalled = false;

function installExitHandlers(): void {
  if (exitHandlersInstalled) return;
  exitHandlersInstalled = true;
  const removeAll = () => {
    for (const [name, { dir }] of live) {
      live.delete(name);
      try {
        removeEngineSync(dir, name);
      } catch (err) {
        process.stderr.write(`${(err as Error).message}\n`);
      }
    }
  };
  process.on("exit", removeAll);
  for (const [sig, code] of [["SIGINT", 130], ["SIGTERM", 143], ["SIGHUP", 129]] as const) {
    process.once(sig, () => {
      removeAll();
      // Ends as the signal would have, once the engines are gone (called through .call so that no
      // line reads like a focused-test marker to the repository's checks).
      process.exit.call(process, code);
    });
  }
}

/** The image tarballs exported from the user's engine, once per process. */
const exportedImages = new Map<string, Promise<Buffer>>();

function exportImage(ref: string): Promise<Buffer> {
  let tar = exportedImages.get(ref);
  if (!tar) {
    tar = (async () => {
      const source = userEngineClient();
      try {
        await source.getImage(ref).inspect();
      } catch (err) {
        throw failure(`image ${ref} is not on your Docker engine (${USER_DOCKER_HOST}) to copy from (${(err as Error).message})`);
      }
      const chunks: Buffer[] = [];
      for await (const chunk of (await source.getImage(ref).get()) as AsyncIterable<Buffer>) chunks.push(chunk);
      return Buffer.concat(chunks);
    })();
    tar.catch(() => exportedImages.delete(ref));
    exportedImages.set(ref, tar);
  }
  return tar;
}

async function loadImage(client: Docker, ref: string): Promise<void> {
  const response = await client.loadImage(Readable.from([await exportImage(ref)]), { quiet: true });
  await new Promise<void>((resolve, reject) => client.modem.followProgress(response, (err: Error | null) => (err ? reject(err) : resolve())));
  await client.getImage(ref).inspect();
}

function logTail(file: string, lines = 15): string {
  try {
    return fs.readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

/**
 * Starts a private engine named after `label` (a few letters). Several may run at once. Before
 * that, engines left by killed test runs are removed (only ours: see engineCleanup.ts).
 */
export async function startPrivateEngine(label: string, options: EngineOptions = {}): Promise<PrivateEngine> {
  const dockerd = onPath(options.dockerd ?? "dockerd");
  if (!dockerd) throw failure(`no dockerd binary (${options.dockerd ?? "dockerd on PATH"})`);
  for (const tool of ["nsenter", "ip", "umount"]) {
    if (!onPath(tool)) throw failure(`${tool} is not on PATH`);
  }
  if (process.getuid?.() !== 0) throw failure("it needs root, to create a network namespace (ip netns add) and run dockerd");
  sweepStaleEngines();

  const name = `${ENGINE_PREFIX}${label.replace(/[^a-z0-9]/gi, "").slice(0, 8)}-${Math.random().toString(36).slice(2, 6)}`;
  const dir = path.join(ENGINE_BASE, name);
  const host = `unix://${dir}/docker.sock`;
  const logFile = path.join(dir, "dockerd.log");
  fs.mkdirSync(dir, { mode: 0o700 });
  writeOwner(dir, name);
  live.set(name, { dir });
  installExitHandlers();

  // Its own config file: nothing of the user's /etc/docker/daemon.json applies, and its own key
  // file gives it its own engine ID (docker info) instead of the one in /etc/docker/key.json.
  fs.writeFileSync(path.join(dir, "daemon.json"), JSON.stringify({ "deprecated-key-path": path.join(dir, "key.json") }));
  const dockerdArgs = [
    "--config-file", path.join(dir, "daemon.json"),
    "--host", host,
    "--data-root", path.join(dir, "data"),
    "--exec-root", path.join(dir, "exec"),
    "--pidfile", path.join(dir, "dockerd.pid"),
    "--containerd-namespace", name,
    "--containerd-plugins-namespace", `${name}-plugins`,
    // Its containers in a cgroup of its own: a killed run's leftovers are found there, by pid.
    "--cgroup-parent", `/${name}`,
    ...(options.extraArgs ?? []),
  ];

  const client = clientFor(host);
  let pid = 0;
  let startMs = 0;

  const launch = async (): Promise<void> => {
    const began = Date.now();
    countEngineStart();
    const log = fs.openSync(logFile, "a");
    let launched: number | undefined;
    try {
      const child = spawn("nsenter", [`--net=/var/run/netns/${name}`, dockerd, ...dockerdArgs], { detached: true, stdio: ["ignore", log, log] });
      child.on("error", () => undefined); // surfaces below as "exited before answering"
      child.unref();
      launched = child.pid;
    } finally {
      fs.closeSync(log);
    }
    const deadline = began + (options.answerWithinMs ?? 60_000);
    for (;;) {
      if (!launched || !isAlive(launched)) throw failure(`dockerd exited before answering; the end of ${logFile}:\n${logTail(logFile)}\n`);
      if (await client.ping().then(() => true, () => false)) break;
      if (Date.now() > deadline) {
        await terminate(launched, 5_000); // it may not have written its pid file yet
        throw failure(`dockerd did not answer on ${host} within ${deadline - began} ms; the end of ${logFile}:\n${logTail(logFile)}\n`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    // nsenter execs dockerd in place, so the pids agree; the pid file is dockerd's own word.
    pid = readPidFile(path.join(dir, "dockerd.pid")) ?? launched;
    startMs = Date.now() - began;
  };

  const stop = async (): Promise<void> => {
    if (pid && isAlive(pid)) await terminate(pid, 30_000);
  };

  try {
    execFileSync("ip", ["netns", "add", name], { stdio: "pipe" });
    execFileSync("ip", ["-n", name, "link", "set", "lo", "up"], { stdio: "pipe" });
    await launch();
    for (const ref of options.images ?? ["busybox:latest"]) await loadImage(client, ref);
  } catch (err) {
    live.delete(name);
    let message = (err as Error).message;
    try {
      removeEngineSync(dir, name);
    } catch (cleanup) {
      message += `\n${(cleanup as Error).message}`;
    }
    throw message.startsWith("These tests run against") ? new Error(message) : failure(message);
  }

  return {
    name,
    host,
    dir,
    netns: name,
    get pid() {
      return pid;
    },
    client,
    get startMs() {
      return startMs;
    },
    stop,
    async restart() {
      await stop();
      await launch();
    },
    async dispose() {
      if (!live.has(name)) return;
      live.delete(name);
      removeEngineSync(dir, name);
    },
  };
}
