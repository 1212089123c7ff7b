#!/usr/bin/env bash
# Usage: scripts/dockerd.sh start|stop
# start: runs Debian's dockerd in the background (log in .tools/dockerd.log, its pid in
#        .tools/dockerd.pid) and waits until it answers; a no-op when an engine already answers.
# stop:  stops the dockerd that `start` launched, by the pid it recorded, and waits until it is
#        gone. It refuses to stop an engine this script did not start (it never looks for dockerd
#        processes by name). The tests do not use this script: they run their own private engine.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mkdir -p "$ROOT/.tools"
PIDFILE="$ROOT/.tools/dockerd.pid"
answers() { docker info >/dev/null 2>&1; }

# The pid in $PIDFILE, if that process is alive and is the dockerd started with that pid file
# (so a stale file whose pid was reused by another process names nothing).
our_dockerd() {
  local pid
  pid=$(cat "$PIDFILE" 2>/dev/null) || return 1
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  tr '\0' '\n' < "/proc/$pid/cmdline" 2>/dev/null | grep -qxF -- "$PIDFILE" || return 1
  echo "$pid"
}

case "${1:-}" in
  start)
    answers && exit 0
    # dockerd writes its own pid to --pidfile once it runs, and removes it on a clean exit.
    setsid nohup dockerd --pidfile "$PIDFILE" >>"$ROOT/.tools/dockerd.log" 2>&1 < /dev/null &
    for _ in $(seq 1 60); do answers && exit 0; sleep 1; done
    echo "dockerd did not answer within 60s; see .tools/dockerd.log" >&2
    exit 1
    ;;
  stop)
    if ! pid=$(our_dockerd); then
      echo "scripts/dockerd.sh stop: no running dockerd was started by scripts/dockerd.sh start (no live pid in $PIDFILE);" \
        "refusing to stop any other engine. Stop it the way it was started." >&2
      exit 1
    fi
    kill -TERM "$pid"
    for _ in $(seq 1 60); do [ -e "/proc/$pid" ] || exit 0; sleep 1; done
    echo "dockerd (pid $pid) did not stop within 60s" >&2
    exit 1
    ;;
  *)
    echo "usage: scripts/dockerd.sh start|stop" >&2
    exit 2
    ;;
esac
