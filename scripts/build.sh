#!/usr/bin/env bash
# Compiles src/ to dist/ (JavaScript + declarations) and installs the result into this project's own
# node_modules/pulumi-dcos-vnet, as `npm install pulumi-dcos-vnet` would: the repo's stacks consume
# the package by name like any user's program, so their state is the same as a user's (see
# src/resources/providerHandle.ts). Does nothing when no source or config changed since last time.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# One build at a time: parallel test workers each bring the package up to date on their first stack,
# and two of them removing and copying dist/ at once left one with half a package.
mkdir -p .tools
exec 9>.tools/build.lock
flock 9
stamp=$( (find src -type f -name '*.ts' -print0 | sort -z | xargs -0 sha256sum; sha256sum tsconfig.json tsconfig.build.json package.json README.md) | sha256sum | cut -c1-16)
installed=node_modules/pulumi-dcos-vnet
if [ "${1:-}" != "--force" ] && [ "$(cat dist/.build-stamp 2>/dev/null)" = "$stamp" ] &&
   [ "$(cat "$installed/dist/.build-stamp" 2>/dev/null)" = "$stamp" ]; then
  exit 0
fi
if [ "${1:-}" = "--force" ] || [ "$(cat dist/.build-stamp 2>/dev/null)" != "$stamp" ]; then
  rm -rf dist
  node node_modules/typescript/bin/tsc -p tsconfig.build.json
  echo "$stamp" > dist/.build-stamp
  echo "[build] compiled src/ to dist/" >&2
fi
# The files package.json ships ("files"), copied (not linked: Node resolves links to their real
# path, and Pulumi captures code outside node_modules by value).
rm -rf "$installed"
mkdir -p "$installed"
cp -R package.json README.md bin dist "$installed/"
echo "[build] installed into $installed" >&2
