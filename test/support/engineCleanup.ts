// Removing a private engine completely, and sweeping those that a killed test run left behind.
// Everything is found through the engine's own directory, never by process name: dockerd and
// containerd by their pid files, containers by their cgroup (the engine's --cgroup-parent), the
// containerd shims as the parents of those containers' init processes; then the engine's mounts,
// its network namespace and its directory. Synchronous, so that it also runs in an "exit" handler.
import * as fs from "fs";
import * as path from "path";
import { execFileSync } from "child_process";
import { isAlive, parentOf, readPidFile, runsWith, signal, sleepSync, startTimeOf, terminateSync, waitGoneSync } from "./processes";

/** Short on purpose: a unix socket path (<dir>/docker.sock) must stay under ~107 bytes. */
export const ENGINE_BASE = "/tmp";
/** Every private engine's directory, network namespace and cgroup is named dvt-<label>-<random>. */
export const ENGINE_PREFIX = "dvt-";
const OWNER_FILE = "owner.json";
const REMOVER_FILE = "remover.json";
const CGROUP_ROOT = "/sys/fs/cgroup";

/** The test process that owns an engine; once it is gone, the engine is stale. */
interface Owner {
  pid: number;
  start: string;
  name: string;
}

export function writeOwner(dir: string, name: string): void {
  const owner: Owner = { pid: process.pid, start: startTimeOf(process.pid) ?? "", name };
  fs.writeFileSync(path.join(dir, OWNER_FILE), JSON.stringify(owner));
}

function readOwner(dir: string): Owner | undefined {
  try {
    const owner = JSON.parse(fs.readFileSync(path.join(dir, OWNER_FILE), "utf8")) as Owner;
    return owner.name === path.basename(dir) ? owner : undefined;
  } catch {
    return undefined;
  }
}

/** The process removing a stale engine (REMOVER_FILE), so that two sweeps never remove one at once. */
interface Remover {
  pid: number;
  start: string;
}

function isLive(p: { pid: number; start: string }): boolean {
  return isAlive(p.pid) && startTimeOf(p.pid) === p.start;
}

/**
 * Marks the engine in `dir` as being removed by this process. False when another live process
 * already is (its sweep, at the start of another test run or mocha worker): that one finishes it.
 * A remover that died half-way is taken over. Tests also call it to keep a stale engine of their
 * own for their own sweep.
 */
export function claimRemoval(dir: string): boolean {
  const file = path.join(dir, REMOVER_FILE);
  const me: Remover = { pid: process.pid, start: startTimeOf(process.pid) ?? "" };
  for (let tries = 0; tries < 3; tries++) {
    try {
      fs.writeFileSync(file, JSON.stringify(me), { flag: "wx" });
      return true;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === "ENOENT") return false; // removed meanwhile
      if (code !== "EEXIST") throw err;
    }
    let other: Remover | undefined;
    try {
      other = JSON.parse(fs.readFileSync(file, "utf8")) as Remover;
    } catch {
      other = undefined; // being written right now, or gone: look again
    }
    if (other?.pid === me.pid && other.start === me.start) return true;
    if (other && isLive(other)) return false;
    if (other) fs.rmSync(file, { force: true }); // its remover died: take over
  }
  return false;
}

/**
 * Removes every private engine whose owning test process is gone, unless another live process is
 * removing it already. Returns the names removed.
 */
export function sweepStaleEngines(): string[] {
  const removed: string[] = [];
  for (const entry of fs.readdirSync(ENGINE_BASE)) {
    if (!entry.startsWith(ENGINE_PREFIX)) continue;
    const dir = path.join(ENGINE_BASE, entry);
    const owner = readOwner(dir);
    if (!owner) continue; // not made by this harness: not ours to touch
    if (isLive(owner)) continue; // a live test run's
    if (!claimRemoval(dir)) continue; // another sweep is removing it
    try {
      removeEngineSync(dir, owner.name);
      removed.push(owner.name);
    } catch (err) {
      // Reported, not fatal: a new engine does not depend on an old one being gone.
      process.stderr.write(`stale ${(err as Error).message}\n`);
    }
  }
  return removed;
}

/** The cgroup directories named after the engine, in every hierarchy (cgroup v1 and v2). */
function engineCgroups(name: string): string[] {
  const candidates = [path.join(CGROUP_ROOT, name)];
  for (const hierarchy of fs.existsSync(CGROUP_ROOT) ? fs.readdirSync(CGROUP_ROOT) : []) {
    candidates.push(path.join(CGROUP_ROOT, hierarchy, name));
  }
  return candidates.filter((d) => fs.existsSync(path.join(d, "cgroup.procs")));
}

/** Every pid in a cgroup tree. */
function cgroupPids(dir: string): number[] {
  const pids = fs
    .readFileSync(path.join(dir, "cgroup.procs"), "utf8")
    .split("\n")
    .filter(Boolean)
    .map(Number);
  for (const child of fs.readdirSync(dir, { withFileTypes: true })) {
    if (child.isDirectory()) pids.push(...cgroupPids(path.join(dir, child.name)));
  }
  return pids;
}

/** Depth first; a cgroup whose last task just died can stay busy for a moment. */
function removeCgroupTree(dir: string): void {
  for (const child of fs.readdirSync(dir, { withFileTypes: true })) {
    if (child.isDirectory()) removeCgroupTree(path.join(dir, child.name));
  }
  for (let tries = 1; ; tries++) {
    try {
      return fs.rmdirSync(dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EBUSY" || tries === 40) throw err;
      sleepSync(50);
    }
  }
}

/** Mount points at or below dir, deepest first (mountinfo escapes spaces etc. as octal). */
function mountsUnder(dir: string): string[] {
  return fs
    .readFileSync("/proc/self/mountinfo", "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => line.split(" ")[4].replace(/\\([0-7]{3})/g, (_, o) => String.fromCharCode(parseInt(o, 8))))
    .filter((m) => m === dir || m.startsWith(`${dir}/`))
    .sort((a, b) => b.length - a.length);
}

/**
 * Stops and removes one private engine: its processes, cgroups, mounts, network namespace and
 * directory. Safe to call on a half-made or already stopped engine. Throws one error that lists
 * every step that failed, after trying them all.
 */
export function removeEngineSync(dir: string, name: string): void {
  if (!name.startsWith(ENGINE_PREFIX) || path.dirname(dir) !== ENGINE_BASE) {
    throw new Error(`refusing to remove ${dir} (${name}): not a private test engine`);
  }
  const failures: string[] = [];
  const attempt = (what: string, step: () => void) => {
    try {
      step();
    } catch (err) {
      failures.push(`${what}: ${(err as Error).message}`);
    }
  };

  // dockerd is asked to stop (SIGTERM) and meanwhile its containers are killed by the pids in the
  // engine's cgroup, again until dockerd is gone: a clean shutdown would give each container 10 s
  // (busybox `sleep` as pid 1 ignores SIGTERM), and dockerd restarts killed containers that have a
  // restart policy until it is shutting down. The containers' parents that are this engine's
  // containerd shims are noted, in case nothing is left to reap them.
  const cgroups = engineCgroups(name);
  const shims = new Set<number>();
  const killContainers = () => {
    for (const pid of new Set(cgroups.flatMap(cgroupPids))) {
      const parent = parentOf(pid);
      if (parent !== undefined && runsWith(parent, dir)) shims.add(parent);
      signal(pid, "SIGKILL");
    }
  };
  const dockerd = readPidFile(path.join(dir, "dockerd.pid"));
  if (dockerd && runsWith(dockerd, dir)) {
    attempt(`stop dockerd ${dockerd}`, () => {
      signal(dockerd, "SIGTERM");
      const deadline = Date.now() + 30_000;
      while (isAlive(dockerd) && Date.now() < deadline) {
        killContainers();
        sleepSync(100);
      }
      terminateSync(dockerd, 0);
    });
  }
  attempt("kill the engine's containers", () => {
    killContainers();
    for (const pid of cgroups.flatMap(cgroupPids)) {
      if (!waitGoneSync(pid, 10_000)) throw new Error(`process ${pid} survived SIGKILL`);
    }
  });
  // What a killed dockerd leaves: its containerd, and shims that no containerd reaps.
  const containerd = readPidFile(path.join(dir, "exec", "containerd", "containerd.pid"));
  if (containerd && runsWith(containerd, dir)) attempt(`stop containerd ${containerd}`, () => terminateSync(containerd, 10_000));
  for (const shim of shims) {
    if (runsWith(shim, dir)) attempt(`stop containerd shim ${shim}`, () => terminateSync(shim, 5_000));
  }
  for (const cgroup of cgroups) attempt(`remove cgroup ${cgroup}`, () => removeCgroupTree(cgroup));

  for (const mount of mountsUnder(dir)) attempt(`unmount ${mount}`, () => execFileSync("umount", ["-l", mount], { stdio: "pipe" }));
  if (fs.existsSync(`/var/run/netns/${name}`)) {
    attempt(`delete network namespace ${name}`, () => execFileSync("ip", ["netns", "delete", name], { stdio: "pipe" }));
  }
  // --one-file-system: never descend into anything still mounted below the directory.
  attempt(`remove ${dir}`, () => execFileSync("rm", ["-rf", "--one-file-system", dir], { stdio: "pipe" }));

  if (failures.length > 0) throw new Error(`private engine ${name} was not removed completely:\n- ${failures.join("\n- ")}`);
}
