// Processes named by pid, never by name: whether one is alive, which one it is (start time,
// command line), stopping it and waiting until it is gone. The synchronous forms exist for the
// process "exit" handler, where nothing asynchronous runs any more.
import * as fs from "fs";

/** Fields of /proc/<pid>/stat after the command name (field 3, the state, is index 0). */
function statFields(pid: number): string[] | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  } catch {
    return undefined;
  }
}

/** Alive and not a zombie (a zombie still answers kill(pid, 0) but is already gone). */
export function isAlive(pid: number): boolean {
  const state = statFields(pid)?.[0];
  return state !== undefined && state !== "Z" && state !== "X";
}

/** PF_EXITING in /proc/<pid>/stat's flags (field 9): the process is in do_exit. */
const PF_EXITING = 0x4;

/**
 * Whether the process has begun to exit. The init of a PID namespace (a container's first
 * process) that ends stays in do_exit, neither zombie nor gone, until the kernel has killed and
 * reaped every other process of its namespace: a `docker exec` in the container returns 137 in
 * that window, while dockerd still reports the run as running.
 */
export function isExiting(pid: number): boolean {
  const flags = Number(statFields(pid)?.[6]);
  return Number.isInteger(flags) && (flags & PF_EXITING) !== 0;
}

/** Start time in clock ticks since boot: with the pid, it names one process even after pid reuse. */
export function startTimeOf(pid: number): string | undefined {
  return statFields(pid)?.[19];
}

export function parentOf(pid: number): number | undefined {
  const ppid = Number(statFields(pid)?.[1]);
  return Number.isInteger(ppid) && ppid > 0 ? ppid : undefined;
}

export function commandLineOf(pid: number): string[] {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean);
  } catch {
    return [];
  }
}

/** True when the live process `pid` was started with an argument containing `marker`. */
export function runsWith(pid: number, marker: string): boolean {
  return isAlive(pid) && commandLineOf(pid).some((arg) => arg.includes(marker));
}

export function readPidFile(file: string): number | undefined {
  try {
    const pid = Number(fs.readFileSync(file, "utf8").trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

export function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ESRCH") throw err;
  }
}

export function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

export function waitGoneSync(pid: number, timeoutMs: number): boolean {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() > deadline) return false;
    sleepSync(50);
  }
  return true;
}

export async function waitGone(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}

/** SIGTERM, then SIGKILL if it is still there after `graceMs`; returns once it is gone. */
export function terminateSync(pid: number, graceMs: number): void {
  signal(pid, "SIGTERM");
  if (waitGoneSync(pid, graceMs)) return;
  signal(pid, "SIGKILL");
  if (!waitGoneSync(pid, 10_000)) throw new Error(`process ${pid} is still alive 10 s after SIGKILL`);
}

export async function terminate(pid: number, graceMs: number): Promise<void> {
  signal(pid, "SIGTERM");
  if (await waitGone(pid, graceMs)) return;
  signal(pid, "SIGKILL");
  if (!(await waitGone(pid, 10_000))) throw new Error(`process ${pid} is still alive 10 s after SIGKILL`);
}

/**
 * The pid of the process listening on a unix socket (e.g. the dockerd behind
 * /var/run/docker.sock): the socket's inode from /proc/net/unix, then the process holding it.
 * Only sockets of this process's network namespace are listed there.
 */
export function listenerOfUnixSocket(socketPath: string): number | undefined {
  const listening = fs
    .readFileSync("/proc/net/unix", "utf8")
    .split("\n")
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    // Num RefCount Protocol Flags Type St Inode Path; St 01 = unconnected, Flags 00010000 = listening
    .filter((f) => f[7] === socketPath && f[3] === "00010000");
  const inodes = new Set(listening.map((f) => `socket:[${f[6]}]`));
  if (inodes.size === 0) return undefined;
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let fds: string[];
    try {
      fds = fs.readdirSync(`/proc/${entry}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        if (inodes.has(fs.readlinkSync(`/proc/${entry}/fd/${fd}`))) return Number(entry);
      } catch {
        // the fd closed while we looked
      }
    }
  }
  return undefined;
}
