// Image automation through the real server over stdio against a real registry: offline marker errors, then the live
// hint diagnostic with its quick fix, the inlay hint after a marker, and hovers on a marker and on the ImagePolicy.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { applyTextEdits, fileUri, type PublishedDiagnostics } from '../support/lsp-client';
import { pushManyTags } from '../support/registry-push';
import { startLiveServer, type LiveServer } from './live-server';

interface Hover {
  contents: { value: string };
}

const IMAGES = (host: string): string => `apiVersion: image.toolkit.fluxcd.io/v1
kind: ImageRepository
metadata:
  name: podinfo
  namespace: flux-system
spec:
  image: ${host}/apps/podinfo
  interval: 5m
---
apiVersion: image.toolkit.fluxcd.io/v1
kind: ImagePolicy
metadata:
  name: podinfo
  namespace: flux-system
spec:
  imageRepositoryRef:
    name: podinfo
  policy:
    semver:
      range: 6.x
---
apiVersion: image.toolkit.fluxcd.io/v1
kind: ImageUpdateAutomation
metadata:
  name: apps
  namespace: flux-system
spec:
  interval: 30m
  sourceRef:
    kind: GitRepository
    name: flux-system
  update:
    path: ./apps
    strategy: Setters
`;

const SOURCE = (host: string): string => `apiVersion: source.toolkit.fluxcd.io/v1
kind: OCIRepository
metadata:
  name: podinfo
  namespace: flux-system
spec:
  interval: 5m
  url: oci://${host}/apps/podinfo
  ref:
    tag: 6.5.0 # {"$imagepolicy": "flux-system:podinfo:tag"}
`;

const DEPLOY = (host: string): string => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: podinfo
spec:
  template:
    spec:
      containers:
        - name: podinfo
          image: ${host}/apps/podinfo:6.5.0 # {"$imagepolicy": "flux-system:podinfo"}
        - name: typo
          image: nginx:1.27 # {"$imagepolicy": "flux-system:podinf"}
`;

describe('image automation over stdio', () => {
  let server: LiveServer;
  let host: string;

  before(async () => {
    server = await startLiveServer('images', async (r) => {
      await pushManyTags(r, 'apps/podinfo', ['6.5.0', '6.6.0', '6.7.1', '7.0.0', 'sha256-1.sig']);
      return { 'clusters/images.yaml': IMAGES(r.host), 'apps/source.yaml': SOURCE(r.host), 'apps/deploy.yaml': DEPLOY(r.host) };
    });
    host = server.registry.host;
  });

  after(() => server?.stop());

  it('publishes the missing-policy error offline and the automation hint live, with a fix that writes the tag', async () => {
    const uri = server.uris['apps/deploy.yaml']!;
    const client = server.client;
    const text = DEPLOY(host);
    client.openDocument(uri, text, 1);
    const published = await client.waitForNotification<PublishedDiagnostics>(
      'textDocument/publishDiagnostics',
      (p) => p.uri === uri && p.diagnostics.some((d) => d.code === 'live-image-automation-pending'),
    );
    const missing = published.diagnostics.find((d) => d.code === 'image-policy-not-found');
    assert.ok(missing, JSON.stringify(published.diagnostics.map((d) => d.code)));
    assert.equal(missing.range.start.line, 11);
    const pending = published.diagnostics.find((d) => d.code === 'live-image-automation-pending')!;
    assert.equal(pending.range.start.line, 9);
    assert.match(pending.message, /6\.7\.1/);
    const actions = await client.request<Array<{ title: string; edit: { changes: Record<string, Array<{ range: PublishedDiagnostics['diagnostics'][number]['range']; newText: string }>> } }>>(
      'textDocument/codeAction',
      {
        textDocument: { uri },
        range: pending.range,
        context: { diagnostics: [pending], only: ['quickfix'] },
      },
    );
    const fix = actions.find((a) => a.title.includes('6.7.1'));
    assert.ok(fix, JSON.stringify(actions.map((a) => a.title)));
    const fixed = applyTextEdits(text, fix.edit.changes[uri]!);
    assert.ok(fixed.includes(`image: ${host}/apps/podinfo:6.7.1 # {"$imagepolicy": "flux-system:podinfo"}`));
  });

  it('shows → 6.7.1 after the OCIRepository tag marker, next to the source hint', async () => {
    const uri = server.uris['apps/source.yaml']!;
    const hints = await server.client.request<Array<{ label: string; position: { line: number; character: number } }>>('textDocument/inlayHint', {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 12, character: 0 } },
    });
    const marker = hints.find((h) => h.label === ' → 6.7.1');
    assert.ok(marker, JSON.stringify(hints));
    assert.deepEqual(marker.position, { line: 9, character: 14 });
  });

  it('completes ImagePolicy names inside a marker with an edit that replaces what was typed', async () => {
    const uri = fileUri(join(server.workspace, 'apps', 'typing.yaml'));
    const typing = 'tag: 1.0 # {"$imagepolicy": "flux-system:pod';
    server.client.openDocument(uri, typing);
    await server.client.diagnosticsFor(uri);
    const items = await server.client.request<Array<{ label: string; textEdit?: { newText: string; range: { start: { character: number } } } }>>('textDocument/completion', {
      textDocument: { uri },
      position: { line: 0, character: typing.length },
    });
    const podinfo = items.find((i) => i.label === 'flux-system:podinfo');
    assert.ok(podinfo, JSON.stringify(items.map((i) => i.label)));
    assert.equal(podinfo.textEdit?.range.start.character, typing.indexOf('flux-system:pod'));
  });

  it('lists the ImagePolicies with the tag each selects for the OCI Sources view', async () => {
    const policies = await server.client.request<Array<{ namespace: string; name: string; uri: string; range: { start: { line: number } }; policy: string; tag?: string; markers: number }>>(
      'fluxOci/imagePolicies',
      {},
    );
    assert.deepEqual(
      policies.map((p) => [p.namespace, p.name, p.tag, p.policy, p.markers]),
      [['flux-system', 'podinfo', '6.7.1', 'semver 6.x', 2]],
    );
    assert.equal(policies[0]!.uri, server.uris['clusters/images.yaml']);
    assert.equal(policies[0]!.range.start.line, 12);
  });

  it('hovers a marker and the ImagePolicy with the tag Flux will write and the policy that chose it', async () => {
    const deploy = await server.client.request<Hover | null>('textDocument/hover', { textDocument: { uri: server.uris['apps/deploy.yaml']! }, position: { line: 9, character: 60 } });
    assert.match(deploy?.contents.value ?? '', /Flux will write `.*podinfo:6\.7\.1`/);
    assert.match(deploy?.contents.value ?? '', /semver `6\.x`/);
    assert.match(deploy?.contents.value ?? '', /1 excluded by exclusionList/);
    const onPolicy = await server.client.request<Hover | null>('textDocument/hover', { textDocument: { uri: server.uris['clusters/images.yaml']! }, position: { line: 19, character: 15 } });
    assert.match(onPolicy?.contents.value ?? '', /Selects tag `6\.7\.1`/);
    assert.match(onPolicy?.contents.value ?? '', /semver\.range/, 'the offline field docs stay above');
  });
});
