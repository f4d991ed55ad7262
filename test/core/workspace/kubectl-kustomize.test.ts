// Compares the build model with the real kustomize (`kubectl kustomize`) on the fleet fixture: for every Flux
// Kustomization whose folder has a kustomization file, each Flux object is compared field by field. Skipped (saying
// so) when kubectl is not on this machine.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import type { JsonObject, JsonValue } from '../../../core/workspace/json-patches';
import { substituteJson } from '../../../core/workspace/json-substitution';
import { loadFixtureTree, yamlFilesUnder } from '../../support/fixture-tree';

const FLEET = resolve(__dirname, '../../fixtures/fleet');

function kubectlAvailable(): string | undefined {
  const probe = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
  return probe.error || probe.status !== 0 ? `kubectl is not on this machine (${probe.error?.message ?? probe.stderr.trim()}): the comparison with the real kustomize did not run` : undefined;
}

/** Field-by-field differences between two JSON values, as `path: ours ≠ kustomize's`. */
function differences(ours: JsonValue | undefined, theirs: JsonValue | undefined, path = ''): string[] {
  if (typeof ours === 'object' && ours !== null && typeof theirs === 'object' && theirs !== null && Array.isArray(ours) === Array.isArray(theirs)) {
    const keys = new Set([...Object.keys(ours), ...Object.keys(theirs)]);
    return [...keys].flatMap((k) => differences((ours as Record<string, JsonValue>)[k], (theirs as Record<string, JsonValue>)[k], `${path}/${k}`));
  }
  return JSON.stringify(ours) === JSON.stringify(theirs) ? [] : [`${path}: ${JSON.stringify(ours)} ≠ ${JSON.stringify(theirs)}`];
}

/** `kubectl kustomize` of a folder wrapped the way kustomize-controller does it (targetNamespace as `namespace`). */
function kustomizeBuild(directory: string, targetNamespace: string | undefined): JsonObject[] {
  const work = mkdtempSync(join(tmpdir(), 'flux-oci-kustomize-'));
  try {
    const wrapper = [`resources:`, `  - ${relative(work, directory)}`, ...(targetNamespace ? [`namespace: ${targetNamespace}`] : [])].join('\n');
    writeFileSync(join(work, 'kustomization.yaml'), `${wrapper}\n`);
    const run = spawnSync('kubectl', ['kustomize', work], { encoding: 'utf8' });
    assert.equal(run.status, 0, `kubectl kustomize ${directory} failed: ${run.stderr}`);
    return parseAllDocuments(run.stdout)
      .map((d) => d.toJS() as JsonObject)
      .filter(Boolean);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

test('the build model matches kubectl kustomize (plus Flux substitution) on every Flux object of the fleet', (t) => {
  const missing = kubectlAvailable();
  if (missing) {
    t.diagnostic(missing);
    t.skip(missing);
    return;
  }
  const index = loadFixtureTree(FLEET);
  const build = index.repositoryBuild();
  const files = yamlFilesUnder(FLEET);
  let compared = 0;
  for (const instance of build.instances) {
    if (!files.some((f) => f === join(instance.spec.directory, 'kustomization.yaml'))) continue;
    const vars = build.variablesOf(instance);
    const built = kustomizeBuild(instance.spec.directory, instance.spec.layer.namespace);
    for (const object of built) {
      if (typeof object.apiVersion !== 'string' || !object.apiVersion.includes('fluxcd.io')) continue;
      const meta = object.metadata as { name: string; namespace?: string };
      const expected = instance.spec.postBuild ? substituteJson(object, (name) => vars.values.get(name)).value : object;
      const ours = files
        .flatMap((f) => index.analyze(f).objects.flatMap((o) => index.variantsOf(f, o.documentIndex)))
        .find((v) => v.instance === instance && v.kind === object.kind && v.name === meta.name);
      assert.ok(ours, `${instance.label}: ${object.kind} ${meta.namespace}/${meta.name} from kubectl kustomize has no variant in the model`);
      assert.deepEqual(differences(ours.object, expected), [], `${instance.label}: ${object.kind} ${meta.name} differs from kubectl kustomize`);
      compared++;
    }
  }
  t.diagnostic(`compared ${compared} Flux objects with kubectl kustomize`);
  assert.ok(compared >= 8, `compared ${compared} Flux objects`);
});
