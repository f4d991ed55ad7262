#!/usr/bin/env bash
# The check step of the GitHub Action (action.yml): runs `flux-oci check --format sarif` into a file, prints one
# annotation per finding, and records the exit code as a step output so the SARIF upload runs before the job fails.
# Inputs (env): FLUX_OCI_CLI (path of dist/cli.js), FLUX_OCI_PATHS (space/newline separated), FLUX_OCI_ONLINE,
# FLUX_OCI_SARIF (output file). Exits non-zero only when flux-oci could not run at all (usage or I/O error: exit 2).
set -uo pipefail

cli="${FLUX_OCI_CLI:?FLUX_OCI_CLI must name the dist/cli.js of flux-oci}"
sarif="${FLUX_OCI_SARIF:-flux-oci.sarif}"
read -r -a paths <<< "$(printf '%s' "${FLUX_OCI_PATHS:-.}" | tr '\n' ' ')"
args=(check --format sarif)
if [ "${FLUX_OCI_ONLINE:-false}" = "true" ]; then args+=(--online); fi
args+=(-- "${paths[@]}")

node "$cli" "${args[@]}" > "$sarif"
code=$?
if [ -n "${GITHUB_OUTPUT:-}" ]; then echo "exit-code=$code" >> "$GITHUB_OUTPUT"; fi
if [ "$code" -ge 2 ]; then
  echo "::error title=flux-oci::flux-oci check could not run (exit $code); see the message above."
  exit "$code"
fi
if [ -n "${GITHUB_OUTPUT:-}" ]; then echo "sarif-file=$sarif" >> "$GITHUB_OUTPUT"; fi

# Workflow-command annotations (shown on the run and the pull request's files), from the SARIF just written.
node - "$sarif" <<'JS'
const log = JSON.parse(require('node:fs').readFileSync(process.argv[2], 'utf8'));
const command = { error: 'error', warning: 'warning', note: 'notice' };
const escape = (s) => String(s).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const property = (s) => escape(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
for (const result of log.runs[0].results) {
  const location = result.locations[0].physicalLocation;
  const file = decodeURI(location.artifactLocation.uri.replace(/^file:\/\//, ''));
  const { startLine, startColumn, endLine, endColumn } = location.region;
  console.log(`::${command[result.level] ?? 'error'} file=${property(file)},line=${startLine},col=${startColumn},endLine=${endLine},endColumn=${endColumn},title=${property(result.ruleId)}::${escape(result.message.text)}`);
}
const count = (level) => log.runs[0].results.filter((r) => r.level === level).length;
console.log(`flux-oci: ${count('error')} error(s), ${count('warning')} warning(s), ${count('note')} note(s); SARIF in ${process.argv[2]}`);
JS
exit 0
