#!/usr/bin/env bash
# One idempotent setup: npm dependencies, the compiled package, the Pulumi CLI at the SDK's version, a Docker engine and
# the local busybox image. Fast when everything is already there; every step says what it did.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
ROOT="$DCOS_VNET_ROOT"
TOOLS="$ROOT/.tools"
mkdir -p "$TOOLS/bin"

say() { printf '[setup] %s\n' "$*"; }
die() { printf '[setup] ERROR: %s\n' "$*" >&2; exit 1; }
now() { date +%s; }
T0=$(now)

# --- npm dependencies --------------------------------------------------------------------------
lock_hash=$(sha256sum "$ROOT/package-lock.json" | cut -c1-16)
if [ "$(cat "$ROOT/node_modules/.dcos-vnet-lock" 2>/dev/null)" != "$lock_hash" ]; then
  say "npm ci (package-lock.json changed or node_modules missing)"
  (cd "$ROOT" && npm ci --no-audit --no-fund --loglevel=error)
  echo "$lock_hash" > "$ROOT/node_modules/.dcos-vnet-lock"
else
  say "npm dependencies: up to date"
fi

# --- The package, compiled (what the stacks, the provider process and the bin run) ------------
bash "$ROOT/scripts/build.sh"
say "package: built in dist/"

# --- Pulumi CLI ----------------------------------------------------------------------------------
PULUMI_VERSION="v$(node -p "require('$ROOT/package.json').devDependencies['@pulumi/pulumi']")"
DYNAMIC_PROVIDER="$ROOT/node_modules/@pulumi/pulumi/pulumi-resource-pulumi-nodejs"
WRAPPER="$ROOT/tools/pulumi-cli"
stamp="$PULUMI_VERSION $(cat "$WRAPPER/go.mod" "$WRAPPER/go.sum" "$WRAPPER"/language-nodejs/*.go | sha256sum | cut -c1-16)"

version_of() { "$1" version 2>/dev/null | tr -d '[:space:]'; }

# A pulumi elsewhere on PATH (not ours) at exactly the SDK's version, with its language host.
system_pulumi() {
  local p
  p=$(PATH="${PATH#"$TOOLS/bin:"}" command -v pulumi 2>/dev/null) || return 1
  [ "$(version_of "$p")" = "$PULUMI_VERSION" ] || return 1
  local dir; dir=$(dirname "$(readlink -f "$p")")
  [ -x "$dir/pulumi-language-nodejs" ] || return 1
  echo "$dir"
}

build_pulumi() {
  command -v go >/dev/null || die "Go is needed to build the Pulumi CLI (no pulumi $PULUMI_VERSION on PATH)"
  say "building Pulumi CLI $PULUMI_VERSION and the Node.js language host from Go modules (a few minutes, once)"
  local ldflags="-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$PULUMI_VERSION"
  local start; start=$(now)
  (
    cd "$WRAPPER"
    # auto: use this Go if it satisfies go.mod, else fetch the required toolchain from the Go proxy.
    export GOTOOLCHAIN=auto CGO_ENABLED=0 GOFLAGS=-buildvcs=false
    # go build fetches just the modules it needs (go mod download would try the whole graph,
    # some of whose versions the proxy does not serve).
    say "  fetching modules and compiling (progress every 100 packages)"
    go build -v -ldflags "$ldflags" -o "$TOOLS/build/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi 2>&1 |
      awk -v t0="$start" '{ n++; if (n % 100 == 0) { printf "[setup]    %d packages compiled (%ds)\n", n, systime() - t0; fflush() } }'
    go build -ldflags "$ldflags" -o "$TOOLS/build/pulumi-language-nodejs" ./language-nodejs
  )
  [ "$(version_of "$TOOLS/build/pulumi")" = "$PULUMI_VERSION" ] || die "the built pulumi does not report $PULUMI_VERSION"
  mv -f "$TOOLS/build/pulumi" "$TOOLS/build/pulumi-language-nodejs" "$TOOLS/bin/"
  echo "$stamp" > "$TOOLS/pulumi.stamp"
  say "built Pulumi CLI $PULUMI_VERSION in $(( $(now) - start ))s"
}

if [ -x "$TOOLS/bin/pulumi" ] && [ "$(cat "$TOOLS/pulumi.stamp" 2>/dev/null)" = "$stamp" ]; then
  say "Pulumi CLI $PULUMI_VERSION: cached in .tools/bin"
elif dir=$(system_pulumi); then
  ln -sf "$dir/pulumi" "$TOOLS/bin/pulumi"
  ln -sf "$dir/pulumi-language-nodejs" "$TOOLS/bin/pulumi-language-nodejs"
  echo "$stamp" > "$TOOLS/pulumi.stamp"
  say "Pulumi CLI $PULUMI_VERSION: using the one in $dir"
else
  mkdir -p "$TOOLS/build"
  rm -f "$TOOLS/bin/pulumi" "$TOOLS/bin/pulumi-language-nodejs"
  build_pulumi
fi
# Dynamic providers run through this shim, shipped with @pulumi/pulumi.
ln -sf "$DYNAMIC_PROVIDER" "$TOOLS/bin/pulumi-resource-pulumi-nodejs"

# --- Docker engine -------------------------------------------------------------------------------
docker_answers() { docker info >/dev/null 2>&1; }
if docker_answers; then
  say "Docker engine: answering"
elif [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  if ! command -v dockerd >/dev/null || ! command -v docker >/dev/null; then
    say "installing Debian's docker.io"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io >/dev/null
  fi
  say "starting dockerd in the background (log: .tools/dockerd.log)"
  bash "$ROOT/scripts/dockerd.sh" start || die "dockerd did not start; see .tools/dockerd.log"
  say "Docker engine: started"
else
  die "no Docker engine answers (DOCKER_HOST=${DOCKER_HOST:-unix:///var/run/docker.sock}). Install Docker (Debian: sudo apt-get install docker.io), start dockerd, then run npm run setup again."
fi

# --- Local busybox image (no registry is reachable) ---------------------------------------------
if docker image inspect busybox:latest >/dev/null 2>&1; then
  say "image busybox:latest: present"
else
  if [ ! -x /bin/busybox ] || ! /bin/busybox --list | grep -qx httpd; then
    [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null || die "busybox-static is needed to build busybox:latest (apt-get install busybox-static)"
    say "installing Debian's busybox-static"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq busybox-static >/dev/null
  fi
  say "building busybox:latest with docker import from /bin/busybox"
  rootfs=$(mktemp -d)
  mkdir -p "$rootfs/bin" "$rootfs/etc" "$rootfs/tmp" "$rootfs/var/www"
  cp /bin/busybox "$rootfs/bin/busybox"
  for applet in sh sleep env ip ping nc wget httpd cat echo ls hostname ifconfig nslookup printf \
                grep sed awk true false kill ps id mkdir rm seq wc head tail date uname; do
    ln -s busybox "$rootfs/bin/$applet"
  done
  echo "root:x:0:0:root:/root:/bin/sh" > "$rootfs/etc/passwd"
  tar -C "$rootfs" -c . | docker import -c 'CMD ["sh"]' -c 'ENV PATH=/bin' - busybox:latest >/dev/null
  rm -rf "$rootfs"
  say "image busybox:latest: built"
fi

# --- State backend -------------------------------------------------------------------------------
case "${PULUMI_BACKEND_URL:-}" in
  file://*) mkdir -p "${PULUMI_BACKEND_URL#file://}"; say "state backend: ${PULUMI_BACKEND_URL}" ;;
  "") say "state backend: the one you logged in to (pulumi login)" ;;
  *) say "state backend: $PULUMI_BACKEND_URL" ;;
esac
say "ready in $(( $(now) - T0 ))s (pulumi $(version_of "$TOOLS/bin/pulumi"), docker $(docker version --format '{{.Server.Version}}'))"
