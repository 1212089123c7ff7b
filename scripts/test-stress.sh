#!/usr/bin/env bash
# Stress mode: runs the named test files N times over, under CPU load, so that a flake shows in
# minutes instead of across days of CI.
#
#   bash scripts/test-stress.sh [--repeat N] [--load K] [--twin] FILE...
#
#   --repeat N  rounds (default DCOS_VNET_TEST_REPEAT, else 3)
#   --load K    K busy processes (shell loops) for the whole run, started here and stopped by
#               their pids at the end (default 0)
#   --twin      each round runs the files twice at once: two test runs side by side, each with its
#               own workers and private engines (the files must not collide with themselves)
#
# Each round runs mocha as scripts/test.sh does (DCOS_VNET_TEST_JOBS workers, default 3) and
# prints each file's passed and failed tests and the titles of failures; the end lists each
# file's green rounds and a last line "N passed, N failed" over all rounds. Mocha's output of each
# round is in .tools/test-stress/<stress run>/, a failure's report in .tools/test-failures/<round>/.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$DCOS_VNET_ROOT"

repeat="${DCOS_VNET_TEST_REPEAT:-3}"
load=0
twin=0
files=()
while [ $# -gt 0 ]; do
  case "$1" in
    --repeat) repeat="${2:-}"; shift 2 ;;
    --load) load="${2:-}"; shift 2 ;;
    --twin) twin=1; shift ;;
    -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "test-stress: unknown option $1 (see --help)" >&2; exit 2 ;;
    *) files+=("$1"); shift ;;
  esac
done
[[ "$repeat" =~ ^[1-9][0-9]*$ ]] || { echo "test-stress: --repeat (or DCOS_VNET_TEST_REPEAT) must be a whole number ≥ 1, not '$repeat'" >&2; exit 2; }
[[ "$load" =~ ^[0-9]+$ ]] || { echo "test-stress: --load must be a whole number ≥ 0, not '$load'" >&2; exit 2; }
[ ${#files[@]} -gt 0 ] || { echo "test-stress: name the test files to run, e.g. test/e2e/coexistence.e2e.test.ts" >&2; exit 2; }
for f in "${files[@]}"; do [ -f "$f" ] || { echo "test-stress: no test file $f" >&2; exit 2; }; done

stress="$(date +%Y%m%d-%H%M%S)-$$"
dir=".tools/test-stress/$stress"
mkdir -p "$dir"
jobs="${DCOS_VNET_TEST_JOBS:-3}"

# The load: busy shell loops of this script's own, stopped by pid whatever way the script ends.
load_pids=()
stop_load() {
  [ ${#load_pids[@]} -gt 0 ] && kill "${load_pids[@]}" 2>/dev/null
  load_pids=()
}
trap stop_load EXIT
trap 'stop_load; exit 130' INT
trap 'stop_load; exit 143' TERM
for _ in $(seq 1 "$load"); do
  sh -c 'while :; do :; done' &
  load_pids+=($!)
done

# One mocha run of the files; its per-file results go to $dir/<name>.json.
run_once() {
  local name="$1"
  DCOS_VNET_TEST_RUN="stress-$stress-$name" DCOS_VNET_TEST_FILE_RESULTS="$dir/$name.json" \
    npx mocha --parallel --jobs "$jobs" --reporter "$DCOS_VNET_ROOT/test/support/summaryReporter.js" "${files[@]}" \
    > "$dir/$name.log" 2>&1
  rm -rf ".tools/test-times/stress-$stress-$name" # per-file times of stress rounds are not kept
}

# Prints a run's per-file counts and adds them to the totals file ($dir/totals.jsonl).
report_run() {
  local name="$1"
  node -e '
    const fs = require("fs");
    const [results, log, totals, name] = process.argv.slice(1);
    const files = fs.existsSync(results) ? JSON.parse(fs.readFileSync(results, "utf8")) : { "(the run)": { passed: 0, failed: 1, skipped: 0, failures: [`ended without results: see ${log}`] } };
    for (const [file, r] of Object.entries(files)) {
      console.log(`  ${name}  ${file}: ${r.passed} passed, ${r.failed} failed${r.skipped ? `, ${r.skipped} skipped` : ""}`);
      for (const title of r.failures) console.log(`      failed: ${title}`);
      fs.appendFileSync(totals, JSON.stringify({ file, passed: r.passed, failed: r.failed, skipped: r.skipped }) + "\n");
    }
  ' "$dir/$name.json" "$dir/$name.log" "$dir/totals.jsonl" "$name"
  [ -d ".tools/test-failures/stress-$stress-$name" ] && echo "      failure reports: .tools/test-failures/stress-$stress-$name/"
  return 0
}

echo "stress run $stress: ${#files[@]} file(s), $repeat round(s), $load busy process(es)$([ $twin = 1 ] && echo ", two runs at once")"
began=$(date +%s)
for round in $(seq 1 "$repeat"); do
  round_began=$(date +%s)
  if [ $twin = 1 ]; then
    run_once "r$round-a" & a=$!
    run_once "r$round-b" & b=$!
    wait "$a" "$b"
    names=("r$round-a" "r$round-b")
  else
    run_once "r$round"
    names=("r$round")
  fi
  echo "round $round/$repeat ($(( $(date +%s) - round_began )) s, load average $(cut -d' ' -f1 /proc/loadavg)):"
  for name in "${names[@]}"; do report_run "$name"; done
done
stop_load

node -e '
  const fs = require("fs");
  const [totals, rounds, seconds, dir] = process.argv.slice(1);
  const rows = fs.readFileSync(totals, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l));
  const perFile = {};
  for (const r of rows) {
    const f = (perFile[r.file] ??= { runs: 0, green: 0 });
    f.runs++;
    if (r.failed === 0) f.green++;
  }
  console.log(`\nover ${rounds} round(s) in ${seconds} s (logs: ${dir}/):`);
  for (const [file, f] of Object.entries(perFile)) console.log(`  ${file}: ${f.green} of ${f.runs} runs green`);
  const sum = (k) => rows.reduce((n, r) => n + r[k], 0);
  const skipped = sum("skipped");
  console.log(`${sum("passed")} passed, ${sum("failed")} failed${skipped ? `, ${skipped} skipped` : ""}`);
  process.exitCode = sum("failed") > 0 ? 1 : 0;
' "$dir/totals.jsonl" "$repeat" "$(( $(date +%s) - began ))" "$dir"
