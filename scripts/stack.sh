#!/usr/bin/env bash
# Usage: scripts/stack.sh up|preview|destroy|refresh [--stack NAME] [extra pulumi flags]
# Selects (creating if needed) the stack, dev by default, and runs the Pulumi command on it.
# up and preview refresh first: a preview compares code with state only (the same on every
# machine), so drift on the local engine (a container killed, a network removed) is found by the
# refresh, and up then heals it. Plain `pulumi preview` without --refresh shows code changes only.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$DCOS_VNET_ROOT"

command=${1:?usage: stack.sh up|preview|destroy|refresh [--stack NAME]}
shift
stack=${STACK:-dev}
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --stack) stack=$2; shift 2 ;;
    --stack=*) stack=${1#--stack=}; shift ;;
    *) extra+=("$1"); shift ;;
  esac
done

# Pulumi runs 4 × cores resource operations at once by default (8 on 2 cores), sized for
# CPU-bound providers. Ours mostly wait on dockerd (a container's create and start), so a local
# cluster comes up and goes down faster with more at once: 16, as `npm run bench` measures
# (README, Benchmarks). PULUMI_PARALLEL or a -p/--parallel flag of yours wins.
export PULUMI_PARALLEL="${PULUMI_PARALLEL:-16}"

pulumi stack select "$stack" --create --non-interactive >/dev/null
case "$command" in
  up) pulumi up --yes --refresh --non-interactive --stack "$stack" "${extra[@]}" ;;
  preview) pulumi preview --diff --refresh --non-interactive --stack "$stack" "${extra[@]}" ;;
  destroy) pulumi destroy --yes --non-interactive --stack "$stack" "${extra[@]}" ;;
  refresh) pulumi refresh --yes --non-interactive --stack "$stack" "${extra[@]}" ;;
  *) echo "unknown command: $command" >&2; exit 2 ;;
esac
