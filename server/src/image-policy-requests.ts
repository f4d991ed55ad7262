// The `fluxOci/imagePolicies` request: every ImagePolicy of the workspace with the tag it selects now, from the core's
// LiveService (which refuses the network when untrusted or offline). Thin adapter: no resolution logic here.
import type { Connection } from 'vscode-languageserver/node';
import { trackLive, type FeatureContext } from './feature-context';
import { ImagePoliciesRequest, type ImagePoliciesResult } from '../../shared/protocol';
import { failingClearly, signalFor } from './request-errors';

export function registerImagePolicyRequests(connection: Connection, context: FeatureContext): void {
  connection.onRequest(
    ImagePoliciesRequest,
    failingClearly('Image policies', context.log, async (_params: unknown, token): Promise<ImagePoliciesResult> => {
      const service = await context.live.live();
      const policies = await trackLive(context, 'Resolving image policies', () => service.imagePolicies({ signal: signalFor(token) }));
      return policies.map(({ path, ...rest }) => ({ ...rest, uri: context.uris.uriOf(path) }));
    }),
  );
}
