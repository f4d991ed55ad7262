// The checks both blob download paths share: the declared size against the limit and the descriptor, the running
// limit, and the size and digest at the end, each as a RegistryError with the blob named.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { BlobVerifier, blobSubject, declaredSizeProblem, requireDigest } from '../../../core/oci/blob-checks';
import { RegistryError } from '../../../core/oci/errors';

const bytes = Buffer.from('hello blob');
const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
const subject = blobSubject(digest, { registry: 'r.example', repository: 'team/app' });

function code(work: () => void): string | undefined {
  try {
    work();
    return undefined;
  } catch (error) {
    assert.ok(error instanceof RegistryError);
    assert.ok(error.message.includes(subject), error.message);
    return error.code;
  }
}

test('declaredSizeProblem: over the limit, unlike the descriptor, or fine (and silent without a Content-Length)', () => {
  assert.equal(declaredSizeProblem({ 'content-length': '11' }, subject, { maxBytes: 10 })?.code, 'too-large');
  assert.equal(declaredSizeProblem({ 'content-length': '9' }, subject, { expectedSize: 10 })?.code, 'digest-mismatch');
  assert.equal(declaredSizeProblem({ 'content-length': '10' }, subject, { maxBytes: 10, expectedSize: 10 }), undefined);
  assert.equal(declaredSizeProblem({}, subject, { maxBytes: 1, expectedSize: 1 }), undefined);
});

test('BlobVerifier: passes the right bytes, refuses past the limit, a wrong size or wrong content', () => {
  const parsed = requireDigest(digest);
  const ok = new BlobVerifier(digest, parsed, subject, { expectedSize: bytes.length });
  ok.update(bytes.subarray(0, 4));
  ok.update(bytes.subarray(4));
  assert.equal(ok.size, bytes.length);
  assert.equal(
    code(() => ok.finish()),
    undefined,
  );

  assert.equal(
    code(() => new BlobVerifier(digest, parsed, subject, { maxBytes: 4 }).update(bytes)),
    'too-large',
  );
  const short = new BlobVerifier(digest, parsed, subject, { expectedSize: bytes.length + 1 });
  short.update(bytes);
  assert.equal(
    code(() => short.finish()),
    'digest-mismatch',
  );
  const wrong = new BlobVerifier(digest, parsed, subject, {});
  wrong.update(Buffer.from('hello blub'));
  assert.equal(
    code(() => wrong.finish()),
    'digest-mismatch',
  );
  assert.throws(
    () => requireDigest('sha256:nothex'),
    (e: unknown) => e instanceof RegistryError && e.code === 'invalid-reference',
  );
});
