# The Pulumi CLI and Node.js language host a user already has, and whether they fit: sourced by
# setup.sh. Needs PULUMI_VERSION (the SDK's, vX.Y.Z) and USER_PATH (PATH without .tools/bin).
# A pulumi fits when it is at the SDK's version or newer and a Pulumi language host at that
# version or newer is beside it (or elsewhere on PATH); then user_cli sets CLI_DIR, CLI_VERSION,
# HOST and HOST_VERSION. Otherwise WHY_NOT says why, for setup to print.

# A version is vX.Y.Z[-…]; anything else a program prints is not one.
as_version() { head -1 | tr -d '[:space:]' | grep -E '^v[0-9]+\.[0-9]+\.[0-9]+' || true; }
version_of() { timeout 10 "$1" version 2>/dev/null </dev/null | as_version; }
# Pulumi's language hosts answer -version (and ours too); an older host would start serving
# instead (printing its port), hence the timeout and the version check.
host_version_of() { timeout 5 "$1" -version 2>/dev/null </dev/null | as_version; }
# True when version $1 (vX.Y.Z) is at least $2.
at_least() { [ "$(printf '%s\n%s\n' "${1#v}" "${2#v}" | sort -V | head -1)" = "${2#v}" ]; }
# A Pulumi language host that fits: beside the CLI `$1` if given, else anywhere on the user's PATH.
fitting_host() {
  local candidates=() h v
  [ -n "${1:-}" ] && candidates+=("$1/pulumi-language-nodejs")
  h=$(PATH="$USER_PATH" command -v pulumi-language-nodejs 2>/dev/null) && [ "$h" != "${1:-}/pulumi-language-nodejs" ] && candidates+=("$h")
  for h in "${candidates[@]}"; do
    [ -x "$h" ] || continue
    v=$(host_version_of "$h")
    if [ -n "$v" ] && at_least "$v" "$PULUMI_VERSION"; then echo "$h $v"; return 0; fi
  done
  return 1
}

# Sets CLI_DIR, CLI_VERSION, HOST, HOST_VERSION when a pulumi on PATH fits; else WHY_NOT says why.
user_cli() {
  local p v dir host
  if ! p=$(PATH="$USER_PATH" command -v pulumi 2>/dev/null); then WHY_NOT="no pulumi on PATH"; return 1; fi
  p=$(readlink -f "$p"); dir=$(dirname "$p"); v=$(version_of "$p")
  if [ -z "$v" ]; then WHY_NOT="the pulumi on PATH ($p) reports no version"; return 1; fi
  if ! at_least "$v" "$PULUMI_VERSION"; then
    WHY_NOT="the pulumi on PATH ($p) is $v, older than the SDK's $PULUMI_VERSION"; return 1
  fi
  if ! host=$(fitting_host "$dir"); then
    WHY_NOT="the pulumi on PATH ($p, $v) has no pulumi-language-nodejs at $PULUMI_VERSION or newer beside it or on PATH"; return 1
  fi
  CLI_DIR=$dir; CLI_VERSION=$v; HOST=${host% *}; HOST_VERSION=${host#* }
}

