// The YAML injection grammar: its regexes compile (as JavaScript RegExp, which these patterns are written
// to be compatible with), and they pick out oci:// parts and semver operators/versions from sample lines.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface Rule {
  match?: string;
  name?: string;
  captures?: Record<string, { name?: string; patterns?: Array<{ include: string }> }>;
  patterns?: Rule[];
}
interface Grammar {
  scopeName: string;
  injectionSelector: string;
  patterns: Array<{ include: string }>;
  repository: Record<string, Rule>;
}

const grammar = JSON.parse(readFileSync(join(__dirname, '../../syntaxes/flux-oci.injection.tmLanguage.json'), 'utf8')) as Grammar;
const pkg = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')) as {
  contributes: { grammars: Array<{ scopeName: string; path: string; injectTo?: string[] }> };
};

function regex(rule: Rule, flags = 'd'): RegExp {
  assert.ok(rule.match, 'rule has a match');
  return new RegExp(rule.match, flags);
}

/** Tokenizes `text` with a list of match rules, first rule wins at each position (as TextMate does). */
function tokenize(text: string, rules: Rule[]): Array<[string, string]> {
  const compiled = rules.map((r) => ({ re: new RegExp(r.match as string, 'y'), name: r.name as string }));
  const tokens: Array<[string, string]> = [];
  for (let i = 0; i < text.length;) {
    const hit = compiled
      .map(({ re, name }) => {
        re.lastIndex = i;
        const m = re.exec(text);
        return m && m[0].length > 0 ? { text: m[0], name } : undefined;
      })
      .find(Boolean);
    if (hit) {
      tokens.push([hit.text, hit.name]);
      i += hit.text.length;
    } else i++;
  }
  return tokens;
}

function semverTokens(line: string): Array<[string, string]> {
  const m = regex(grammar.repository['semver-entry']).exec(line);
  assert.ok(m, `semver entry should match: ${line}`);
  const value = m[4] ?? m[6];
  return tokenize(value, grammar.repository['semver-range'].patterns as Rule[]).map(([t, n]) => [t, n.split('.').slice(0, 2).join('.')]);
}

describe('flux-oci injection grammar', () => {
  it('is declared in package.json as an injection into source.yaml', () => {
    assert.equal(grammar.injectionSelector.startsWith('L:source.yaml'), true);
    const declared = pkg.contributes.grammars.find((g) => g.scopeName === grammar.scopeName);
    assert.ok(declared, 'contributes.grammars declares the grammar');
    assert.deepEqual(declared.injectTo, ['source.yaml']);
    assert.equal(declared.path, './syntaxes/flux-oci.injection.tmLanguage.json');
    for (const p of grammar.patterns) assert.ok(grammar.repository[p.include.slice(1)], `${p.include} exists`);
  });

  it('compiles every regex as JavaScript', () => {
    const all: Rule[] = [];
    const visit = (r: Rule) => {
      all.push(r);
      r.patterns?.forEach(visit);
    };
    Object.values(grammar.repository).forEach(visit);
    const withMatch = all.filter((r) => r.match);
    assert.ok(withMatch.length >= 7);
    for (const r of withMatch) assert.doesNotThrow(() => new RegExp(r.match as string), r.match);
  });

  it('splits an oci:// reference into scheme, host, path, tag and digest', () => {
    const re = regex(grammar.repository['oci-reference']);
    const digest = `sha256:${'a1'.repeat(32)}`;
    const m = re.exec(`  url: oci://ghcr.io:443/stefanprodan/charts/podinfo:6.7.1@${digest}  # comment`);
    assert.ok(m);
    assert.deepEqual([m[1], m[2], m[3], m[4], m[5], m[6], m[7]], ['oci://', 'ghcr.io:443', '/stefanprodan/charts/podinfo', ':', '6.7.1', '@', digest]);
    const plain = re.exec('  url: "oci://localhost:5000/podinfo"');
    assert.ok(plain);
    assert.deepEqual([plain[2], plain[3], plain[5], plain[7]], ['localhost:5000', '/podinfo', undefined, undefined]);
    assert.equal(re.exec('  url: https://example.com/x'), null);
  });

  it('highlights operators, versions and || in semver values, plain or quoted', () => {
    assert.deepEqual(semverTokens('    semver: ">=6.0.0 <7.0.0 || ~5.4"'), [
      ['>=', 'keyword.operator'],
      ['6.0.0', 'constant.numeric'],
      ['<', 'keyword.operator'],
      ['7.0.0', 'constant.numeric'],
      ['||', 'keyword.operator'],
      ['~', 'keyword.operator'],
      ['5.4', 'constant.numeric'],
    ]);
    assert.deepEqual(semverTokens('    semver: 1.2.x - 2.0.0-rc.1  # pinned'), [
      ['1.2.x', 'constant.numeric'],
      ['-', 'keyword.operator'],
      ['2.0.0-rc.1', 'constant.numeric'],
    ]);
    assert.deepEqual(semverTokens("  semver: '^1.0.0, !=1.3.0'"), [
      ['^', 'keyword.operator'],
      ['1.0.0', 'constant.numeric'],
      [',', 'punctuation.separator'],
      ['!=', 'keyword.operator'],
      ['1.3.0', 'constant.numeric'],
    ]);
  });

  it('does not treat semverFilter or other keys as semver ranges', () => {
    const re = regex(grammar.repository['semver-entry']);
    assert.equal(re.exec('    semverFilter: ".*-rc.*"'), null);
    assert.equal(re.exec('    notsemver: 1.0.0'), null);
  });
});
