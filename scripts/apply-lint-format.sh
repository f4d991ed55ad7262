#!/usr/bin/env bash
# One-time sweep, run by the lead after all branches are merged: applies ESLint's automatic fixes and Prettier's
# formatting to the whole tree, then shows what is left for hands. Never run on a feature branch (it touches every file).
set -euo pipefail
cd "$(dirname "$0")/.."
npx eslint --fix . || true   # fixes what it can; the check below reports the rest
npx prettier --write . --log-level warn
echo
echo "Remaining lint problems (fix by hand):"
npx eslint . && echo "none"
npx prettier --check . --log-level warn && echo "Formatting: clean"
git status --short | wc -l | xargs echo "Files changed by the sweep:"
