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

# Test files run in parallel workers (DCOS_VNET_TEST_JOBS, default 2: the CI machine's cores). Each
# worker starts its own private engine, so e2e files never share networks, subnets or containers.
npx mocha --parallel --jobs "${DCOS_VNET_TEST_JOBS:-2}" \
  --reporter "$DCOS_VNET_ROOT/test/support/summaryReporter.js" "${@:-test/**/*.test.ts}"
rc=$?
[ -f "$summary" ] || echo "0 passed, 1 failed" > "$summary"
cat "$summary"
exit $rc
