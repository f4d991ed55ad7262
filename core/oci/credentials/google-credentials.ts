// Google sign-in for Artifact Registry and Container Registry: application default credentials (google-auth-library: the
// ADC file, gcloud's, workload identity federation, the metadata server) as `oauth2accesstoken`, then docker-credential-gcloud.
import { globalAgent as httpGlobalAgent, type Agent } from 'node:http';
import { globalAgent as httpsGlobalAgent } from 'node:https';
import { errorKind, withinTime, type CloudLookupResult, type CloudSourceOptions } from './cloud-lookup';
import { loadGoogleAuthSdk, nodeAgentsFor } from './cloud-sdk-loader';
import { runCredentialHelper } from './credential-helper';

const CLOUD_PLATFORM_SCOPE = 'https://www.googleapis.com/auth/cloud-platform';
const DEFAULT_LIFETIME_MS = 30 * 60_000;
const PROJECT_NOT_NEEDED = 'flux-oci-registry-sign-in';

/** Node's default agent for `url`: what gaxios uses when no proxy and no TLS material apply. */
const globalAgentFor = (url: URL) => (url.protocol === 'https:' ? httpsGlobalAgent : httpGlobalAgent);

/**
 * An external-account client (workload identity federation) makes its STS token exchange through a Gaxios instance of its
 * own, which ignores the client's transporterOptions: give that instance the same agent (its `defaults` are public).
 */
function routeTokenExchange(client: object, agent: (url: URL) => Agent): void {
  const exchange = (client as { stsCredential?: { transporter?: { defaults?: { agent?: unknown } } } }).stsCredential;
  const defaults = exchange?.transporter?.defaults;
  if (defaults) defaults.agent = agent;
}

function adcProblem(error: unknown): string {
  const message = error instanceof Error ? error.message : '';
  if (/could not load the default credentials/i.test(message)) return 'no Google application default credentials were found';
  return `Google application default credentials gave no token (${errorKind(error)})`;
}

// google-auth-library reads process.env itself (GOOGLE_APPLICATION_CREDENTIALS, GCE_METADATA_HOST): options.env does not reach it.
// Its HTTP client (gaxios) would read HTTPS_PROXY/NO_PROXY on its own (with simpler NO_PROXY rules, and never the editor's
// http.proxy, --proxy or --ca-file): an agent chosen per URL from the client network replaces that, so it goes where registry requests go.
async function viaApplicationDefault(options: CloudSourceOptions): Promise<CloudLookupResult> {
  let sdk;
  let agents;
  try {
    sdk = await loadGoogleAuthSdk();
    agents = await nodeAgentsFor(options.network, options.source?.proxy);
  } catch {
    return { problems: ['google-auth-library could not be loaded'] };
  }
  const chosen = agents;
  try {
    const agent = chosen ? (url: URL) => chosen.choose(url, options.source?.proxy).agent ?? globalAgentFor(url) : undefined;
    // A registry token needs no project: naming one skips GoogleAuth's project discovery (gcloud runs, a Resource Manager
    // lookup through the STS exchange's agent-less Gaxios before routeTokenExchange could route it).
    const auth = new sdk.GoogleAuth({ scopes: [CLOUD_PLATFORM_SCOPE], projectId: PROJECT_NOT_NEEDED, clientOptions: { transporterOptions: agent ? { agent } : {} } });
    const client = await auth.getClient();
    if (agent) routeTokenExchange(client, agent);
    const answer = await client.getAccessToken();
    if (!answer.token) return { problems: ['Google application default credentials gave no token'] };
    const expiry = (client as { credentials?: { expiry_date?: number | null } }).credentials?.expiry_date;
    return {
      credential: { username: 'oauth2accesstoken', password: answer.token },
      source: 'Google application default credentials',
      expiresAt: typeof expiry === 'number' ? expiry : Date.now() + DEFAULT_LIFETIME_MS,
      problems: [],
    };
  } catch (error) {
    return { problems: [adcProblem(error)] };
  } finally {
    agents?.destroy();
  }
}

export async function googleCredential(registry: string, options: CloudSourceOptions): Promise<CloudLookupResult> {
  const adc = await withinTime(viaApplicationDefault(options), options.timeoutMs, 'Google application default credentials did not answer in time');
  if (adc.credential) return adc;
  const helper = await runCredentialHelper('gcloud', `https://${registry}`, { env: options.env, timeoutMs: options.timeoutMs });
  if (helper.credential) return { credential: helper.credential, source: 'docker-credential-gcloud', expiresAt: Date.now() + DEFAULT_LIFETIME_MS, problems: [] };
  return { problems: [...adc.problems, helper.problem ?? 'docker-credential-gcloud has no credentials for it'] };
}
