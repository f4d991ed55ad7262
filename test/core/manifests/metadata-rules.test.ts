// metadata.name as a DNS-1123 subdomain and metadata.namespace as a DNS-1123 label, as the API server checks them.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { FluxDiagnostic } from '../../../core/diagnostic';
import { dns1123LabelError, dns1123SubdomainError } from '../../../core/manifests/metadata-rules';
import { WorkspaceIndex } from '../../../core/workspace/workspace-index';

function diagnose(text: string): FluxDiagnostic[] {
  const index = new WorkspaceIndex();
  index.setFile('t.yaml', text);
  return index.analyze('t.yaml').diagnostics;
}
const oci = (name: string, namespace?: string): string =>
  `apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata:\n  name: ${name}\n${namespace === undefined ? '' : `  namespace: ${namespace}\n`}spec:\n  interval: 5m\n  url: oci://ghcr.io/org/app\n`;

test('the DNS-1123 rules match Kubernetes', () => {
  for (const ok of ['a', 'app-1', 'my.app.v2', '0', 'a'.repeat(253)]) assert.equal(dns1123SubdomainError(ok), undefined, ok);
  for (const bad of ['App', 'my_app', '-a', 'a-', 'a..b', '.a', 'a.', '', 'a'.repeat(254)]) assert.notEqual(dns1123SubdomainError(bad), undefined, bad);
  for (const ok of ['flux-system', 'a', 'a'.repeat(63)]) assert.equal(dns1123LabelError(ok), undefined, ok);
  for (const bad of ['flux.system', 'Flux', 'a_b', '-a', 'a'.repeat(64)]) assert.notEqual(dns1123LabelError(bad), undefined, bad);
});

test('an invalid name or namespace is an error on the value', () => {
  const ds = diagnose(oci('My_App', 'team.a'));
  assert.deepEqual(
    ds.map((d) => `${d.code}@${d.range.start.line}:${d.range.start.character}-${d.range.end.character}`),
    ['metadata-name-invalid@3:8-14', 'metadata-name-invalid@4:13-19'],
  );
  assert.ok(ds.every((d) => d.severity === 'error'));
  assert.match(ds[0].message, /metadata\.name 'My_App'.*DNS-1123 subdomain/);
  assert.match(ds[1].message, /metadata\.namespace 'team\.a'.*DNS-1123 label/);
});

test('valid names, dotted names, ${VAR} and {{ }} placeholders pass; non-Flux kinds are not checked', () => {
  assert.deepEqual(diagnose(oci('app.v2', 'flux-system')), []);
  assert.deepEqual(diagnose(oci('${APP_NAME}-source', '${NAMESPACE}')), []);
  assert.deepEqual(diagnose(oci('"{{ .Release.Name }}"')), []);
  assert.deepEqual(diagnose('apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: system:aggregate-to-view\n'), []);
});

test('Secrets are checked too', () => {
  const ds = diagnose('apiVersion: v1\nkind: Secret\nmetadata:\n  name: Pull_Secret\ntype: Opaque\n');
  assert.deepEqual(
    ds.map((d) => d.code),
    ['metadata-name-invalid'],
  );
});
