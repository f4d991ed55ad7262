// Which cloud each registry host's sources declare with `spec.provider` (aws, azure, gcp): OCIRepositories and OCI
// HelmRepositories, read from the workspace at lookup time so edits apply at once; `generic` and substitutions declare nothing.
import type { WorkspaceIndex } from '../workspace/workspace-index';
import { isCloudProviderName, type CloudProviderName } from '../oci/credentials/cloud-registry-hosts';
import { parseOciUrl } from '../oci/reference';
import { asMap, getMap, getNode, scalarString } from '../manifests/yaml-ast';

interface DeclaredSource {
  url?: string;
  provider?: string;
}

function registryOf(url: string | undefined): string | undefined {
  if (!url || url.includes('${')) return undefined;
  try {
    return parseOciUrl(url).registry;
  } catch {
    return undefined;
  }
}

/** spec.url and spec.provider of every `type: oci` HelmRepository in the workspace. */
function ociHelmRepositories(index: WorkspaceIndex): DeclaredSource[] {
  const out: DeclaredSource[] = [];
  for (const path of index.files()) {
    for (const doc of index.documents(path)) {
      if (doc.object?.kind !== 'HelmRepository') continue;
      const spec = getMap(asMap(doc.result.parsed?.doc.contents), 'spec');
      if (!spec || scalarString(getNode(spec, 'type')) !== 'oci') continue;
      out.push({ url: scalarString(getNode(spec, 'url')), provider: scalarString(getNode(spec, 'provider')) });
    }
  }
  return out;
}

/** The provider a source in `index` declares for `registry`, if any does. */
export function declaredProviders(index: WorkspaceIndex): (registry: string) => CloudProviderName | undefined {
  return (registry) => {
    const oci = index.ociRepositories().map(({ model }): DeclaredSource => ({ url: model.url?.value, provider: model.provider?.value }));
    for (const source of [...oci, ...ociHelmRepositories(index)]) {
      if (isCloudProviderName(source.provider) && registryOf(source.url) === registry) return source.provider;
    }
    return undefined;
  };
}
