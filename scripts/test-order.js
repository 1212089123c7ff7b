#!/usr/bin/env node
// Prints the test files (test/**/*.test.ts), longest first, for mocha's parallel workers: a long
// file started last would keep one worker busy while the other idles (longest-processing-time
// first). Durations come from the last run on this machine (.tools/test-durations.json, written by
// scripts/test-times.js); files it does not know yet go by kind (end-to-end and fault files, which
// bring stacks up, before the rest) and then by size.
const fs = require("fs");
const path = require("path");

const root = path.resolve(__dirname, "..");
const known = (() => {
  try {
    return JSON.parse(fs.readFileSync(path.join(root, ".tools", "test-durations.json"), "utf8"));
  } catch {
    return {};
  }
})();

function testFiles(dir) {
  return fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) return testFiles(rel);
    return e.name.endsWith(".test.ts") ? [rel] : [];
  });
}

const slowKind = (file) => /^test\/(e2e|faults)\//.test(file);
const estimate = (file) => known[file] ?? (slowKind(file) ? 1e6 : 0) + fs.statSync(path.join(root, file)).size;
const files = testFiles("test").sort((a, b) => estimate(b) - estimate(a) || a.localeCompare(b));
console.log(files.join("\n"));
