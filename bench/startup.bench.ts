// What the toolchain's node start-up (tools/pulumi-cli/internal/nodestart) saves on every Pulumi
// command: the same `pulumi preview` of the same stack (5 networks × 20 apps, from empty, no
// engine needed), run with the preload and without it (DCOS_VNET_NODE_PRELOAD=off), alternated so
// that other work on the machine falls on both alike. CPU seconds by process, median of the runs.
import * as fs from "fs";
import { requirePulumi, createTestStack } from "../test/support/pulumi";
import { tempDir } from "../test/support/project";
import { CpuSplit, installCpuAccounting, withCpuSplit } from "./scale/cpuSplit";
import { SIZES, sizeLabel, stackConfig, writeApps } from "./scale/spec";
import { fmt, row } from "./measure";

const ROUNDS = 5;
const SWITCH = "DCOS_VNET_NODE_PRELOAD";

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export async function benchStartup(): Promise<string[]> {
  await requirePulumi(); // also builds and installs the package the stack runs
  installCpuAccounting(); // before the stack exists: it keeps the PATH of its creation
  const size = SIZES[0];
  const appsDir = tempDir("startup-apps");
  writeApps(appsDir, size);
  const t = await createTestStack("startup", stackConfig(size, appsDir));
  const saved = process.env[SWITCH];
  const runs: Record<"off" | "on", CpuSplit[]> = { off: [], on: [] };
  try {
    for (let i = 0; i < ROUNDS; i++) {
      for (const mode of ["off", "on"] as const) {
        if (mode === "off") process.env[SWITCH] = "off";
        else delete process.env[SWITCH];
        const { result, cpu } = await withCpuSplit(() => t.stack.preview());
        if (!result.changeSummary.create) throw new Error(`the preview (${mode}) plans no creates: ${JSON.stringify(result.changeSummary)}`);
        runs[mode].push(cpu);
      }
    }
  } finally {
    if (saved === undefined) delete process.env[SWITCH];
    else process.env[SWITCH] = saved;
    await t.dispose();
    fs.rmSync(appsDir, { recursive: true, force: true });
  }
  const parts: Array<[string, keyof CpuSplit]> = [
    ["the Pulumi program (Node.js)", "program"],
    ["the dynamic provider (Node.js)", "provider"],
    ["the CLI, the language host and the launcher (Go)", "rest"],
    ["all", "total"],
  ];
  return [
    `## Node.js start-up: a \`pulumi preview\` with and without the preload (${sizeLabel(size)}, from empty)`,
    "",
    `CPU seconds by process, median of ${ROUNDS} runs each, alternated. Without: ${SWITCH}=off.`,
    "",
    row(["process", "without the preload", "with it", "with / without"]),
    row(["---", "---:", "---:", "---:"]),
    ...parts.map(([label, key]) => {
      const off = median(runs.off.map((c) => c[key]));
      const on = median(runs.on.map((c) => c[key]));
      return row([label, fmt(off, 2), fmt(on, 2), `${fmt(on / off, 2)}×`]);
    }),
    "",
  ];
}
