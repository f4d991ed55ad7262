// Generates core/manifests/generated/flux-schemas.json from Flux's CRD files: the structural facts only
// (types, enums, required, patterns, defaults, bounds) per kind and version; no prose is copied.
// Usage: node scripts/generate-flux-schema.mjs [crd-dir]  (default /work/shared/reference/flux-crds)
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

const dir = process.argv[2] ?? '/work/shared/reference/flux-crds';
// Which file supplies which version: the newest file wins for the current version.
const sources = [
  ['ocirepositories.v1.yaml', ['v1']],
  ['ocirepositories.v1-and-v1beta2.yaml', ['v1beta2']],
  ['helmreleases.v2.yaml', ['v2']],
  ['helmreleases.v2-and-v2beta2.yaml', ['v2beta2']],
  ['helmrepositories.yaml', ['v1']],
  ['helmcharts.yaml', ['v1']],
  ['imagerepositories.yaml', ['v1']],
  ['imagepolicies.yaml', ['v1']],
  ['imageupdateautomations.yaml', ['v1']],
];

function compact(node) {
  const out = {};
  if (node['x-kubernetes-int-or-string']) out.intOrString = true;
  if (node.type) out.type = node.type;
  if (node.enum) out.enum = node.enum;
  if (node.pattern) out.pattern = node.pattern;
  if (node.format) out.format = node.format;
  if (node.default !== undefined) out.default = node.default;
  for (const k of ['minLength', 'maxLength', 'minimum', 'maximum', 'minItems', 'maxItems']) {
    if (node[k] !== undefined) out[k] = node[k];
  }
  if (node['x-kubernetes-preserve-unknown-fields']) out.preserveUnknown = true;
  if (node.required) out.required = node.required;
  if (node.properties) {
    out.properties = {};
    for (const [k, v] of Object.entries(node.properties)) out.properties[k] = compact(v);
  }
  if (node.additionalProperties && typeof node.additionalProperties === 'object') {
    out.additionalProperties = compact(node.additionalProperties);
  }
  if (node.items) out.items = compact(node.items);
  if (node['x-kubernetes-validations']) out.rules = node['x-kubernetes-validations'].map((r) => r.rule);
  return out;
}

const schemas = {};
for (const [file, versions] of sources) {
  for (const doc of parseAllDocuments(readFileSync(join(dir, file), 'utf8'))) {
    const crd = doc.toJS();
    if (!crd || crd.kind !== 'CustomResourceDefinition') continue;
    for (const v of crd.spec.versions) {
      if (!versions.includes(v.name)) continue;
      const spec = v.schema.openAPIV3Schema.properties.spec;
      schemas[`${crd.spec.group}/${v.name}/${crd.spec.names.kind}`] = compact(spec);
    }
  }
}

// Plain JSON: data, not code; core/manifests/flux-api.ts types it as SchemaNode records.
writeFileSync('core/manifests/generated/flux-schemas.json', `${JSON.stringify(schemas, null, 1)}\n`);
console.log('wrote', Object.keys(schemas).join(', '));
