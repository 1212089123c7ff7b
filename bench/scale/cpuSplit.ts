// Where a Pulumi command's CPU goes, by process, measured the same way for the project and the
// engine floor: the Pulumi program (Node.js), the dynamic provider (Node.js), and the rest (the
// CLI's engine, the language host and the provider launcher, in Go). CPU seconds do not depend on
// what else the machine is running as wall time does, so they show what a ratio is made of.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { execFileSync } from "child_process";

export interface CpuSplit {
  program: number;
  provider: number;
  /** The CLI and its Go plugins, plus any other node process. */
  rest: number;
  total: number;
}

/**
 * Puts a `node` first on PATH that runs the real one with ./cpu/preload.js. Call before any stack
 * is created: the stacks' environment keeps the PATH of their creation.
 */
export function installCpuAccounting(): void {
  const realNode = execFileSync("sh", ["-c", "command -v node"], { encoding: "utf8" }).trim();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dcos-vnet-bench-cpu-"));
  const preload = path.join(__dirname, "cpu", "preload.js");
  fs.writeFileSync(path.join(dir, "node"), `#!/bin/sh\nexec ${JSON.stringify(realNode)} -r ${JSON.stringify(preload)} "$@"\n`, { mode: 0o755 });
  process.env.PATH = `${dir}:${process.env.PATH}`;
  process.on("exit", () => fs.rmSync(dir, { recursive: true, force: true }));
}

/** CPU seconds of this process's children that have ended and been waited for (Linux /proc, USER_HZ = 100). */
function endedChildrenCpu(): number {
  const stat = fs.readFileSync("/proc/self/stat", "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" "); // fields[0] is field 3 of proc(5)
  return (Number(fields[13]) + Number(fields[14])) / 100; // cutime, cstime
}

/** Runs `fn` (one pulumi command) and splits the CPU its process tree used. */
export async function withCpuSplit<T>(fn: () => Promise<T>): Promise<{ result: T; cpu: CpuSplit }> {
  const file = path.join(os.tmpdir(), `dcos-vnet-bench-cpu-${process.pid}-${Date.now()}.txt`);
  process.env.DCOS_VNET_BENCH_CPU_FILE = file;
  const before = endedChildrenCpu();
  try {
    const result = await fn();
    const total = endedChildrenCpu() - before;
    const byRole: Record<string, number> = {};
    const lines = fs.existsSync(file) ? fs.readFileSync(file, "utf8").trim().split("\n").filter(Boolean) : [];
    for (const line of lines) {
      const [role, seconds] = line.split(" ");
      byRole[role] = (byRole[role] ?? 0) + Number(seconds);
    }
    const program = byRole.program ?? 0, provider = byRole.provider ?? 0;
    return { result, cpu: { program, provider, rest: total - program - provider, total } };
  } finally {
    delete process.env.DCOS_VNET_BENCH_CPU_FILE;
    fs.rmSync(file, { force: true });
  }
}
