// The requests the LSP spec says a server must refuse, over stdio against the real server: anything after `shutdown`
// is InvalidRequest, and a text-document request without a document is InvalidParams with a readable sentence.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LspClient, RpcResponseError } from '../support/lsp-client';

const INVALID_REQUEST = -32600;
const INVALID_PARAMS = -32602;

async function rejectsWith(promise: Promise<unknown>, code: number, says: RegExp): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof RpcResponseError, String(error));
    assert.equal(error.code, code, error.serverMessage);
    assert.match(error.serverMessage, says);
    assert.doesNotMatch(error.serverMessage, /\n\s+at |TypeError|Cannot read propert|undefined \(reading/);
    return true;
  });
}

test('text-document requests without a document get InvalidParams, and the server lives on', async () => {
  const client = await LspClient.start();
  try {
    await client.initialize();
    for (const method of ['textDocument/hover', 'textDocument/completion', 'textDocument/definition', 'textDocument/inlayHint']) {
      await rejectsWith(client.request(method, null), INVALID_PARAMS, new RegExp(`${method}.*textDocument\\.uri`));
      await rejectsWith(client.request(method, { textDocument: {}, position: { line: 0, character: 0 } }), INVALID_PARAMS, /textDocument\.uri/);
    }
    const status = await client.request<{ files: number }>('fluxOci/indexStatus', {});
    assert.equal(typeof status.files, 'number');
  } finally {
    assert.equal(await client.stop(), 0);
  }
  assert.deepEqual(client.strayOutput, []);
});

test('after shutdown every request but shutdown is InvalidRequest, and exit ends the process with 0', async () => {
  const client = await LspClient.start();
  await client.initialize();
  await client.request('shutdown', null);
  await rejectsWith(client.request('textDocument/hover', { textDocument: { uri: 'file:///x.yaml' }, position: { line: 0, character: 0 } }), INVALID_REQUEST, /shutting down/);
  await rejectsWith(client.request('fluxOci/indexStatus', {}), INVALID_REQUEST, /shutting down.*fluxOci\/indexStatus/);
  assert.equal(await client.stop(), 0);
  assert.deepEqual(client.strayOutput, []);
});
