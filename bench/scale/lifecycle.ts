// One stack's life as the benchmark times it, the same for the project and for the engine floor:
// `up` from empty, a `preview` with nothing changed, a `preview` with one app changed, an `up`
// changing one app, `destroy`. Each step's outcome is checked (a preview that found changes where
// there are none would time something else), and each is one Automation API call: the real CLI,
// language host, program and provider process, as `pulumi <command>` runs them.
import { Stack } from "@pulumi/pulumi/automation";
import { timed } from "../measure";
import { CpuSplit, withCpuSplit } from "./cpuSplit";

export interface LifecycleTimes {
  up: number;
  previewSame: number;
  /** CPU of one more no-change preview, by process. */
  previewSameCpu: CpuSplit;
  previewOne: number;
  upOne: number;
  destroy: number;
}

export interface Phases {
  /** Declares the stack as first brought up. */
  initial(): Promise<void>;
  /** One app changed, for the one-change preview. */
  oneChanged(): Promise<void>;
  /** One app changed, for the one-change up (the project scales app 0 from 1 to 3 instances). */
  oneUpdated(): Promise<void>;
  /** Runs after the first up, before anything else (the project reads its objects there). */
  afterUp?(): Promise<void>;
}

/** The Automation API's own step counts of a preview: { same: 139 } or { same: 139, update: 1 }. */
function changes(summary: Record<string, number | undefined>): Record<string, number> {
  return Object.fromEntries(Object.entries(summary).filter((e): e is [string, number] => !!e[1]));
}

function expect(what: string, got: Record<string, number>, want: (g: Record<string, number>) => boolean): void {
  if (!want(got)) throw new Error(`${what}: unexpected steps ${JSON.stringify(got)}`);
}

/** A preview is cheap next to the rest: the best of PREVIEW_RUNS, so another process's burst of CPU on a shared machine counts less. */
export const PREVIEW_RUNS = 2;

async function bestPreview(stack: Stack, opts: { parallel?: number }, what: string, want: (s: Record<string, number>) => boolean): Promise<number> {
  let best = Infinity;
  for (let i = 0; i < PREVIEW_RUNS; i++) {
    let summary: Record<string, number> = {};
    best = Math.min(best, await timed(async () => (summary = changes((await stack.preview(opts)).changeSummary))));
    expect(what, summary, want);
  }
  return best;
}

export async function runLifecycle(stack: Stack, phases: Phases, resources: number, parallel?: number): Promise<LifecycleTimes> {
  const opts = parallel ? { parallel } : {};
  await phases.initial();
  let summary: Record<string, number> = {};
  const up = await timed(async () => (summary = changes((await stack.up(opts)).summary.resourceChanges ?? {})));
  expect("up from empty", summary, (s) => (s.create ?? 0) >= resources);
  await phases.afterUp?.();

  const noChange = (s: Record<string, number>) => Object.keys(s).every((k) => k === "same");
  const previewSame = await bestPreview(stack, opts, "preview with nothing changed", noChange);
  const { result: cpuRun, cpu: previewSameCpu } = await withCpuSplit(() => stack.preview(opts));
  expect("preview with nothing changed (CPU split)", changes(cpuRun.changeSummary), noChange);

  await phases.oneChanged();
  const previewOne = await bestPreview(stack, opts, "preview with one app changed",
    (s) => s.update === 1 && Object.keys(s).every((k) => k === "same" || k === "update"));

  await phases.oneUpdated();
  const upOne = await timed(async () => (summary = changes((await stack.up(opts)).summary.resourceChanges ?? {})));
  expect("up with one app changed", summary, (s) => s.update === 1 && Object.keys(s).every((k) => k === "same" || k === "update"));

  const destroy = await timed(async () => (summary = changes((await stack.destroy(opts)).summary.resourceChanges ?? {})));
  expect("destroy", summary, (s) => (s.delete ?? 0) >= resources);
  return { up, previewSame, previewSameCpu, previewOne, upOne, destroy };
}

/** Only `up` from empty and `destroy` (the project at another --parallel). */
export async function runUpDestroy(stack: Stack, resources: number, parallel?: number): Promise<{ up: number; destroy: number }> {
  const opts = parallel ? { parallel } : {};
  let summary: Record<string, number> = {};
  const up = await timed(async () => (summary = changes((await stack.up(opts)).summary.resourceChanges ?? {})));
  expect("up from empty", summary, (s) => (s.create ?? 0) >= resources);
  const destroy = await timed(async () => (summary = changes((await stack.destroy(opts)).summary.resourceChanges ?? {})));
  expect("destroy", summary, (s) => (s.delete ?? 0) >= resources);
  return { up, destroy };
}
