#!/usr/bin/env bash
# Installs what the tests and the demo need on a fresh Debian machine (run as root), and
# nothing that is already there: Debian packages, the project's npm packages, code-server.
set -euo pipefail
# shellcheck source=apt-install-missing.sh
source "$(dirname "$0")/apt-install-missing.sh"
cd "$(dirname "$0")/.."

need_apt=()
command -v docker-registry >/dev/null 2>&1 || need_apt+=(docker-registry)
command -v skopeo >/dev/null 2>&1 || need_apt+=(skopeo)
command -v openssl >/dev/null 2>&1 || need_apt+=(openssl)
command -v htpasswd >/dev/null 2>&1 || need_apt+=(apache2-utils)
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
command -v rg >/dev/null 2>&1 || need_apt+=(ripgrep)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need_apt+=(libkrb5-dev)
apt_install_missing setup ${need_apt[@]+"${need_apt[@]}"}

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi

if [ -x scripts/install-code-server.sh ] && [ "${FLUX_OCI_SKIP_CODE_SERVER:-}" != 1 ]; then
  scripts/install-code-server.sh
fi
