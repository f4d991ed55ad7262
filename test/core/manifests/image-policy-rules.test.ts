// Offline rules of the image-automation kinds through the public index: CRD structure, removed apiVersions with
// their fix, filterTags.pattern as RE2 (named groups), extract against the groups, semver ranges, exclusionList.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { FluxDiagnostic } from '../../../core/diagnostic';
import { WorkspaceIndex } from '../../../core/workspace/workspace-index';
import { applyEdits } from './apply-edits';

function diagnose(text: string): FluxDiagnostic[] {
  const index = new WorkspaceIndex();
  index.setFile('t.yaml', text);
  // Cross-file notes (the ImageRepository or GitRepository named is not in this one-file workspace) are tested elsewhere.
  return index.analyze('t.yaml').diagnostics.filter((d) => d.code !== 'chart-ref-not-found');
}
const codes = (ds: FluxDiagnostic[]): string[] => ds.map((d) => d.code).sort();

const POLICY = (spec: string, apiVersion = 'image.toolkit.fluxcd.io/v1'): string =>
  `apiVersion: ${apiVersion}\nkind: ImagePolicy\nmetadata:\n  name: app\n  namespace: flux-system\nspec:\n  imageRepositoryRef:\n    name: app\n${spec}`;
const REPO = (spec: string): string => `apiVersion: image.toolkit.fluxcd.io/v1\nkind: ImageRepository\nmetadata:\n  name: app\nspec:\n  image: ghcr.io/org/app\n  interval: 5m\n${spec}`;

test('clean ImageRepository, ImagePolicy and ImageUpdateAutomation have no diagnostics', () => {
  assert.deepEqual(diagnose(REPO('  exclusionList: ["^.*\\\\.sig$", "^dev-"]\n  provider: generic\n')), []);
  assert.deepEqual(diagnose(POLICY('  filterTags:\n    pattern: "^main-[a-f0-9]+-(?P<ts>[0-9]+)"\n    extract: "$ts"\n  policy:\n    numerical:\n      order: asc\n')), []);
  const automation =
    'apiVersion: image.toolkit.fluxcd.io/v1\nkind: ImageUpdateAutomation\nmetadata:\n  name: auto\nspec:\n  interval: 30m\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n  git:\n    checkout:\n      ref:\n        branch: main\n    commit:\n      author:\n        email: fluxcdbot@users.noreply.github.com\n        name: fluxcdbot\n    push:\n      branch: main\n  update:\n    path: ./clusters/my-cluster\n    strategy: Setters\n';
  assert.deepEqual(diagnose(automation), []);
});

test('the CRD structure is checked: required fields, enums, unknown fields', () => {
  const ds = diagnose(
    'apiVersion: image.toolkit.fluxcd.io/v1\nkind: ImageRepository\nmetadata:\n  name: app\nspec:\n  interval: 5m\n  image: ghcr.io/org/app\n  provider: docker\n  exclusionLis: []\n',
  );
  assert.deepEqual(codes(ds), ['field-enum', 'field-unknown']);
  assert.match(ds.find((d) => d.code === 'field-unknown')!.message, /exclusionList/);
  assert.deepEqual(codes(diagnose(POLICY('  policy:\n    alphabetical:\n      order: up\n'))), ['field-enum']);
});

test('removed v1beta2 warns with a fix to v1 that leaves a clean document', () => {
  const text = POLICY('  policy:\n    semver:\n      range: ">=1.0.0"\n', 'image.toolkit.fluxcd.io/v1beta2');
  const [d, ...rest] = diagnose(text);
  assert.equal(rest.length, 0);
  assert.equal(d.code, 'api-version-removed');
  assert.match(d.message, /use image\.toolkit\.fluxcd\.io\/v1/);
  const fixed = applyEdits(text, d.fixes![0].edits);
  assert.deepEqual(diagnose(fixed), []);
  assert.deepEqual(codes(diagnose(POLICY('  policy:\n    semver:\n      range: "1.x"\n', 'image.toolkit.fluxcd.io/v1alpha9'))), ['api-version-unknown']);
});

test('filterTags.pattern is checked as RE2: lookaheads and backreferences are errors on the value', () => {
  const [d] = diagnose(POLICY('  filterTags:\n    pattern: "^v(?=1)"\n  policy:\n    semver:\n      range: ">=1.0.0"\n'));
  assert.equal(d.code, 'image-policy-pattern-invalid');
  assert.equal(d.range.start.line, 9);
  assert.deepEqual(codes(diagnose(POLICY('  filterTags:\n    pattern: "(a)\\\\1"\n  policy:\n    semver:\n      range: ">=1.0.0"\n'))), ['image-policy-pattern-invalid']);
});

test('extract is checked against the groups: $name, ${name}, $1, and the $1x trap', () => {
  const policy = (pattern: string, extract: string): FluxDiagnostic[] => diagnose(POLICY(`  filterTags:\n    pattern: '${pattern}'\n    extract: '${extract}'\n  policy:\n    numerical: {}\n`));
  assert.deepEqual(policy('^main-(?P<ts>[0-9]+)$', '$ts'), []);
  assert.deepEqual(policy('^main-(?P<ts>[0-9]+)$', '${ts}'), []);
  assert.deepEqual(policy('^main-([0-9]+)$', '$1'), []);
  assert.deepEqual(policy('^main-([0-9]+)$', '$1$$'), [], 'a literal dollar next to a reference');
  const [unknown] = policy('^main-(?P<ts>[0-9]+)$', '$time');
  assert.equal(unknown.code, 'image-policy-extract-group-unknown');
  assert.match(unknown.message, /no group named 'time'.*\$ts/);
  const [tooHigh] = policy('^main-([0-9]+)$', '$2');
  assert.match(tooHigh.message, /uses \$2, but the pattern has 1 group/);
  const [trap] = policy('^(\\d+)-(\\d+)$', '$1x');
  assert.match(trap.message, /write \$\{1\}x/);
  assert.deepEqual(codes(policy('^main-([0-9]+)$', 'fixed')), ['image-policy-extract-constant']);
});

test('policy.semver.range is a Masterminds range', () => {
  const [d] = diagnose(POLICY('  policy:\n    semver:\n      range: ">=1.0.0 <"\n'));
  assert.equal(d.code, 'image-policy-semver-invalid');
  assert.deepEqual(diagnose(POLICY('  policy:\n    semver:\n      range: "5.0.x"\n')), []);
  assert.deepEqual(diagnose(POLICY('  policy:\n    semver:\n      range: "${RANGE}"\n')), [], 'substitutions are left alone');
});

test('an exclusionList entry that is not RE2 is an error on that entry', () => {
  const [d, ...rest] = diagnose(REPO('  exclusionList:\n    - "^.*\\\\.sig$"\n    - "(?!dev)"\n'));
  assert.equal(rest.length, 0);
  assert.equal(d.code, 'image-repository-exclusion-invalid');
  assert.equal(d.range.start.line, 9);
});

test('spec.image with a scheme, a tag or a digest is an error with a fix, as the reflector refuses it', () => {
  const image = (value: string): FluxDiagnostic[] => diagnose(`apiVersion: image.toolkit.fluxcd.io/v1\nkind: ImageRepository\nmetadata:\n  name: app\nspec:\n  image: ${value}\n  interval: 5m\n`);
  assert.deepEqual(image('ghcr.io/org/app'), []);
  assert.deepEqual(image('localhost:5000/org/app'), [], 'a registry port is not a tag');
  assert.deepEqual(image('nginx'), []);
  const [tag] = image('ghcr.io/org/app:1.0.0');
  assert.equal(tag.code, 'image-repository-image-invalid');
  assert.match(tag.message, /remove ':1\.0\.0'/);
  assert.equal(tag.fixes![0].edits[0].newText, 'ghcr.io/org/app');
  const [digest] = image(`localhost:5000/app@sha256:${'a'.repeat(64)}`);
  assert.equal(digest.fixes![0].edits[0].newText, 'localhost:5000/app');
  const [scheme] = image('oci://ghcr.io/org/app');
  assert.match(scheme.message, /remove 'oci:\/\/'/);
  assert.equal(scheme.fixes![0].edits[0].newText, 'ghcr.io/org/app');
});

test("the CRD's rules: interval only with digestReflectionPolicy Always, and Always needs an interval", () => {
  const semver = '  policy:\n    semver:\n      range: 6.x\n';
  assert.deepEqual(diagnose(POLICY(`  digestReflectionPolicy: Always\n  interval: 10m\n${semver}`)), []);
  assert.deepEqual(diagnose(POLICY(`  digestReflectionPolicy: IfNotPresent\n${semver}`)), []);
  const [stray] = diagnose(POLICY(`  interval: 10m\n${semver}`));
  assert.equal(stray.code, 'image-policy-interval-rule');
  assert.match(stray.message, /only accepted when/);
  const [missing] = diagnose(POLICY(`  digestReflectionPolicy: Always\n${semver}`));
  assert.match(missing.message, /must be set/);
});

test('spec.policy: none of the three is an error; several warn that Flux takes the first of semver, alphabetical, numerical', () => {
  const [none] = diagnose(POLICY('  policy: {}\n'));
  assert.equal(none.code, 'image-policy-choice');
  assert.equal(none.severity, 'error');
  const [two] = diagnose(POLICY('  policy:\n    numerical: {}\n    alphabetical: {}\n'));
  assert.equal(two.severity, 'warning');
  assert.match(two.message, /Flux uses alphabetical and ignores numerical/);
});

test('a marker after a {{ }} placeholder is not read (a template, not a value Flux sets); syntax errors still are', () => {
  // Files under a chart's templates/ never reach the index (the walker skips them); elsewhere `{{ }}` is text.
  const index = new WorkspaceIndex();
  index.setFile('/c/deploy.yaml', 'spec:\n  image: {{ .Values.image }} # {"$imagepolicy": "flux-system:nothing"}\n');
  assert.deepEqual(index.analyze('/c/deploy.yaml').diagnostics, []);
  index.setFile('/c/broken.yaml', 'spec:\n  image: {{ .Values.image }} # {"$imagepolicy": "flux-system:nothing"}\n  x: [\n');
  assert.deepEqual(
    index.analyze('/c/broken.yaml').diagnostics.map((d) => d.code),
    ['yaml-syntax'],
  );
});
