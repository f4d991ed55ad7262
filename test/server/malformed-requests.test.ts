// Every custom request of the server, sent with missing or wrongly typed params by a buggy or hostile client: each
// must get an LSP error with one readable sentence (no stack, no JavaScript internals), and the server must live on.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LspClient, RpcResponseError } from '../support/lsp-client';

const REQUEST_FAILED = -32803;

/** Requests whose params are unusable, each with what the user-facing message must say. */
const MALFORMED: Array<{ method: string; params: unknown; says: RegExp }> = [
  { method: 'fluxOci/listTags', params: null, says: /reference/ },
  { method: 'fluxOci/listTags', params: { reference: 42 }, says: /reference/ },
  { method: 'fluxOci/listTags', params: { reference: 'oci://127.0.0.1:1/x', uri: 'file:///x.yaml', position: 'top' }, says: /position/ },
  { method: 'fluxOci/pullArtifact', params: { reference: '' }, says: /reference/ },
  { method: 'fluxOci/pullArtifact', params: { reference: 'oci://UPPER CASE/???' }, says: /\w/ },
  { method: 'fluxOci/readArtifactFile', params: null, says: /artifact id/ },
  { method: 'fluxOci/readArtifactFile', params: { id: 'not-an-id', path: 'x' }, says: /not an artifact id/ },
  { method: 'fluxOci/compareArtifacts', params: { leftId: 1, rightId: [] }, says: /artifact id/ },
  { method: 'fluxOci/resolveDigest', params: [], says: /reference/ },
  { method: 'fluxOci/artifactAtPosition', params: { uri: 'file:///x.yaml' }, says: /position/ },
  { method: 'fluxOci/artifactAtPosition', params: { uri: 'file:///x.yaml', position: { line: 'one', character: null } }, says: /position/ },
];

describe('malformed custom requests', () => {
  let client: LspClient;
  before(async () => {
    client = await LspClient.start();
    // Trusted, so requests get past the trust gate to their own parameter checks.
    await client.initialize({ initializationOptions: { workspaceTrusted: true } });
  });
  after(async () => {
    await client.stop();
    assert.deepEqual(client.strayOutput, []);
  });

  for (const { method, params, says } of MALFORMED) {
    it(`${method} with ${JSON.stringify(params)} gets a readable LSP error`, async () => {
      await assert.rejects(client.request(method, params), (error: unknown) => {
        assert.ok(error instanceof RpcResponseError, String(error));
        assert.equal(error.code, REQUEST_FAILED, error.serverMessage);
        assert.match(error.serverMessage, says);
        assert.doesNotMatch(error.serverMessage, /\n\s+at |TypeError|Cannot read propert|undefined \(reading/, 'no stack or JavaScript internals');
        return true;
      });
    });
  }

  it('still answers afterwards', async () => {
    const status = await client.request<{ workspaceTrusted: boolean }>('fluxOci/indexStatus', 'nonsense');
    assert.equal(status.workspaceTrusted, true);
  });
});
