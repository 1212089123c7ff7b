// Runs the Pulumi CLI for `dcos-vnet adopt`. Like stackFiles.pulumi (this project's toolchain via
// scripts/env.sh when the project has it, else the `pulumi` on PATH), plus two things adopt needs:
// a value given on stdin (`pulumi config set --secret KEY` reads it there), so that a token never
// appears in a process list or shell history, and the CLI's progress shown as it runs.
import * as fs from "fs";
import * as path from "path";
import { ChildProcess, spawn } from "child_process";

export interface RunOptions {
  root: string;
  /** Written to the CLI's stdin, then closed. */
  input?: string;
  /** Shows the CLI's output (on stderr) as it runs. */
  show?: boolean;
  /** Given the running CLI (bash exec's pulumi, so a signal sent to it reaches pulumi). */
  onSpawn?: (child: ChildProcess) => void;
}

export function runPulumi(args: string[], opts: RunOptions): Promise<string> {
  const env = path.join(opts.root, "scripts", "env.sh");
  // A local file backend's folder is made if missing (as setup does): adopt may be a project's first command.
  const backendDir = `case "\${PULUMI_BACKEND_URL:-}" in file://*) mkdir -p "\${PULUMI_BACKEND_URL#file://}";; esac`;
  const script = `${fs.existsSync(env) ? `source "${env}" && ` : ""}${backendDir} && exec pulumi "$@"`;
  return new Promise((resolve, reject) => {
    const child = spawn("bash", ["-c", script, "pulumi", ...args, "--non-interactive"], { cwd: opts.root, stdio: ["pipe", "pipe", "pipe"] });
    opts.onSpawn?.(child);
    let out = "";
    let err = "";
    child.stdout.on("data", (c: Buffer) => {
      out += c.toString();
      if (opts.show) process.stderr.write(c);
    });
    child.stderr.on("data", (c: Buffer) => {
      err += c.toString();
      if (opts.show) process.stderr.write(c);
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) resolve(out);
      else reject(new Error(`pulumi ${args.filter((a) => !a.startsWith("--stack")).slice(0, 3).join(" ")} failed (exit ${code}):\n${(err || out).trim()}`));
    });
    child.stdin.end(opts.input ?? "");
  });
}
