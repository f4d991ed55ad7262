// Which diagnostics a code action request concerns: overlapping ranges, the client's own diagnostics, a cursor on the line.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { rangesTouch, requestConcerns } from '../../server/src/code-actions';
import { UriRegistry, uriToPath } from '../../server/src/uri-paths';

const r = (sl: number, sc: number, el: number, ec: number) => ({ start: { line: sl, character: sc }, end: { line: el, character: ec } });

describe('code action matching', () => {
  it('treats touching and overlapping ranges as related', () => {
    assert.equal(rangesTouch(r(0, 12, 0, 44), r(0, 44, 0, 44)), true);
    assert.equal(rangesTouch(r(0, 12, 0, 44), r(0, 20, 1, 0)), true);
    assert.equal(rangesTouch(r(0, 12, 0, 44), r(0, 0, 0, 11)), false);
    assert.equal(rangesTouch(r(0, 12, 0, 44), r(1, 0, 1, 0)), false);
  });

  it('matches a cursor on the diagnostic line, or the diagnostics the client sent', () => {
    const diagnostic = { code: 'api-version-removed', range: r(0, 12, 0, 44) };
    assert.equal(requestConcerns(diagnostic, r(0, 0, 0, 0), []), true);
    assert.equal(requestConcerns(diagnostic, r(1, 0, 1, 0), []), false);
    assert.equal(requestConcerns(diagnostic, r(0, 0, 0, 5), []), false, 'a selection elsewhere on the line is not the cursor');
    assert.equal(requestConcerns(diagnostic, r(5, 0, 5, 3), [{ code: 'api-version-removed', range: r(0, 12, 0, 44) }]), true);
    assert.equal(requestConcerns(diagnostic, r(5, 0, 5, 3), [{ code: 'other', range: r(0, 12, 0, 44) }]), false);
  });
});

describe('uri paths', () => {
  it('maps file URIs to paths and back with the spelling the client used', () => {
    assert.equal(uriToPath('file:///tmp/a%20b.yaml'), '/tmp/a b.yaml');
    assert.equal(uriToPath('untitled:Untitled-1'), 'untitled:Untitled-1');
    const uris = new UriRegistry();
    assert.equal(uris.uriOf('/tmp/a b.yaml'), 'file:///tmp/a%20b.yaml');
    const path = uris.remember('file:///tmp/%61.yaml');
    assert.equal(path, '/tmp/a.yaml');
    assert.equal(uris.uriOf(path), 'file:///tmp/%61.yaml');
    assert.equal(uris.uriOf('untitled:Untitled-1'), 'untitled:Untitled-1');
  });
});
