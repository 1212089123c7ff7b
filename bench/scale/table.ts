// The scale benchmark's Markdown: the machine, the timings side by side with their ratios and
// goals, the growth from the small size to the large one, and the state's bytes per resource type.
import { fmt, row } from "../measure";
import { LifecycleTimes } from "./lifecycle";
import { Size, customResources, sizeLabel } from "./spec";
import { TypeSize } from "./stateSize";
import { CLI_PARALLEL } from "./dockerCli";

export interface SizeResult {
  size: Size;
  project: LifecycleTimes;
  /** The project's up and destroy at Pulumi's default --parallel. */
  atDefault: { up: number; destroy: number };
  floor: LifecycleTimes;
  cli: { create: number; remove: number };
  compose: { up: number; down: number } | { skipped: string };
  state: { total: number; types: TypeSize[] };
}

const s = (ms: number | undefined) => (ms === undefined ? "—" : fmt(ms / 1000, 1));
const x = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined ? "—" : `${fmt(a / b, 2)}×`);

interface Measure {
  name: string;
  project: (r: SizeResult) => number;
  floor: (r: SizeResult) => number | undefined;
  cli?: (r: SizeResult) => number;
  compose?: (r: SizeResult) => number | undefined;
  goal: string;
}

const composeOf = (r: SizeResult) => ("skipped" in r.compose ? undefined : r.compose);

const MEASURES: Measure[] = [
  { name: "`up` from empty", project: (r) => r.project.up, floor: (r) => r.floor.up, cli: (r) => r.cli.create, compose: (r) => composeOf(r)?.up, goal: "≤ 1.3× docker CLI, < compose" },
  { name: "`preview`, nothing changed", project: (r) => r.project.previewSame, floor: (r) => r.floor.previewSame, goal: "≤ 1.15× floor" },
  { name: "`preview`, one app changed", project: (r) => r.project.previewOne, floor: (r) => r.floor.previewOne, goal: "≤ 1.15× floor" },
  { name: "`up`, one app scaled 1 → 3", project: (r) => r.project.upOne, floor: (r) => r.floor.upOne, goal: "" },
  { name: "`destroy`", project: (r) => r.project.destroy, floor: (r) => r.floor.destroy, cli: (r) => r.cli.remove, compose: (r) => composeOf(r)?.down, goal: "≤ 1.3× docker CLI" },
  { name: "`up` from empty, Pulumi's default --parallel", project: (r) => r.atDefault.up, floor: () => undefined, cli: (r) => r.cli.create, compose: (r) => composeOf(r)?.up, goal: "" },
  { name: "`destroy`, Pulumi's default --parallel", project: (r) => r.atDefault.destroy, floor: () => undefined, cli: (r) => r.cli.remove, compose: (r) => composeOf(r)?.down, goal: "" },
];

export function machineLine(m: { cpus: string; memory: string; docker: string; pulumi: string; node: string; load: string }): string {
  return `Machine: ${m.cpus}, ${m.memory} memory, Docker ${m.docker} (a private engine of the benchmark's own), ` +
    `Pulumi CLI ${m.pulumi}, Node.js ${m.node}; load average when the benchmark started: ${m.load}.`;
}

export function timingTable(results: SizeResult[]): string[] {
  const out = [
    row(["measure", "networks × apps", "this project (s)", "engine floor (s)", "÷ floor", `docker CLI, ${CLI_PARALLEL} at once (s)`, "÷ CLI", "docker-compose (s)", "÷ compose", "goal"]),
    row(Array(10).fill("---")),
  ];
  for (const m of MEASURES) {
    for (const r of results) {
      const p = m.project(r), f = m.floor(r), c = m.cli?.(r), d = m.compose?.(r);
      out.push(row([m.name, sizeLabel(r.size), s(p), s(f), x(p, f), s(c), x(p, c), s(d), x(p, d), m.goal]));
    }
  }
  return out;
}

/** Large size over small size, per measure and tool, next to the growth in resources. */
export function growthTable(small: SizeResult, large: SizeResult): string[] {
  const g = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined ? "—" : `${fmt(b / a, 2)}×`);
  const res = customResources(large.size) / customResources(small.size);
  const out = [
    `Growth from ${sizeLabel(small.size)} to ${sizeLabel(large.size)}: ${fmt(res, 2)}× the resources, ` +
      `${fmt(large.size.apps / small.size.apps, 2)}× the containers. Linear work grows by about that much; quadratic work would grow ~${fmt(res * res, 0)}×.`,
    "",
    row(["measure", "this project", "engine floor", "docker CLI", "docker-compose"]),
    row(Array(5).fill("---")),
  ];
  for (const m of MEASURES) {
    out.push(row([m.name, g(m.project(small), m.project(large)), g(m.floor(small), m.floor(large)),
      g(m.cli?.(small), m.cli?.(large)), g(m.compose?.(small), m.compose?.(large))]));
  }
  return out;
}

export function stateTable(results: SizeResult[]): string[] {
  const types = [...new Set(results.flatMap((r) => r.state.types.map((t) => t.type)))];
  const out = [
    row(["resource type", ...results.flatMap((r) => [`bytes each at ${sizeLabel(r.size)}`, "inputs / outputs", "secrets"]), "goal"]),
    row(Array(2 + 3 * results.length).fill("---")),
  ];
  for (const type of types) {
    const cells = results.flatMap((r) => {
      const t = r.state.types.find((u) => u.type === type);
      return t ? [fmt(t.bytes, 0), `${fmt(t.inputs, 0)} / ${fmt(t.outputs, 0)}`, fmt(t.secrets, 0)] : ["—", "—", "—"];
    });
    out.push(row([type, ...cells, type === "MarathonApp" ? "≤ 4,096, flat" : ""]));
  }
  out.push(row(["whole state file", ...results.flatMap((r) => [fmt(r.state.total, 0), "", ""]), ""]));
  return out;
}

/**
 * CPU seconds of a no-change preview by process, project next to floor: what the preview ratio is
 * made of (the program's share grows with the properties each resource passes, the provider's
 * with what check and diff do, the rest with the state the engine reads and the payloads it sends).
 */
export function previewCpuTable(results: SizeResult[]): string[] {
  const out = [
    row(["networks × apps", "process", "this project (CPU s)", "engine floor (CPU s)", "difference (CPU s)", "÷ floor"]),
    row(Array(6).fill("---")),
  ];
  const parts: Array<[string, (c: LifecycleTimes["previewSameCpu"]) => number]> = [
    ["Pulumi program (Node.js)", (c) => c.program],
    ["dynamic provider (Node.js)", (c) => c.provider],
    ["CLI engine, language host, launcher (Go)", (c) => c.rest],
    ["all", (c) => c.total],
  ];
  for (const r of results) {
    for (const [name, of] of parts) {
      const p = of(r.project.previewSameCpu), f = of(r.floor.previewSameCpu);
      out.push(row([sizeLabel(r.size), name, fmt(p, 2), fmt(f, 2), fmt(p - f, 2), `${fmt(p / f, 2)}×`]));
    }
  }
  return out;
}
