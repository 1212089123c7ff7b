// Per-file timing of a test run: wall time, Pulumi commands and private-engine starts, written by
// the root hooks of each worker (one JSON line per file) and gathered by scripts/test-times.js into
// .tools/test-times.md after the run. The counters are process-wide; each file records its delta.
import * as fs from "fs";
import * as path from "path";
import { ROOT } from "./paths";

const counters = { pulumiCommands: 0, engineRuns: 0, engineStarts: 0 };

/**
 * The commands that run Pulumi's deployment engine: each starts the stack's providers (for this
 * project, a Node.js dynamic-provider process), and `up` and `preview` also run the program (a
 * language host and a Node.js program). A preview of the dev stack costs 2.5–3.3 s of CPU on the
 * 2-core machine; `refresh` and `destroy` do not run the program and cost less. The others only
 * read or write the state or config (`stack output`: about 0.2 s).
 */
const ENGINE_RUNS = new Set(["up", "update", "preview", "refresh", "destroy", "import"]);

/** One `pulumi` CLI invocation by the tests (Automation API or direct), with its arguments. */
export function countPulumiCommand(args: readonly string[]): void {
  counters.pulumiCommands++;
  if (ENGINE_RUNS.has(args[0])) counters.engineRuns++;
}

/** One private dockerd started (first start or restart). */
export function countEngineStart(): void {
  counters.engineStarts++;
}

interface FileStart {
  file: string;
  began: number;
  pulumiCommands: number;
  engineRuns: number;
  engineStarts: number;
}

let current: FileStart | undefined;

/** The run's directory of per-worker records (set by scripts/test.sh; none outside it). */
function recordDir(): string | undefined {
  const run = process.env.DCOS_VNET_TEST_RUN;
  return run ? path.join(ROOT, ".tools", "test-times", run) : undefined;
}

export function fileStarted(file: string): void {
  current = { file: path.relative(ROOT, file), began: Date.now(), ...counters };
}

/** `leftovers`: what the file left in its engine (which was then removed instead of kept). */
export function fileEnded(failed: number, leftovers: string[]): void {
  const dir = recordDir();
  if (!current || !dir) return;
  const record = {
    file: current.file,
    ms: Date.now() - current.began,
    pulumiCommands: counters.pulumiCommands - current.pulumiCommands,
    engineRuns: counters.engineRuns - current.engineRuns,
    engineStarts: counters.engineStarts - current.engineStarts,
    failed,
    leftovers,
    worker: process.pid,
  };
  fs.mkdirSync(dir, { recursive: true });
  fs.appendFileSync(path.join(dir, `${process.pid}.jsonl`), JSON.stringify(record) + "\n");
  current = undefined;
}
