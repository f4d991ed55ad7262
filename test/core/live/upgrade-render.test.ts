// The upgrade renderers against hostile chart content: key names and defaults that look like Markdown links, HTML or
// command URIs stay inert text in the hover and the report page; the hover keeps to its limit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inertMarkdown, renderUpgradeHoverSection, renderUpgradeMarkdown } from '../../../core/live/upgrade-render';
import { upgradeFindings, type UpgradeReport } from '../../../core/live/upgrade-report';

const HOSTILE = '[click](command:fluxOci.pullAndInspect?%5B%5D)<img src=x>';

function report(dropped: string[]): UpgradeReport {
  const base = {
    source: 'oci://r/x',
    chart: 'x',
    from: { tag: '1.0.0', digest: 'sha256:a' },
    to: { tag: '2.0.0', digest: 'sha256:b' },
    valuesOf: `HelmRelease ns/${HOSTILE}`,
    values: {
      dropped: dropped.map((path) => ({ path, reason: 'removed' as const })),
      rejected: [],
      changedDefaults: [{ path: 'a', before: HOSTILE, after: '`x`', depth: 1 }],
      changedDefaultsTotal: 1,
      addedKeys: 0,
    },
    images: [],
    chartYaml: [],
    crds: { added: [], removed: [], changed: [] },
    templates: { added: [], removed: [] },
  };
  const findings = upgradeFindings(base);
  return { ...base, findings, breaking: findings.filter((f) => f.level === 'breaking').length };
}

test('chart-supplied names cannot form links, HTML or command URIs in the hover or the report', () => {
  const hover = renderUpgradeHoverSection(report([HOSTILE]));
  const page = renderUpgradeMarkdown(report([HOSTILE]));
  // Code spans show their content literally; outside them nothing may be live Markdown.
  for (const text of [hover, page].map((t) => t.replace(/`[^`]*`/g, '``'))) {
    assert.ok(!text.includes('[click](command:'), text);
    assert.doesNotMatch(text, /(^|[^\\])<img/);
  }
  assert.ok(hover.includes('\\[click\\](command:fluxOci.pullAndInspect?%5B%5D)\\<img src=x>'), hover);
  assert.equal(inertMarkdown('a|b\nc'), 'a\\|b c');
  assert.ok(page.includes('| `a` | `[click](command:fluxOci.pullAndInspect?%5B%5D)<img src=x>` |'), 'a code span in a cell');
  assert.ok(renderUpgradeMarkdown(report(['p|q'])).includes('`p\\|q`'), 'a pipe in a code cell is escaped');
});

test('the hover lists breaking items first and says how many more the report holds', () => {
  const hover = renderUpgradeHoverSection(report(['k1', 'k2', 'k3', 'k4', 'k5', 'k6', 'k7']), { limit: 3 });
  const lines = hover.split('\n');
  assert.match(lines[0]!, /7 breaking, 0 worth a look, 1 other change$/);
  assert.deepEqual(
    lines.slice(1, 4).map((l) => l.slice(0, 6)),
    ['- ⛔ k1', '- ⛔ k2', '- ⛔ k3'],
  );
  assert.equal(lines[4], '- …and 5 more');
});
