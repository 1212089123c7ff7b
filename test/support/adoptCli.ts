// `dcos-vnet adopt` run from a test as a user runs it (the package's bin, the caller's environment),
// with its exit code and both streams kept, whether it succeeded or not.
import * as path from "path";
import { execFile } from "child_process";
import { promisify } from "util";
import { ROOT } from "./paths";

export const DCOS_VNET_BIN = path.join(ROOT, "bin", "dcos-vnet");

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runDcosVnet(args: string[], env: Record<string, string>): Promise<CliRun> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [DCOS_VNET_BIN, ...args], {
      cwd: ROOT, env: { ...process.env, ...env }, maxBuffer: 64 * 2 ** 20,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
