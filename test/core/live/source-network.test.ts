// A workspace OCIRepository's proxySecretRef and certSecretRef read as Flux reads them (data base64 and stringData,
// caFile/certFile/keyFile too), only in trusted workspaces with Secrets enabled, with clear messages for unusable Secrets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WorkspaceIndex } from '../../../core/workspace/workspace-index';
import { sourceNetworkFor } from '../../../core/live/source-network';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const allowed = { trusted: true, useWorkspaceSecrets: true };

function indexWith(yaml: string): WorkspaceIndex {
  const index = new WorkspaceIndex();
  index.setFile('/ws/secrets.yaml', yaml);
  return index;
}

const SECRETS = `apiVersion: v1
kind: Secret
metadata:
  name: proxy
  namespace: apps
type: Opaque
data:
  address: ${b64('http://proxy.corp:3128')}
  username: ${b64('corp-user')}
stringData:
  password: proxy-pass
---
apiVersion: v1
kind: Secret
metadata:
  name: tls-old-keys
  namespace: apps
stringData:
  caFile: CA-PEM
  certFile: CERT-PEM
  keyFile: KEY-PEM
---
apiVersion: v1
kind: Secret
metadata:
  name: no-address
  namespace: apps
stringData:
  username: someone
---
apiVersion: v1
kind: Secret
metadata:
  name: half-pair
  namespace: apps
stringData:
  tls.crt: CERT-ONLY
`;

test('proxySecretRef (data and stringData merged) and certSecretRef with the older keys', () => {
  const result = sourceNetworkFor(indexWith(SECRETS), allowed, { namespace: 'apps', proxySecretRef: 'proxy', certSecretRef: 'tls-old-keys' });
  assert.ok(result.ok);
  assert.deepEqual(result.network?.proxy, { address: 'http://proxy.corp:3128', username: 'corp-user', password: 'proxy-pass', source: 'Secret apps/proxy (proxySecretRef)' });
  assert.deepEqual(result.network?.tls, { ca: 'CA-PEM', cert: 'CERT-PEM', key: 'KEY-PEM', source: 'Secret apps/tls-old-keys (certSecretRef)' });
});

test('untrusted workspaces, disabled Secrets and Secrets not in the workspace give no network settings', () => {
  const index = indexWith(SECRETS);
  assert.deepEqual(sourceNetworkFor(index, { trusted: false, useWorkspaceSecrets: true }, { namespace: 'apps', proxySecretRef: 'proxy' }), { ok: true });
  assert.deepEqual(sourceNetworkFor(index, { trusted: true, useWorkspaceSecrets: false }, { namespace: 'apps', proxySecretRef: 'proxy' }), { ok: true });
  assert.deepEqual(sourceNetworkFor(index, allowed, { namespace: 'other', proxySecretRef: 'proxy' }), { ok: true });
});

test('unusable Secrets are a sentence naming the Secret, never a value', () => {
  const index = indexWith(SECRETS);
  const noAddress = sourceNetworkFor(index, allowed, { namespace: 'apps', proxySecretRef: 'no-address' });
  assert.deepEqual(noAddress, { ok: false, message: 'Secret apps/no-address (proxySecretRef) has no "address" key, so Flux cannot use the proxy.' });
  const half = sourceNetworkFor(index, allowed, { namespace: 'apps', certSecretRef: 'half-pair' });
  assert.equal(half.ok, false);
  assert.ok(!half.ok && /Secret apps\/half-pair \(certSecretRef\) has a client certificate \(tls\.crt\) without its key/.test(half.message) && !half.message.includes('CERT-ONLY'));
});
