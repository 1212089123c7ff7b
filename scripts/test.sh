#!/usr/bin/env bash
# Runs every test suite (unit, declaration, provider against dockerd, end-to-end through the real
# Pulumi CLI, the policy pack's rules, and the toolchain's Go tests, one mocha test per Go test:
# test/toolchain/goTests.test.ts) and ends with one line: "N passed, N failed[, N skipped]".
# Tests that need Docker or Pulumi fail (never skip) when those are missing.
# Docker tests run on a private engine that the harness starts (its own dockerd in its own network
# namespace, see test/support/privateEngine.ts) and removes afterwards: the user's engine, stacks
# and containers are never touched. setup provides dockerd and the busybox image copied into it.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$DCOS_VNET_ROOT"
mkdir -p .tools
summary=.tools/test-summary.txt
rm -f "$summary"

# Each file's wall time, Pulumi commands and engine starts go to .tools/test-times.md
# (scripts/test-times.js), with how busy the cores were over the run (from /proc/stat).
export DCOS_VNET_TEST_RUN="$(date +%Y%m%d-%H%M%S)-$$"
jobs="${DCOS_VNET_TEST_JOBS:-3}"
cpu_ticks() { awk '/^cpu /{ print $2+$3+$4+$7+$8, $2+$3+$4+$5+$6+$7+$8 }' /proc/stat; }
read -r busy0 total0 < <(cpu_ticks)
began=$(date +%s)

# Test files run in parallel workers (DCOS_VNET_TEST_JOBS, default 3 on the CI machine's 2 cores:
# end-to-end files spend about a third of their time waiting on health-check intervals, deployments
# and timeouts they test, so with 2 workers the cores were 70-81% busy, with 3 about 96%). Each
# worker starts its own private engine, so e2e files never share networks, subnets or containers.
# With no files named, every test file, longest first (scripts/test-order.js).
if [ $# -eq 0 ]; then mapfile -t files < <(node scripts/test-order.js); else files=("$@"); fi
npx mocha --parallel --jobs "$jobs" \
  --reporter "$DCOS_VNET_ROOT/test/support/summaryReporter.js" "${files[@]}"
rc=$?
read -r busy1 total1 < <(cpu_ticks)
node scripts/test-times.js "$DCOS_VNET_TEST_RUN" "$(( $(date +%s) - began ))" \
  "$(( (busy1 - busy0) * 100 / (total1 - total0 > 0 ? total1 - total0 : 1) ))" "$jobs" || true
[ -f "$summary" ] || echo "0 passed, 1 failed" > "$summary"
cat "$summary"
exit $rc
