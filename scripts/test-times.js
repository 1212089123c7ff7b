#!/usr/bin/env node
// Gathers the per-file records of one test run (.tools/test-times/<run>/*.jsonl, written by
// test/support/testTimes.ts) into .tools/test-times.md: one row per file, slowest first, with its
// wall time, Pulumi commands and private-engine starts, then the run's totals and how busy the
// machine's cores were. Usage: test-times.js RUN WALL_SECONDS CPU_BUSY_PERCENT JOBS
const fs = require("fs");
const path = require("path");

const [run, wallSeconds, cpuBusy, jobs] = process.argv.slice(2);
const root = path.resolve(__dirname, "..");
const dir = path.join(root, ".tools", "test-times", run);
const records = fs.existsSync(dir)
  ? fs.readdirSync(dir).flatMap((f) => fs.readFileSync(path.join(dir, f), "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l)))
  : [];
records.sort((a, b) => b.ms - a.ms);

// A file that left objects in its engine (so the next file starts a new one): the first few.
const leftovers = (r) => {
  const l = r.leftovers ?? [];
  return l.length > 3 ? `${l.slice(0, 3).join(", ")} and ${l.length - 3} more` : l.join(", ");
};
const seconds = (ms) => (ms / 1000).toFixed(1);
const sum = (key) => records.reduce((n, r) => n + (r[key] ?? 0), 0);
const kind = (file) => file.split("/")[1] ?? "?";
const byKind = {};
for (const r of records) {
  const k = (byKind[kind(r.file)] ??= { files: 0, ms: 0 });
  k.files++;
  k.ms += r.ms;
}

const lines = [
  `# Test times: run ${run}`,
  "",
  `npm test wall time **${wallSeconds} s** with ${jobs} workers; the cores were ${cpuBusy}% busy over the run.`,
  `${records.length} files, ${seconds(sum("ms"))} s of file time in all, ${sum("pulumiCommands")} Pulumi commands (${sum("engineRuns")} of them ran the engine: up, preview, refresh, destroy), ${sum("engineStarts")} private-engine starts.`,
  "",
  "| kind | files | file time (s) |",
  "|---|---:|---:|",
  ...Object.entries(byKind).sort((a, b) => b[1].ms - a[1].ms).map(([k, v]) => `| ${k} | ${v.files} | ${seconds(v.ms)} |`),
  "",
  "| file | wall (s) | pulumi commands | of them engine runs | engine starts | failed | left in its engine |",
  "|---|---:|---:|---:|---:|---:|---|",
  ...records.map((r) => `| ${r.file} | ${seconds(r.ms)} | ${r.pulumiCommands} | ${r.engineRuns ?? 0} | ${r.engineStarts} | ${r.failed} | ${leftovers(r)} |`),
  "",
];
const out = path.join(root, ".tools", "test-times.md");
fs.writeFileSync(out, lines.join("\n"));
// The durations, merged over runs, order the next run's files (scripts/test-order.js).
const durationsFile = path.join(root, ".tools", "test-durations.json");
let durations = {};
try {
  durations = JSON.parse(fs.readFileSync(durationsFile, "utf8"));
} catch {}
for (const r of records) durations[r.file] = r.ms;
fs.writeFileSync(durationsFile, JSON.stringify(durations, null, 1) + "\n");
fs.rmSync(dir, { recursive: true, force: true });
console.log(`per-file times: ${path.relative(process.cwd(), out)}`);
