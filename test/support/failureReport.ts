// What the harness saw when a test failed, attached to the failure so that it explains itself: the
// Pulumi commands still running (what a test that timed out was waiting for), the last Pulumi
// command's arguments, exit code and the end of its output, and `docker ps -a` and
// `docker network ls` of the tests' private engine when it runs. Mocha's Runner#fail is wrapped
// (rootHooks.ts loads this file in every worker), so tests and hooks alike are covered, timeouts
// too, before any reporter sees the failure; hence synchronous. The report goes at the end of the
// error's stack (mocha prints it after the message and its diff) and in full to
// .tools/test-failures/<run>/<test file>.txt, which the message names.
import * as fs from "fs";
import * as path from "path";
import { execFileSync } from "child_process";
import { ENGINE_BASE, ENGINE_PREFIX } from "./engineCleanup";
import { ROOT } from "./paths";
import { describePulumiRun, lastPulumiRun, noteRunningFile, runningPulumiRuns, seconds, tailLines } from "./pulumiRuns";

const REPORTED = Symbol("dcos-vnet failure report attached");

function pulumiSection(file: string | undefined, errorText: string, lines: number): string[] {
  const now = Date.now();
  const running = runningPulumiRuns();
  const from = (r: { file?: string }) => (r.file && r.file !== file ? ` (started by ${path.relative(ROOT, r.file)})` : "");
  const sections = running.map((r) => `Pulumi command running when this failed${from(r)}:\n${describePulumiRun(r, lines, now)}`);
  const last = lastPulumiRun();
  // The last one of this file only; its output only when the error does not already hold it.
  if (last && !running.includes(last) && (!file || last.file === file)) {
    const lastLines = last.stdout.trim().split("\n").slice(-3).map((l) => l.trim()).filter(Boolean);
    const shown = lastLines.length > 0 && lastLines.every((l) => errorText.includes(l));
    const described = describePulumiRun(last, lines, now, shown);
    sections.push(`The last Pulumi command (ended ${seconds(now - last.ended!)} before this failure):\n${described}`);
  }
  return sections;
}

/** The suite's private engine, if one runs in this process (never the user's: DOCKER_HOST is checked). */
function engineSection(lines: number): string[] {
  const host = process.env.DOCKER_HOST ?? "";
  if (!host.startsWith(`unix://${ENGINE_BASE}/${ENGINE_PREFIX}`)) return [];
  const docker = (args: string[]) => {
    try {
      return execFileSync("docker", args, { env: { ...process.env, DOCKER_HOST: host }, encoding: "utf8", stdio: "pipe", timeout: 10_000 });
    } catch (err) {
      const e = err as { stderr?: string; message: string };
      return `(failed: ${(e.stderr || e.message).trim()})`;
    }
  };
  return [
    `The tests' private engine (${host}):\n$ docker ps -a\n${tailLines(docker(["ps", "-a"]), lines)}\n$ docker network ls\n${tailLines(docker(["network", "ls"]), lines)}`,
  ];
}

function reportFile(testFile: string | undefined): string {
  const run = process.env.DCOS_VNET_TEST_RUN ?? "outside-test-sh";
  const name = testFile ? path.relative(ROOT, testFile).replace(/[\\/]/g, "_") : "root-hooks";
  return path.join(ROOT, ".tools", "test-failures", run, `${name}.txt`);
}

/** Writes the full report for a failed test or hook and appends a shorter one to its error's stack. */
export function attachReport(runnable: Mocha.Runnable, err: Error & { [REPORTED]?: boolean }): void {
  if (err[REPORTED]) return;
  err[REPORTED] = true;
  const errorText = `${err.message}\n${err.stack ?? ""}`;
  const short = [...pulumiSection(runnable.file, errorText, 30), ...engineSection(40)];
  if (short.length === 0) return; // no Pulumi command ran in this file, and no engine runs
  const file = reportFile(runnable.file);
  const full = [...pulumiSection(runnable.file, "", 400), ...engineSection(400)];
  let written = "";
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const title = `${(runnable as { type?: string }).type === "hook" ? "hook: " : ""}${runnable.fullTitle()}`;
    fs.appendFileSync(file, `=== ${new Date().toISOString()} ${title}\n${err.stack ?? err.message}\n\n${full.join("\n\n")}\n\n`);
    written = ` (in full: ${path.relative(ROOT, file)})`;
  } catch (writeErr) {
    written = ` (not written to ${file}: ${(writeErr as Error).message})`;
  }
  const report = `\n--- what the harness saw when this failed${written} ---\n${short.join("\n\n")}`;
  err.stack = `${err.stack ?? `${err.name}: ${err.message}`}${report}`;
}

interface RunnerWithFail {
  fail(runnable: Mocha.Runnable, err: unknown, force?: boolean): unknown;
}

interface RunnableWithRun {
  file?: string;
  run(fn: unknown): unknown;
}

const mocha = require("mocha") as { Runner: { prototype: RunnerWithFail }; Runnable: { prototype: RunnableWithRun } };

// Each test and hook notes its file as it starts: a Pulumi command is reported with the file that ran it.
const runnablePrototype = mocha.Runnable.prototype;
const runRunnable = runnablePrototype.run;
runnablePrototype.run = function (this: RunnableWithRun, fn: unknown) {
  noteRunningFile(this.file);
  return runRunnable.call(this, fn);
};

const runnerPrototype = mocha.Runner.prototype;
const fail = runnerPrototype.fail;
runnerPrototype.fail = function (this: RunnerWithFail, runnable: Mocha.Runnable, err: unknown, force?: boolean) {
  const counts = !(runnable.isPending() && force !== true);
  if (counts && err instanceof Error) {
    try {
      attachReport(runnable, err);
    } catch (reportErr) {
      err.stack = `${err.stack}\n(the harness's failure report failed: ${(reportErr as Error).message})`;
    }
  }
  return fail.call(this, runnable, err, force);
};
