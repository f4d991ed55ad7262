// Credentials never reach the output channel through the LSP trace: vscode-jsonrpc's real tracer (verbose and compact)
// prints fluxOci/setCredentials params; the redaction the client's output channel applies hides every value.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, Trace, type Tracer } from 'vscode-jsonrpc/node';
import { redactCredentials, REDACTED } from '../../shared/redaction';
import { SetCredentialsNotification, type SetCredentialsParams } from '../../shared/protocol';

const PASSWORD = 'pa"ss\\word-s3cr3t';

async function traceOf(trace: Trace, send: (c: ReturnType<typeof createMessageConnection>) => Promise<void>): Promise<string> {
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  const client = createMessageConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));
  const server = createMessageConnection(new StreamMessageReader(toServer), new StreamMessageWriter(toClient));
  const lines: string[] = [];
  const tracer: Tracer = { log: (message: string | object, data?: string) => lines.push(typeof message === 'string' ? message : JSON.stringify(message), data ?? '') };
  const received = new Promise<void>((resolve) => server.onNotification(SetCredentialsNotification, () => resolve()));
  server.listen();
  client.listen();
  await client.trace(trace, tracer);
  await send(client);
  await received;
  client.dispose();
  server.dispose();
  return lines.join('\n');
}

for (const trace of [Trace.Verbose, Trace.Compact]) {
  test(`the ${Trace.toString(trace)} LSP trace of fluxOci/setCredentials shows no password once redacted`, async () => {
    const params: SetCredentialsParams = { credentials: [{ host: 'ghcr.io', username: 'bob', password: PASSWORD }] };
    const raw = await traceOf(trace, (c) => c.sendNotification(SetCredentialsNotification, params));
    assert.ok(raw.includes('s3cr3t'), 'the unredacted trace carries the password (what the redaction is for)');
    const shown = redactCredentials(raw);
    assert.ok(!shown.includes('s3cr3t'), shown);
    assert.ok(shown.includes(REDACTED));
    assert.ok(shown.includes('ghcr.io') && shown.includes('bob'), 'host and user name stay readable');
  });
}

test('Secret payloads in traced documents and Authorization values are hidden too', () => {
  const auth = Buffer.from('bob:hunter2-secret').toString('base64');
  const dockerConfig = Buffer.from(JSON.stringify({ auths: { 'ghcr.io': { auth } } })).toString('base64');
  const yaml = `apiVersion: v1\nkind: Secret\ntype: kubernetes.io/dockerconfigjson\ndata:\n  .dockerconfigjson: ${dockerConfig}\n`;
  const traced = JSON.stringify({ textDocument: { text: yaml } }, null, 4);
  const nested = JSON.stringify({ text: JSON.stringify({ auths: { 'ghcr.io': { auth, identitytoken: 'tok"en-secret' } } }) });
  const header = `authorization: Basic ${auth}; Bearer eyJhbGciOiJSUzI1NiJ9.secret`;
  for (const text of [traced, nested, header]) {
    const shown = redactCredentials(text);
    assert.ok(!shown.includes(auth) && !shown.includes(dockerConfig) && !shown.includes('secret'), shown);
  }
  assert.equal(redactCredentials('no credentials here: {"host":"ghcr.io"}'), 'no credentials here: {"host":"ghcr.io"}');
});
