// The Pulumi commands the tests run (pulumi.ts records each one), kept for the report of a failing
// test (failureReport.ts): the last command's arguments, exit code and output, and the commands
// still running when a test failed, which is what a test that timed out was waiting for.
const KEEP = 64 * 1024; // of each stream, the end: where Pulumi prints its errors

export interface PulumiRun {
  args: string[];
  /** The test file whose test or hook ran it. */
  file?: string;
  began: number;
  ended?: number;
  /** Exit code; undefined while it runs. */
  code?: number;
  stdout: string;
  stderr: string;
  /** What was thrown, when the command printed nothing (e.g. it could not start). */
  error?: string;
}

let last: PulumiRun | undefined;
let runningFile: string | undefined;

/** The test file whose test or hook runs now (failureReport.ts notes it). */
export function noteRunningFile(file: string | undefined): void {
  runningFile = file;
}
const running = new Set<PulumiRun>();

function keepEnd(text: string): string {
  return text.length > KEEP ? text.slice(-KEEP) : text;
}

export function pulumiStarted(args: string[]): PulumiRun {
  const run: PulumiRun = { args: [...args], file: runningFile, began: Date.now(), stdout: "", stderr: "" };
  running.add(run);
  last = run;
  return run;
}

/** Output as it arrives, so that a command still running at a failure shows how far it got. */
export function pulumiOutput(run: PulumiRun, stream: "stdout" | "stderr", data: unknown): void {
  run[stream] = keepEnd(run[stream] + String(data));
}

/** The command ended with `code`; `error` is what was thrown, kept when the output does not say it. */
export function pulumiEnded(run: PulumiRun, code: number, error?: unknown): void {
  run.ended = Date.now();
  run.code = code;
  if (error !== undefined && !run.stdout.trim() && !run.stderr.trim()) {
    run.error = keepEnd(error instanceof Error ? error.message : String(error));
  }
  running.delete(run);
}

/** The last Pulumi command started (running or ended). */
export function lastPulumiRun(): PulumiRun | undefined {
  return last;
}

/** The Pulumi commands running now, oldest first. */
export function runningPulumiRuns(): PulumiRun[] {
  return [...running];
}

export function tailLines(text: string, lines: number): string {
  const all = text.trimEnd().split("\n");
  return (all.length > lines ? [`… (${all.length - lines} lines before)`, ...all.slice(-lines)] : all).join("\n");
}

function indent(text: string): string {
  return text.replace(/^/gm, "    ");
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** A Pulumi command: its arguments, how it ended (or that it runs), and the end of its output. */
export function describePulumiRun(run: PulumiRun, lines: number, now = Date.now(), outputShown = false): string {
  const state = run.ended === undefined ? `still running, for ${seconds(now - run.began)}` : `exit code ${run.code} after ${seconds(run.ended - run.began)}`;
  const parts = [`$ pulumi ${run.args.join(" ")}   (${state})`];
  if (outputShown) return `${parts[0]}\n  (its output is in the error above)`;
  if (run.stdout.trim()) parts.push(`  stdout, the end:\n${indent(tailLines(run.stdout, lines))}`);
  if (run.stderr.trim()) parts.push(`  stderr, the end:\n${indent(tailLines(run.stderr, Math.ceil(lines / 2)))}`);
  if (run.error) parts.push(`  thrown:\n${indent(tailLines(run.error, 10))}`);
  if (!run.stdout.trim() && !run.stderr.trim() && !run.error) parts.push("  (no output)");
  return parts.join("\n");
}
