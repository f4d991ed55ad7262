// Settings parsing: defaults for missing or wrong-typed values, nested sections as VS Code sends them.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_SETTINGS, parseSettings } from '../../server/src/settings';

describe('settings', () => {
  it('uses the defaults for missing or malformed input', () => {
    assert.deepEqual(parseSettings(undefined), DEFAULT_SETTINGS);
    assert.deepEqual(parseSettings(null), DEFAULT_SETTINGS);
    assert.deepEqual(parseSettings('nonsense'), DEFAULT_SETTINGS);
    assert.deepEqual(parseSettings({ validation: 'yes', registry: [] }), DEFAULT_SETTINGS);
  });

  it('reads nested values and rejects wrong types one by one', () => {
    const parsed = parseSettings({
      validation: { enable: false },
      registry: { timeoutSeconds: 3, cacheTtlSeconds: -1, offline: true, insecureHosts: ['localhost:5000', 7, ' '], useWorkspaceSecrets: 'false' },
      pull: { maxBytes: 1024, maxFiles: Number.NaN },
      trace: { server: 'verbose' },
    });
    assert.equal(parsed.validation.enable, false);
    assert.equal(parsed.registry.timeoutSeconds, 3);
    assert.equal(parsed.registry.cacheTtlSeconds, DEFAULT_SETTINGS.registry.cacheTtlSeconds);
    assert.equal(parsed.registry.offline, true);
    assert.deepEqual(parsed.registry.insecureHosts, ['localhost:5000']);
    assert.equal(parsed.registry.useWorkspaceSecrets, DEFAULT_SETTINGS.registry.useWorkspaceSecrets, 'a string is not a boolean: the default stays');
    assert.equal(parsed.pull.maxBytes, 1024);
    assert.equal(parsed.pull.maxFiles, DEFAULT_SETTINGS.pull.maxFiles);
    assert.equal(parsed.trace.server, 'verbose');
  });

  it('declares every setting in package.json with the same default and a description', () => {
    const pkg = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8'));
    const declared = pkg.contributes.configuration.properties as Record<string, { default: unknown; markdownDescription?: string; description?: string }>;
    const flatten = (value: unknown, prefix: string): Array<[string, unknown]> =>
      typeof value === 'object' && value !== null && !Array.isArray(value) ? Object.entries(value).flatMap(([k, v]) => flatten(v, `${prefix}.${k}`)) : [[prefix, value]];
    const expected = flatten(DEFAULT_SETTINGS, 'fluxOci');
    assert.deepEqual(Object.keys(declared).sort(), expected.map(([k]) => k).sort());
    for (const [key, value] of expected) {
      assert.deepEqual(declared[key].default, value, key);
      assert.ok((declared[key].markdownDescription ?? declared[key].description ?? '').length > 20, `${key} has a description`);
    }
  });
});
