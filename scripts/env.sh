# Environment shared by setup, the stack commands and the tests. Source it; it changes nothing on disk.
# - the toolchain built or linked by setup.sh comes first on PATH;
# - the state backend is the user's choice (PULUMI_BACKEND_URL or `pulumi login`), else a local
#   file backend inside the project, so nothing needs a login;
# - the passphrase that encrypts this local state's secrets defaults to a documented local value.
DCOS_VNET_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export DCOS_VNET_ROOT
export PATH="$DCOS_VNET_ROOT/.tools/bin:$PATH"
export PULUMI_SKIP_UPDATE_CHECK=true

pulumi_logged_in() {
  local creds="${PULUMI_HOME:-$HOME/.pulumi}/credentials.json"
  [ -f "$creds" ] && grep -Eq '"current": *"[^"]+' "$creds"
}

if [ -z "${PULUMI_BACKEND_URL:-}" ] && ! pulumi_logged_in; then
  export PULUMI_BACKEND_URL="file://$DCOS_VNET_ROOT/.pulumi-state"
fi
if [ -z "${PULUMI_CONFIG_PASSPHRASE:-}" ] && [ -z "${PULUMI_CONFIG_PASSPHRASE_FILE:-}" ]; then
  # Local-only default; set PULUMI_CONFIG_PASSPHRASE for anything shared.
  export PULUMI_CONFIG_PASSPHRASE="dcos-vnet-local"
fi
