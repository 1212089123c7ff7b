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

# --- The policy pack's own dependencies (policy/, run by `pulumi preview --policy-pack policy`) -----
policy_hash=$(sha256sum "$ROOT/policy/package-lock.json" | cut -c1-16)
if [ "$(cat "$ROOT/policy/node_modules/.dcos-vnet-lock" 2>/dev/null)" != "$policy_hash" ]; then
  say "npm ci in policy/ (its package-lock.json changed or policy/node_modules is missing)"
  (cd "$ROOT/policy" && npm ci --no-audit --no-fund --loglevel=error)
  echo "$policy_hash" > "$ROOT/policy/node_modules/.dcos-vnet-lock"
else
  say "policy pack dependencies: up to date"
fi

# --- Pulumi CLI ----------------------------------------------------------------------------------
# A `pulumi` on PATH at the SDK's version or newer, with its own Node.js language host, is used as
# it is. Otherwise the CLI is built from Go modules at the SDK's version, with our language host
# (tools/pulumi-cli/language-nodejs) unless a Pulumi language host that fits is on PATH. Either way
# the dynamic-provider launcher is ours when Go is there (it stops providers when the CLI dies).
PULUMI_VERSION="v$(node -p "require('$ROOT/package.json').devDependencies['@pulumi/pulumi']")"
SDK_SHIM="$ROOT/node_modules/@pulumi/pulumi/pulumi-resource-pulumi-nodejs"
WRAPPER="$ROOT/tools/pulumi-cli"
# What the binaries are built from: Go sources, and the files they embed (internal/nodestart).
go_sources() { find "$WRAPPER" \( -name '*.go' ! -name '*_test.go' -o -name '*.js' \) ! -path '*/testdata/*' | sort | xargs cat; }
stamp="$PULUMI_VERSION $( (cat "$WRAPPER/go.mod" "$WRAPPER/go.sum"; go_sources) | sha256sum | cut -c1-16)"
LDFLAGS="-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$PULUMI_VERSION"

# Which pulumi and language host to use: scripts/pulumi-toolchain.sh (tested by
# test/toolchain/cliChoice.test.ts).
# PATH without our own .tools/bin: what the user has.
USER_PATH=$(printf '%s' "$PATH" | tr ':' '\n' | grep -vxF "$TOOLS/bin" | paste -sd: -)
source "$ROOT/scripts/pulumi-toolchain.sh"

build_go() { # build_go OUTPUT PACKAGE
  (cd "$WRAPPER" && GOTOOLCHAIN=auto CGO_ENABLED=0 GOFLAGS=-buildvcs=false go build -ldflags "$LDFLAGS" -o "$1" "$2")
}

build_pulumi() {
  command -v go >/dev/null || die "Go is needed to build the Pulumi CLI ($WHY_NOT)"
  say "building Pulumi CLI $PULUMI_VERSION from Go modules ($WHY_NOT; a few minutes, once)"
  local start; start=$(now)
  (
    cd "$WRAPPER"
    # auto: use this Go if it satisfies go.mod, else fetch the required toolchain from the Go proxy.
    export GOTOOLCHAIN=auto CGO_ENABLED=0 GOFLAGS=-buildvcs=false
    # go build fetches just the modules it needs (go mod download would try the whole graph,
    # some of whose versions the proxy does not serve).
    say "  fetching modules and compiling (progress every 100 packages)"
    go build -v -ldflags "$LDFLAGS" -o "$TOOLS/build/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi 2>&1 |
      awk -v t0="$start" '{ n++; if (n % 100 == 0) { printf "[setup]    %d packages compiled (%ds)\n", n, systime() - t0; fflush() } }'
  )
  [ "$(version_of "$TOOLS/build/pulumi")" = "$PULUMI_VERSION" ] || die "the built pulumi does not report $PULUMI_VERSION"
  local host
  if host=$(fitting_host ""); then
    ln -sf "${host% *}" "$TOOLS/build/pulumi-language-nodejs"
    say "  Node.js language host: Pulumi's ${host% *} (${host#* }), found on PATH"
  else
    build_go "$TOOLS/build/pulumi-language-nodejs" ./language-nodejs
    say "  Node.js language host: ours (tools/pulumi-cli/language-nodejs), no Pulumi host at $PULUMI_VERSION or newer on PATH"
  fi
  mv -f "$TOOLS/build/pulumi" "$TOOLS/build/pulumi-language-nodejs" "$TOOLS/bin/"
  say "built Pulumi CLI $PULUMI_VERSION in $(( $(now) - start ))s"
}

mkdir -p "$TOOLS/build"
WHY_NOT=""
if user_cli; then
  ln -sf "$CLI_DIR/pulumi" "$TOOLS/bin/pulumi"
  ln -sf "$HOST" "$TOOLS/bin/pulumi-language-nodejs"
  echo "user $CLI_DIR $CLI_VERSION $HOST" > "$TOOLS/pulumi.stamp"
  say "Pulumi CLI: using $CLI_DIR/pulumi ($CLI_VERSION, the SDK is $PULUMI_VERSION) with its Node.js language host $HOST ($HOST_VERSION)"
elif [ -x "$TOOLS/bin/pulumi" ] && [ ! -L "$TOOLS/bin/pulumi" ] && [ "$(cat "$TOOLS/pulumi.stamp" 2>/dev/null)" = "$stamp" ]; then
  say "Pulumi CLI $PULUMI_VERSION: our build, cached in .tools/bin ($WHY_NOT)"
else
  rm -f "$TOOLS/bin/pulumi" "$TOOLS/bin/pulumi-language-nodejs"
  build_pulumi
  echo "$stamp" > "$TOOLS/pulumi.stamp"
fi
# Dynamic providers (`pulumi-resource-pulumi-nodejs`): our launcher when Go is there, else the
# SDK's shim script (then a provider outlives a CLI killed with SIGKILL).
if command -v go >/dev/null; then
  launcher_stamp="$stamp"
  if [ "$(cat "$TOOLS/provider.stamp" 2>/dev/null)" != "$launcher_stamp" ] || [ -L "$TOOLS/bin/pulumi-resource-pulumi-nodejs" ]; then
    build_go "$TOOLS/build/pulumi-resource-pulumi-nodejs" ./dynamic-provider
    mv -f "$TOOLS/build/pulumi-resource-pulumi-nodejs" "$TOOLS/bin/"
    echo "$launcher_stamp" > "$TOOLS/provider.stamp"
    say "dynamic-provider launcher: built (tools/pulumi-cli/dynamic-provider)"
  else
    say "dynamic-provider launcher: cached in .tools/bin"
  fi
else
  ln -sf "$SDK_SHIM" "$TOOLS/bin/pulumi-resource-pulumi-nodejs"
  rm -f "$TOOLS/provider.stamp"
  say "dynamic providers: the SDK's shim script (no Go to build our launcher, which stops them when the CLI dies)"
fi

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
# scripts/busyboxImage.sh: Debian's busybox-static with every applet in /bin and its `wget -T`
# fixed, labelled with a hash of its recipe. Built when missing, rebuilt when an earlier setup built
# it otherwise (its wget -T segfaulted); a busybox:latest that setup did not build is left alone.
if [ ! -x /bin/busybox ] || ! /bin/busybox --list | grep -qx httpd; then
  [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null || die "busybox-static is needed to build busybox:latest (apt-get install busybox-static)"
  say "installing Debian's busybox-static"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq busybox-static >/dev/null
fi
built=$(bash "$ROOT/scripts/busyboxImage.sh" --if-stale busybox:latest) || die "scripts/busyboxImage.sh could not build busybox:latest"
while read -r line; do say "$line"; done <<< "$built"

# --- Tools of the multi-host tests (test/support/hostCluster.ts, tlsCerts.ts) --------------------
# ip (veth pairs, bridge), iptables (the bridge's FORWARD rule), openssl (a throwaway TLS CA).
missing=()
for pair in ip:iproute2 iptables:iptables openssl:openssl; do
  command -v "${pair%%:*}" >/dev/null || missing+=("${pair#*:}")
done
if [ ${#missing[@]} -gt 0 ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  say "installing ${missing[*]} (multi-host tests)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# --- A Docker registry for the image-pull tests (test/e2e/imagePull.e2e.test.ts) -----------------
# Debian's docker-registry (distribution 2.8) and htpasswd (apache2-utils, for its bcrypt password
# file). The tests run /usr/bin/docker-registry with their own config inside their private engine's
# network namespace; the package's own service is not wanted, so when this step installs the
# package it stops and disables that service (a registry the user already had is left alone).
if [ -x /usr/bin/docker-registry ] && command -v htpasswd >/dev/null; then
  say "docker-registry and htpasswd: present"
elif [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  had_registry=$(dpkg-query -W -f='${Status}' docker-registry 2>/dev/null | grep -c "ok installed" || true)
  say "installing Debian's docker-registry and apache2-utils (for the image-pull tests)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-registry apache2-utils >/dev/null
  if [ "$had_registry" = 0 ]; then
    if [ -d /run/systemd/system ] && command -v systemctl >/dev/null; then
      systemctl disable --now docker-registry.service >/dev/null 2>&1 || true
    else
      if command -v update-rc.d >/dev/null; then update-rc.d docker-registry disable >/dev/null 2>&1 || true; fi
      if command -v invoke-rc.d >/dev/null; then invoke-rc.d docker-registry stop >/dev/null 2>&1 || true; fi
    fi
    say "  the package's docker-registry service: stopped and disabled (the tests start their own)"
  fi
else
  say "WARNING: docker-registry or htpasswd missing and cannot install them (not root with apt): the image-pull tests will fail; apt-get install docker-registry apache2-utils"
fi

# --- Local HAProxy image for VIPs (no registry is reachable) ---------------------------------
# The local cluster serves each DC/OS VIP with HAProxy in a container on the app's network (see
# README "VIPs"). The image is Debian's haproxy binary plus the libraries ldd lists, and busybox's
# sh to write the config handed over in the environment.
VIP_IMAGE=dcos-vnet-haproxy:2.6
if docker image inspect "$VIP_IMAGE" >/dev/null 2>&1; then
  say "image $VIP_IMAGE: present"
else
  if [ ! -x /usr/sbin/haproxy ]; then
    [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null || die "haproxy is needed to build $VIP_IMAGE (apt-get install haproxy)"
    say "installing Debian's haproxy"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq haproxy >/dev/null
    # Only the binary is wanted: the package's own service stays off.
    { systemctl disable --now haproxy || service haproxy stop; } >/dev/null 2>&1 || true
  fi
  say "building $VIP_IMAGE with docker import from /usr/sbin/haproxy"
  rootfs=$(mktemp -d)
  mkdir -p "$rootfs/bin" "$rootfs/usr/sbin" "$rootfs/etc" "$rootfs/tmp" "$rootfs/run"
  cp /usr/sbin/haproxy "$rootfs/usr/sbin/haproxy"
  for lib in $(ldd /usr/sbin/haproxy | grep -o '/[^ ]*'); do
    mkdir -p "$rootfs$(dirname "$lib")" && cp -L "$lib" "$rootfs$lib"
  done
  cp /bin/busybox "$rootfs/bin/busybox" && ln -s busybox "$rootfs/bin/sh"
  echo "root:x:0:0:root:/root:/bin/sh" > "$rootfs/etc/passwd"
  tar -C "$rootfs" -c . | docker import -c 'CMD ["/usr/sbin/haproxy", "-v"]' -c 'ENV PATH=/bin:/usr/sbin' - "$VIP_IMAGE" >/dev/null
  rm -rf "$rootfs"
  docker run --rm "$VIP_IMAGE" >/dev/null || die "$VIP_IMAGE was built but haproxy does not run in it"
  say "image $VIP_IMAGE: built"
fi

# --- Local agent image (host and bridge networking on the local cluster) ------------------------
# Agents of the local cluster run dcos-vnet-agent:latest: busybox plus the host's iptables, which
# publishes bridge-mode host ports in the agent's network namespace (scripts/agentImage.sh).
if docker image inspect dcos-vnet-agent:latest >/dev/null 2>&1; then
  say "image dcos-vnet-agent:latest: present"
else
  if ! command -v xtables-nft-multi >/dev/null && [ ! -x /usr/sbin/xtables-nft-multi ]; then
    [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null || die "iptables is needed to build dcos-vnet-agent:latest (apt-get install iptables)"
    say "installing Debian's iptables"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq iptables >/dev/null
  fi
  bash "$ROOT/scripts/agentImage.sh" dcos-vnet-agent:latest >/dev/null && say "image dcos-vnet-agent:latest: built"
fi

# --- State backend -------------------------------------------------------------------------------
case "${PULUMI_BACKEND_URL:-}" in
  file://*) mkdir -p "${PULUMI_BACKEND_URL#file://}"; say "state backend: ${PULUMI_BACKEND_URL}" ;;
  "") say "state backend: the one you logged in to (pulumi login)" ;;
  *) say "state backend: $PULUMI_BACKEND_URL" ;;
esac
say "ready in $(( $(now) - T0 ))s (pulumi $(version_of "$TOOLS/bin/pulumi"), docker $(docker version --format '{{.Server.Version}}'))"
