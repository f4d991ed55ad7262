#!/usr/bin/env bash
# Installs code-server 4.100.3 (VS Code 1.100) into a cache folder outside the project, for the e2e tests and the demo.
# Idempotent and offline-friendly (no ripgrep download); it must never touch the project's own node_modules.
set -euo pipefail

CODE_SERVER_VERSION=4.100.3
CACHE_ROOT="${FLUX_OCI_CACHE:-$HOME/.cache/flux-oci-sources}"
INSTALL_DIR="$CACHE_ROOT/code-server"
BIN="$INSTALL_DIR/node_modules/.bin/code-server"

if [ -x "$BIN" ] && "$BIN" --version >/dev/null 2>&1; then
  echo "install-code-server: already installed ($("$BIN" --version | head -n1))"
  exit 0
fi

# shellcheck source=apt-install-missing.sh
source "$(dirname "$0")/apt-install-missing.sh"
need_apt=()
dpkg -s libkrb5-dev >/dev/null 2>&1 || need_apt+=(libkrb5-dev)
command -v rg >/dev/null 2>&1 || need_apt+=(ripgrep)
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
apt_install_missing install-code-server ${need_apt[@]+"${need_apt[@]}"}

# @vscode/ripgrep's postinstall downloads rg from GitHub; give it Debian's rg as its cached download instead.
RG_CACHE_DIR="$(node -p 'require("os").tmpdir()')/vscode-ripgrep-cache-1.15.11"
RG_ARCHIVE="$RG_CACHE_DIR/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"
if [ ! -s "$RG_ARCHIVE" ]; then
  mkdir -p "$RG_CACHE_DIR"
  tar czf "$RG_ARCHIVE" -C "$(dirname "$(command -v rg)")" rg
fi

mkdir -p "$INSTALL_DIR"
cd "$INSTALL_DIR"
if [ ! -f package.json ]; then
  printf '{\n  "name": "flux-oci-code-server-cache",\n  "private": true\n}\n' > package.json
fi

echo "install-code-server: installing code-server@$CODE_SERVER_VERSION into $INSTALL_DIR (about 90 s)"
npm_config_yes=true npm install --unsafe-perm --no-audit --no-fund --loglevel=error "code-server@$CODE_SERVER_VERSION"

if ! "$BIN" --version >/dev/null 2>&1; then
  echo "install-code-server: code-server was installed but '$BIN --version' fails" >&2
  exit 1
fi
echo "install-code-server: ready ($("$BIN" --version | head -n1))"
