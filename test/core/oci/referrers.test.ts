// The OCI 1.1 referrers API and its fallbacks, against a real distribution 2.8 registry (no API: the sha256-<hex> tag)
// and a proxy in front of it that plays a registry with the API (filtering, lying Content-Type, cross-origin Link).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RegistryClient } from '../../../core/oci/registry-client';
import { RegistryError } from '../../../core/oci/errors';
import { parseOciUrl } from '../../../core/oci/reference';
import { registryArtifactSource } from '../../../core/artifacts/registry-source';
import { findSignatures } from '../../../core/artifacts/signatures';
import { startRegistry, type Registry } from '../../support/registry';
import { startPagingProxy, type PagingProxy, type ReferrersApiOptions } from '../../support/paging-proxy';
import { MediaTypes, pushBlob, pushFluxArtifact, pushIndex, pushManifest, type Descriptor, type PushedArtifact } from '../../support/registry-push';

const NOTATION = 'application/vnd.cncf.notary.signature';
const SBOM = 'application/spdx+json';

describe('referrers API and signature detection', () => {
  let registry: Registry;
  let subject: PushedArtifact;
  let unsigned: PushedArtifact;
  const proxies: PagingProxy[] = [];
  const repo = (host: string) => parseOciUrl(`oci://${host}/signed/app`);
  const proxy = async (api: ReferrersApiOptions) => {
    const p = await startPagingProxy(registry.url, { referrersApi: api });
    proxies.push(p);
    return p;
  };

  /** A referring manifest (signature or SBOM) with `subject`, and its descriptor as a referrers index lists it. */
  async function pushReferrer(artifactType: string, payload: string): Promise<Descriptor> {
    const config = await pushBlob(registry, 'signed/app', '{}', 'application/vnd.oci.empty.v1+json');
    const layer = await pushBlob(registry, 'signed/app', payload, artifactType);
    const subjectDescriptor = { mediaType: MediaTypes.ociManifest, digest: subject.digest, size: subject.size };
    const pushed = await pushManifest(
      registry,
      'signed/app',
      { schemaVersion: 2, mediaType: MediaTypes.ociManifest, artifactType, config, layers: [layer], subject: subjectDescriptor },
      undefined,
      MediaTypes.ociManifest,
    );
    return { mediaType: MediaTypes.ociManifest, digest: pushed.digest, size: pushed.size, artifactType };
  }

  before(async () => {
    registry = await startRegistry();
    subject = await pushFluxArtifact(registry, 'signed/app', { tag: 'v1' });
    unsigned = await pushFluxArtifact(registry, 'signed/app', { tag: 'v2', revision: 'main@sha1:1111111111111111111111111111111111111111' });
    const signature = await pushReferrer(NOTATION, 'signature-bytes');
    const sbom = await pushReferrer(SBOM, '{"spdxVersion":"SPDX-2.3"}');
    // The OCI 1.1 fallback: an index tagged sha256-<hex> listing the referrers (what clients push when there is no API).
    await pushIndex(registry, 'signed/app', subject.digest.replace(':', '-'), [signature, sbom]);
  });
  after(async () => {
    for (const p of proxies) await p.stop();
    await registry?.stop();
  });

  it('distribution 2.8 has no referrers API: "not supported", so callers fall back', async () => {
    const client = new RegistryClient({ maxRetries: 0 });
    try {
      const result = await client.listReferrers(repo(registry.host), subject.digest);
      assert.equal(result.supported, false);
      assert.match(!result.supported ? result.reason : '', /no referrers API \(HTTP 404\)/);
    } finally {
      await client.close();
    }
  });

  it('falls back to the sha256-<hex> tag on 2.8 and finds the notation signature there', async () => {
    const client = new RegistryClient({ maxRetries: 0 });
    try {
      const source = registryArtifactSource(client, repo(registry.host));
      const report = await findSignatures(source, 'signed/app', subject.digest);
      assert.deepEqual(report.sources, ['referrers tag']);
      assert.equal(report.signed, true);
      assert.deepEqual(report.referrers.map((r) => r.artifactType).sort(), [SBOM, NOTATION].sort());
      const none = await findSignatures(source, 'signed/app', unsigned.digest);
      assert.deepEqual(none, { signed: false, referrers: [], sources: [] });
    } finally {
      await client.close();
    }
  });

  it('uses the referrers API when the registry has one, filtered by artifactType on the server', async () => {
    const p = await proxy({});
    const client = new RegistryClient({ maxRetries: 0 });
    try {
      const all = await client.listReferrers(repo(p.host), subject.digest);
      assert.ok(all.supported);
      assert.equal(all.referrers.length, 2);
      const signatures = await client.listReferrers(repo(p.host), subject.digest, { artifactType: NOTATION });
      assert.ok(signatures.supported);
      assert.equal(signatures.filteredByRegistry, true);
      assert.deepEqual(
        signatures.referrers.map((r) => r.artifactType),
        [NOTATION],
      );
      assert.ok(p.requests.some((r) => r.path.includes(`/referrers/${subject.digest}?artifactType=`)));
      const report = await findSignatures(registryArtifactSource(client, repo(p.host)), 'signed/app', subject.digest);
      assert.deepEqual(report.sources, ['referrers API']);
      assert.equal(report.signed, true);
      // The API answered, so the fallback tag was not read.
      assert.ok(!p.requests.some((r) => r.path.endsWith(`/manifests/${subject.digest.replace(':', '-')}`)));
    } finally {
      await client.close();
    }
  });

  it('filters by artifactType itself when the registry ignores the filter', async () => {
    const p = await proxy({ filter: false });
    const client = new RegistryClient({ maxRetries: 0 });
    try {
      const result = await client.listReferrers(repo(p.host), subject.digest, { artifactType: SBOM });
      assert.ok(result.supported);
      assert.equal(result.filteredByRegistry, false);
      assert.deepEqual(
        result.referrers.map((r) => r.artifactType),
        [SBOM],
      );
    } finally {
      await client.close();
    }
  });

  it('an answer with the wrong Content-Type counts as no API (then the tag fallback answers)', async () => {
    const p = await proxy({ contentType: 'text/html' });
    const client = new RegistryClient({ maxRetries: 0 });
    try {
      const result = await client.listReferrers(repo(p.host), subject.digest);
      assert.equal(result.supported, false);
      const report = await findSignatures(registryArtifactSource(client, repo(p.host)), 'signed/app', subject.digest);
      assert.deepEqual(report.sources, ['referrers tag']);
      assert.equal(report.signed, true);
    } finally {
      await client.close();
    }
  });

  it('never follows a referrers Link to another origin', async () => {
    const p = await proxy({ crossOriginLink: true });
    const client = new RegistryClient({ maxRetries: 0 });
    try {
      await assert.rejects(client.listReferrers(repo(p.host), subject.digest), (error: unknown) => error instanceof RegistryError && error.code === 'protocol' && /another host/.test(error.message));
      assert.equal(p.other.requests.length, 0);
    } finally {
      await client.close();
    }
  });

  it('detects a cosign sha256-<hex>.sig tag', async () => {
    const client = new RegistryClient({ maxRetries: 0 });
    try {
      const config = await pushBlob(registry, 'signed/app', '{}', MediaTypes.ociConfig);
      const layer = await pushBlob(registry, 'signed/app', '{"critical":{}}', 'application/vnd.dev.cosign.simplesigning.v1+json');
      await pushManifest(registry, 'signed/app', { schemaVersion: 2, mediaType: MediaTypes.ociManifest, config, layers: [layer] }, `${unsigned.digest.replace(':', '-')}.sig`);
      const report = await findSignatures(registryArtifactSource(client, repo(registry.host)), 'signed/app', unsigned.digest);
      assert.equal(report.signed, true);
      assert.equal(report.cosignTag, `${unsigned.digest.replace(':', '-')}.sig`);
      assert.deepEqual(report.sources, ['cosign tag']);
    } finally {
      await client.close();
    }
  });
});
