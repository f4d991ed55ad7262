// `${VAR}` values without a registry: where each expression stands and what it becomes per Flux Kustomization,
// as hover markdown and inlay hints, on the fleet fixture.
import { strict as assert } from 'node:assert';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { variableHint, variableHoverAt, variableOccurrences } from '../../../core/workspace/variable-values';
import { loadFixtureTree } from '../../support/fixture-tree';

const FLEET = resolve(__dirname, '../../fixtures/fleet');

test('each expression with its value per cluster; hints show differing values, hover says where they came from', () => {
  const index = loadFixtureTree(FLEET);
  const path = join(FLEET, 'apps/base/podinfo/release.yaml');
  const found = variableOccurrences(index, path);
  assert.deepEqual(
    found.map((o) => [o.expression, o.range.start.line, o.range.start.character]),
    [
      ['${APP_VERSION}', 13, 11],
      ['${CLUSTER_NAME}', 15, 27],
    ],
  );
  assert.equal(variableHint(found[0]).label, ' = 1.3.0 (flux-system/apps (clusters/production)), 1.2.4 (flux-system/apps (clusters/staging))');
  assert.equal(variableHint(found[0]).position.character, 25);
  const hover = variableHoverAt(index, path, { line: 15, character: 30 });
  assert.match(hover?.markdown ?? '', /- flux-system\/apps \(clusters\/staging\): `staging` \(ConfigMap cluster-vars\)/);
  assert.equal(variableHoverAt(index, path, { line: 13, character: 5 }), undefined, 'not on an expression');
  assert.deepEqual(variableOccurrences(index, path, { start: { line: 0, character: 0 }, end: { line: 14, character: 0 } }).length, 1);
});

test('the same value everywhere is one value; an unknown one says so; objects without postBuild have none', () => {
  const index = loadFixtureTree(FLEET);
  const frontend = variableOccurrences(index, join(FLEET, 'apps/base/podinfo/frontend.yaml'));
  const password = frontend.find((o) => o.expression === '${DB_PASSWORD}')!;
  assert.equal(variableHint(password).label, ' = ?');
  assert.match(variableHint(password).tooltip, /no known value/);
  const chart = variableOccurrences(index, join(FLEET, 'infrastructure/sources/podinfo-chart.yaml'));
  assert.equal(variableHint(chart.find((o) => o.expression === '${REGISTRY_HOST}')!).label, ' = ghcr.io');
  assert.deepEqual(variableOccurrences(index, join(FLEET, 'clusters/staging/apps.yaml')), []);
});
