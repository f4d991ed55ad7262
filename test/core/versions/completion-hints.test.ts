// Tests the editor hints: prerelease detection (Flux's ParseVersion rules) and range snippets from SEMVER.md forms.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isPrerelease, rangeSnippets } from '../../../core/versions/completion-hints';
import { parseFluxTagVersion } from '../../../core/versions/flux-version';
import { parseConstraint } from '../../../core/versions/masterminds-constraint';

test('isPrerelease', () => {
  assert.equal(isPrerelease('1.2.3-rc.1'), true);
  assert.equal(isPrerelease('1.2-rc.1'), true);
  assert.equal(isPrerelease('1.2.3'), false);
  assert.equal(isPrerelease('1.2.3+build'), false);
  assert.equal(isPrerelease('latest'), false);
  assert.equal(isPrerelease('1.2.3-rc.1_b1', true), true);
});

test('rangeSnippets give parseable ranges around the latest version', () => {
  const snippets = rangeSnippets(parseFluxTagVersion('v4.7.2')!);
  assert.deepEqual(snippets, ['>=4.7.0 <5.0.0', '~4.7', '^4']);
  for (const s of snippets) {
    const parsed = parseConstraint(s);
    assert.ok(parsed.ok, s);
    assert.equal(parsed.constraint.check(parseFluxTagVersion('4.7.2')!), true, s);
  }
});
