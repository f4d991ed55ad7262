// Unit tests of the offline rules through the public index: exact codes and ranges, quick fixes that
// produce valid YAML, substitutions, patches, templates, Secrets (values never leak), hostile input.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { parseDocument } from 'yaml';
import type { FluxDiagnostic } from '../../../core/diagnostic';
import { WorkspaceIndex } from '../../../core/workspace/workspace-index';
import { applyEdits } from './apply-edits';

function diagnose(text: string): FluxDiagnostic[] {
  const index = new WorkspaceIndex();
  index.setFile('t.yaml', text);
  return index.analyze('t.yaml').diagnostics;
}
const codes = (ds: FluxDiagnostic[]): string[] => ds.map((d) => d.code).sort();
const at = (d: FluxDiagnostic): string => `${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`;

const OCI = (spec: string, apiVersion = 'source.toolkit.fluxcd.io/v1'): string =>
  `apiVersion: ${apiVersion}\nkind: OCIRepository\nmetadata:\n  name: app\nspec:\n  interval: 5m\n  url: oci://ghcr.io/org/app\n${spec}`;

test('a clean OCIRepository has no diagnostics', () => {
  assert.deepEqual(diagnose(OCI('  ref:\n    semver: ">=1.0.0 <2.0.0"\n')), []);
});

test('ref.branch is a warning on the key saying refs are tag, semver or digest and that Flux then pulls latest', () => {
  const [d, ...rest] = diagnose(OCI('  ref:\n    branch: main\n'));
  assert.equal(rest.length, 0);
  assert.equal(d.code, 'oci-ref-git-field');
  assert.equal(d.severity, 'warning');
  assert.equal(at(d), '8:4-8:10');
  assert.match(d.message, /tag, semver or digest.*GitRepository/);
  assert.match(d.message, /prunes.*'latest'/);
});

test('ref.commit next to a tag says Flux uses the tag, not latest', () => {
  const [d, ...rest] = diagnose(OCI('  ref:\n    commit: abc123\n    tag: 1.2.3\n'));
  assert.equal(rest.length, 0);
  assert.equal(d.code, 'oci-ref-git-field');
  assert.equal(d.severity, 'warning');
  assert.match(d.message, /uses spec\.ref\.tag/);
  assert.doesNotMatch(d.message, /latest/);
});

test('unknown field gets a did-you-mean warning on the key', () => {
  const [d] = diagnose(OCI('  layerSelecter:\n    operation: copy\n'));
  assert.equal(d.code, 'field-unknown');
  assert.equal(d.severity, 'warning');
  assert.equal(at(d), '7:2-7:15');
  assert.match(d.message, /Did you mean 'layerSelector'/);
});

test('precedence note names the winner; semverFilter without semver warns', () => {
  const ds = diagnose(OCI('  ref:\n    tag: "1.0.0"\n    digest: sha256:' + 'a'.repeat(64) + '\n    semverFilter: ".*"\n'));
  assert.deepEqual(codes(ds), ['oci-ref-precedence', 'oci-ref-semver-filter-ignored']);
  assert.match(ds.find((d) => d.code === 'oci-ref-precedence')!.message, /uses spec\.ref\.digest and ignores spec\.ref\.tag/);
});

test('digest lengths per algorithm', () => {
  assert.deepEqual(diagnose(OCI(`  ref:\n    digest: sha512:${'b'.repeat(128)}\n`)), []);
  assert.deepEqual(codes(diagnose(OCI(`  ref:\n    digest: sha512:${'b'.repeat(64)}\n`))), ['oci-ref-digest-invalid']);
  assert.deepEqual(codes(diagnose(OCI(`  ref:\n    digest: md5:${'b'.repeat(32)}\n`))), ['oci-ref-digest-invalid']);
});

test('semver range and RE2 filter syntax are checked', () => {
  assert.deepEqual(codes(diagnose(OCI('  ref:\n    semver: ">=1.0.0 <"\n'))), ['oci-ref-semver-invalid']);
  assert.deepEqual(codes(diagnose(OCI('  ref:\n    semver: "1.x"\n    semverFilter: "(?!rc)"\n'))), ['oci-ref-semver-filter-invalid']);
  assert.deepEqual(diagnose(OCI('  ref:\n    semver: "~1.2 || ^2"\n    semverFilter: "^v?[0-9]+"\n')), []);
});

test('url with a tag: error with a fix that moves it to ref.tag', () => {
  const text = OCI('').replace('oci://ghcr.io/org/app', 'oci://ghcr.io/org/app:1.2.3');
  const [d] = diagnose(text);
  assert.equal(d.code, 'oci-url-tag-or-digest');
  const fixed = applyEdits(text, d.fixes![0].edits);
  assert.match(fixed, /url: oci:\/\/ghcr\.io\/org\/app\n {2}ref:\n {4}tag: "1\.2\.3"\n/);
  assert.deepEqual(diagnose(fixed), []);
  assert.deepEqual(codes(diagnose(OCI('').replace('oci://ghcr.io/org/app', `oci://localhost:5000/org/app@sha256:${'c'.repeat(64)}`))), ['oci-url-tag-or-digest']);
  assert.deepEqual(diagnose(OCI('').replace('oci://ghcr.io/org/app', 'oci://localhost:5000/org/app')), []);
  assert.deepEqual(codes(diagnose(OCI('').replace('oci://ghcr.io/org/app', 'oci://ghcr.io/Org/App'))), ['oci-url-invalid']);
});

test('removed v1beta2 warns with a fix to v1 that leaves a clean document', () => {
  const text = OCI('  ref:\n    tag: latest\n', 'source.toolkit.fluxcd.io/v1beta2');
  const [d, ...rest] = diagnose(text);
  assert.equal(rest.length, 0);
  assert.equal(d.code, 'api-version-removed');
  assert.equal(at(d), '0:12-0:44');
  assert.deepEqual(diagnose(applyEdits(text, d.fixes![0].edits)), []);
});

test('unknown apiVersion is an error naming the versions that exist', () => {
  const [d] = diagnose(OCI('', 'source.toolkit.fluxcd.io/v3'));
  assert.equal(d.code, 'api-version-unknown');
  assert.equal(d.severity, 'error');
  assert.match(d.message, /source\.toolkit\.fluxcd\.io\/v1\b/);
});

const HR_OCI_SOURCEREF = `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
    name: podinfo
spec:
    interval: 10m
    chart:
        spec:
            chart: podinfo
            version: "6.x"
            sourceRef:
                kind: OCIRepository
                name: "podinfo"   # the chart source
    # values follow
    values:
        replicaCount: 2
`;

test('sourceRef.kind OCIRepository: error + fix rewriting the chart block into chartRef (4-space indent)', () => {
  const ds = diagnose(HR_OCI_SOURCEREF);
  assert.deepEqual(codes(ds), ['helmrelease-chart-source-oci']);
  assert.equal(at(ds[0]), '11:22-11:35');
  const fixed = applyEdits(HR_OCI_SOURCEREF, ds[0].fixes![0].edits);
  const parsed = parseDocument(fixed);
  assert.equal(parsed.errors.length, 0);
  assert.deepEqual(parsed.toJS().spec.chartRef, { kind: 'OCIRepository', name: 'podinfo' });
  assert.equal(parsed.toJS().spec.values.replicaCount, 2);
  assert.equal(parsed.toJS().spec.chart, undefined);
  assert.match(fixed, /\n {4}chartRef:\n {8}kind: OCIRepository\n {8}name: "podinfo" {3}# the chart source\n {4}# values follow\n/);
  const after = diagnose(fixed);
  assert.deepEqual(
    after.filter((d) => d.severity !== 'information'),
    [],
  );
});

test('HelmRelease: helm.toolkit.fluxcd.io/v1 is an error; chart and chartRef both or neither', () => {
  const base = 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: a\nspec:\n  interval: 5m\n';
  assert.deepEqual(
    codes(diagnose(base.replace('/v2', '/v1') + '  chartRef:\n    kind: HelmChart\n    name: a\n')).filter((c) => c !== 'chart-ref-not-found'),
    ['api-version-unknown'],
  );
  assert.deepEqual(codes(diagnose(base + '  suspend: false\n')), ['helmrelease-chart-missing']);
  const both = base + '  chartRef:\n    kind: HelmChart\n    name: a\n  chart:\n    spec:\n      chart: a\n      sourceRef:\n        kind: HelmRepository\n        name: r\n';
  assert.ok(codes(diagnose(both)).includes('helmrelease-chart-source-conflict'));
  assert.deepEqual(codes(diagnose(base + '  chartRef:\n    kind: GitRepository\n    name: a\n')), ['field-enum']);
});

test('v2beta1 with fields v2 lacks: warning without a fix, naming the field; no other noise', () => {
  const text =
    'apiVersion: helm.toolkit.fluxcd.io/v2beta1\nkind: HelmRelease\nmetadata:\n  name: a\nspec:\n  interval: 5m\n  chart:\n    spec:\n      chart: a\n      valuesFile: values-prod.yaml\n      sourceRef:\n        kind: HelmRepository\n        name: r\n  somethingOdd: 1\n';
  const ds = diagnose(text);
  assert.deepEqual(codes(ds), ['api-version-removed']);
  assert.equal(ds[0].fixes, undefined);
  assert.match(ds[0].message, /spec\.chart\.spec\.valuesFile/);
});

test('${VAR} substitutions are accepted anywhere a value is parsed', () => {
  const text =
    'apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata:\n  name: ${APP}\nspec:\n  interval: ${INTERVAL}\n  url: oci://ghcr.io/${ORG}/app:${TAG}\n  ref:\n    semver: ${RANGE}\n    digest: ${DIGEST}\n  insecure: ${INSECURE}\n';
  assert.deepEqual(
    diagnose(text).filter((d) => d.severity !== 'information'),
    [],
  );
});

test('Kustomize patches: no required-field errors, one information note', () => {
  const ds = diagnose('apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: a\nspec:\n  chart:\n    spec:\n      version: "2.x"\n  values:\n    a: 1\n');
  assert.deepEqual(codes(ds), ['patch-partial-object']);
  assert.equal(ds[0].severity, 'information');
  // a complete object that forgot its interval still gets the error
  assert.deepEqual(codes(diagnose('apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata:\n  name: a\nspec:\n  url: oci://ghcr.io/a/b\n')), ['field-required']);
});

test('type, enum, pattern checks land on the value', () => {
  const ds = diagnose(OCI('  insecure: "true"\n  provider: Azure\n  timeout: 1h\n'));
  assert.deepEqual(ds.map((d) => `${d.code}@${at(d)}`).sort(), ['duration-invalid@9:11-9:13', 'field-enum@8:12-8:17', 'field-type@7:12-7:18']);
  assert.match(ds.find((d) => d.code === 'field-enum')!.message, /Did you mean 'azure'/);
});

test('non-Flux documents, templated values and comment-only documents get nothing', () => {
  assert.deepEqual(diagnose('apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\nspec:\n  replicas: "two"\n  bogus: true\n'), []);
  assert.deepEqual(diagnose('apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata:\n  name: a\nspec:\n  interval: "{{ .Values.interval }}"\n  url: {{ .Values.url }}\n'), []);
  assert.deepEqual(diagnose('# nothing here\n---\n# still nothing\n'), []);
  assert.deepEqual(diagnose('apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: a\nspec:\n  interval: 1m\n  url: https://x\n  ref:\n    branch: main\n'), []);
});

test('malformed YAML yields yaml-syntax and no crash; other documents still checked', () => {
  const ds = diagnose('a: [1, 2\n---\n' + OCI('  ref:\n    branch: x\n'));
  assert.deepEqual(codes(ds), ['oci-ref-git-field', 'yaml-syntax']);
  assert.equal(ds.find((d) => d.code === 'oci-ref-git-field')!.range.start.line, 10);
});

const SECRET = 'hunter2-super-secret';
test('dockerconfigjson Secrets are checked and their values never appear in messages', () => {
  const json = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64');
  const secret = (data: string): string => `apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ntype: kubernetes.io/dockerconfigjson\ndata:\n  .dockerconfigjson: ${data}\n`;
  assert.deepEqual(diagnose(secret(json({ auths: { 'ghcr.io': { username: 'u', password: SECRET } } }))), []);
  const cases = [json({ noauths: { password: SECRET } }), Buffer.from(`{"auths": ${SECRET}`).toString('base64'), `${SECRET}!!`, json([SECRET])];
  for (const c of cases) {
    const ds = diagnose(secret(c));
    assert.deepEqual(codes(ds), ['secret-dockerconfigjson-invalid']);
    assert.equal(at(ds[0]), `6:21-6:${21 + c.length}`);
    for (const d of ds) assert.ok(!d.message.includes(SECRET) && !d.message.includes(c), d.message);
  }
  assert.deepEqual(codes(diagnose(`apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ntype: kubernetes.io/dockerconfigjson\nstringData:\n  .dockerconfigjson: '{"x": "${SECRET}"}'\n`)), [
    'secret-dockerconfigjson-invalid',
  ]);
  // SOPS-encrypted values are not checked
  assert.deepEqual(diagnose(secret('ENC[AES256_GCM,data:abc,type:str]') + 'sops:\n  version: 3.9.0\n'), []);
});

test('alias bombs and huge documents are bounded and do not throw', () => {
  let bomb = 'a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n';
  for (let i = 1; i < 30; i++)
    bomb += `a${i}: &a${i} [${Array(10)
      .fill(`*a${i - 1}`)
      .join(', ')}]\n`;
  assert.doesNotThrow(() => diagnose(bomb));
  assert.doesNotThrow(() => diagnose(OCI(`  ref: &r\n    tag: x\n  ignore: *r\n`)));
  const huge = 'apiVersion: v1\nkind: ConfigMap\ndata:\n' + '  k: v\n'.repeat(400_000);
  const ds = diagnose(huge);
  assert.deepEqual(codes(ds), ['document-too-large']);
});

test('binary and non-UTF-8 content is skipped', () => {
  assert.deepEqual(diagnose('apiVersion: x\u0000\u0001\u0002kind'), []);
  assert.deepEqual(diagnose('\ufffd'.repeat(100) + 'a: [\n'), []);
});
