#!/usr/bin/env bash
# Usage: scripts/dockerd.sh start|stop
# start: runs Debian's dockerd in the background (log in .tools/dockerd.log) and waits until it
#        answers; a no-op when an engine already answers.
# stop:  stops the dockerd this machine runs and waits until it is gone (used by the fault tests).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mkdir -p "$ROOT/.tools"
answers() { docker info >/dev/null 2>&1; }

case "${1:-}" in
  start)
    answers && exit 0
    setsid nohup dockerd >>"$ROOT/.tools/dockerd.log" 2>&1 < /dev/null &
    for _ in $(seq 1 60); do answers && exit 0; sleep 1; done
    echo "dockerd did not answer within 60s; see .tools/dockerd.log" >&2
    exit 1
    ;;
  stop)
    pkill -TERM -x dockerd || exit 0
    for _ in $(seq 1 60); do pgrep -x dockerd >/dev/null || exit 0; sleep 1; done
    echo "dockerd did not stop within 60s" >&2
    exit 1
    ;;
  *)
    echo "usage: scripts/dockerd.sh start|stop" >&2
    exit 2
    ;;
esac
