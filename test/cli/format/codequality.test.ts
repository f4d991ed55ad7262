// --format codequality: GitLab's Code Quality report from a real check run — one issue per diagnostic, 1-based lines,
// repo-relative paths, GitLab's severities, fingerprints that are unique and survive edits that only move lines.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { toCodeQuality, type CodeQualityIssue } from '../../../cli/format/codequality';
import type { CheckReport } from '../../../cli/format/check-report';
import type { FluxDiagnostic } from '../../../core/diagnostic';
import { runCli } from '../run-cli';

const diagnostic = (line: number, code: string, message: string, severity: FluxDiagnostic['severity'] = 'error'): FluxDiagnostic =>
  ({ code, message, severity, range: { start: { line, character: 2 }, end: { line: line + 1, character: 0 } } }) as FluxDiagnostic;

describe('--format codequality', () => {
  it('renders a real check run as a Code Quality array', async () => {
    const result = await runCli(['check', '--format', 'codequality', 'test/fixtures/manifests/invalid/helm-sourceref-oci.yaml']);
    assert.equal(result.code, 1, result.err);
    const issues = JSON.parse(result.out) as CodeQualityIssue[];
    assert.ok(Array.isArray(issues) && issues.length > 0);
    const issue = issues.find((i) => i.check_name === 'helmrelease-chart-source-oci');
    assert.ok(issue, JSON.stringify(issues));
    assert.equal(issue.severity, 'major');
    assert.equal(issue.location.path, 'test/fixtures/manifests/invalid/helm-sourceref-oci.yaml');
    assert.ok(issue.location.lines.begin >= 1);
    assert.match(issue.fingerprint, /^[0-9a-f]{64}$/);
    for (const i of issues) assert.deepEqual(Object.keys(i).sort(), ['check_name', 'description', 'fingerprint', 'location', 'severity']);
  });

  it('maps severities, keeps repeats distinct and fingerprints independent of line numbers', () => {
    const report = (shift: number): CheckReport => ({
      files: [
        {
          path: './clusters\\prod\\app.yaml',
          objects: [],
          diagnostics: [
            diagnostic(3 + shift, 'field-unknown', 'Unknown field "foo".', 'warning'),
            diagnostic(9 + shift, 'field-unknown', 'Unknown field "foo".', 'warning'),
            diagnostic(12 + shift, 'secret-ref-not-found', 'No Secret.', 'information'),
          ],
        },
      ],
    });
    const before = toCodeQuality(report(0));
    const after = toCodeQuality(report(5));
    assert.deepEqual(
      before.map((i) => i.severity),
      ['minor', 'minor', 'info'],
    );
    assert.deepEqual(
      before.map((i) => i.location),
      [
        { path: 'clusters/prod/app.yaml', lines: { begin: 4, end: 5 } },
        { path: 'clusters/prod/app.yaml', lines: { begin: 10, end: 11 } },
        { path: 'clusters/prod/app.yaml', lines: { begin: 13, end: 14 } },
      ],
    );
    assert.equal(new Set(before.map((i) => i.fingerprint)).size, 3, 'repeated messages get distinct fingerprints');
    assert.deepEqual(
      after.map((i) => i.fingerprint),
      before.map((i) => i.fingerprint),
      'moving lines keeps fingerprints',
    );
  });

  it('is offered by --help and refused with a clear message when misspelt', async () => {
    assert.match((await runCli(['check', '--help'])).out, /codequality/);
    const bad = await runCli(['check', '--format', 'codeclimate']);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /unknown format "codeclimate" \(use text, json, sarif or codequality\)/);
  });
});
