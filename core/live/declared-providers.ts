// Which cloud each registry host's OCIRepositories declare with `spec.provider` (aws, azure, gcp), read from the workspace.
// Read at lookup time, so edits apply without a restart; `generic` and substituted values declare nothing.
import { isCloudProviderName, type CloudProviderName } from '../oci/credentials/cloud-registry-hosts';
import { parseOciUrl } from '../oci/reference';
import type { WorkspaceIndex } from '../workspace/workspace-index';

/** The provider an OCIRepository in `index` declares for `registry`, if any does. */
export function declaredProviders(index: WorkspaceIndex): (registry: string) => CloudProviderName | undefined {
  return (registry) => {
    for (const { model } of index.ociRepositories()) {
      const provider = model.provider?.value;
      const url = model.url?.value;
      if (!isCloudProviderName(provider) || !url || url.includes('${')) continue;
      try {
        if (parseOciUrl(url).registry === registry) return provider;
      } catch {
        /* an unparsable url declares nothing */
      }
    }
    return undefined;
  };
}
