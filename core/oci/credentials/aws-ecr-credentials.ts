// AWS sign-in for ECR: GetAuthorizationToken through the AWS SDK's default credential chain (env, profiles, SSO, process,
// web identity, container/instance roles), then docker-credential-ecr-login. Answers Basic `AWS:<token>`; never logs it.
import { cloudRegistryHost } from './cloud-registry-hosts';
import { errorKind, type CloudLookupResult, type CloudSourceOptions } from './cloud-lookup';
import { loadAwsEcrSdk, nodeAgentsFor } from './cloud-sdk-loader';
import { runCredentialHelper } from './credential-helper';

const SDK_SOURCE = 'AWS SDK default credential chain (ECR GetAuthorizationToken)';

function sdkProblem(error: unknown): string {
  const kind = errorKind(error);
  if (kind === 'CredentialsProviderError') return 'the AWS SDK found no credentials (environment, ~/.aws profiles, SSO, instance role)';
  if (/region is missing/i.test(error instanceof Error ? error.message : '')) return 'no AWS region is known for this registry (set AWS_REGION)';
  if (kind === 'ExpiredTokenException' || kind === 'TokenProviderError') return 'the AWS session has expired';
  const status = (error as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
  return `ECR GetAuthorizationToken failed (${kind}${status ? `, HTTP ${status}` : ''})`;
}

/** Decodes ECR's authorizationToken (base64 `AWS:<password>`). */
function decodeEcrToken(token: string): { username: string; password: string } | undefined {
  const decoded = Buffer.from(token, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon > 0 ? { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) } : undefined;
}

/**
 * The ECR API endpoint the SDK will call, as it picks it: AWS_ENDPOINT_URL_ECR, then AWS_ENDPOINT_URL (unless
 * AWS_IGNORE_CONFIGURED_ENDPOINT_URLS), else the region's public endpoint. Only its host and scheme matter here (proxy choice).
 */
export function ecrApiEndpoint(region: string | undefined, env: NodeJS.ProcessEnv): URL {
  const configured = env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS === 'true' ? undefined : env.AWS_ENDPOINT_URL_ECR || env.AWS_ENDPOINT_URL;
  if (configured && URL.canParse(configured)) return new URL(configured);
  const name = region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1';
  return new URL(`https://api.ecr.${name}.${name.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com'}`);
}

async function viaSdk(registry: string, options: CloudSourceOptions): Promise<CloudLookupResult> {
  let sdk;
  try {
    sdk = await loadAwsEcrSdk();
  } catch {
    return { problems: ['the AWS SDK could not be loaded'] };
  }
  // The SDK warns on stderr that future releases need Node 22; this project supports Node 20, so that line is only noise
  // in a CLI's output. Its own documented switch silences it, unless the user set it.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const region = cloudRegistryHost(registry)?.region;
  // The SDK's Node handler knows no proxy: give it an agent that goes the way the client network says for the ECR API's host.
  let agents;
  try {
    agents = await nodeAgentsFor(options.network, options.source?.proxy);
  } catch {
    return { problems: ['the proxy agents could not be loaded'] };
  }
  const endpoint = ecrApiEndpoint(region, options.env);
  const { agent, proxy } = agents?.choose(endpoint, options.source?.proxy) ?? {};
  const client = new sdk.ECRClient({
    ...(region ? { region } : {}),
    maxAttempts: 2,
    requestHandler: {
      connectionTimeout: options.timeoutMs,
      requestTimeout: options.timeoutMs,
      ...(agent ? (endpoint.protocol === 'https:' ? { httpsAgent: agent } : { httpAgent: agent }) : {}),
    },
  });
  try {
    const answer = await client.send(new sdk.GetAuthorizationTokenCommand({}), { abortSignal: AbortSignal.timeout(options.timeoutMs * 2) });
    const data = answer.authorizationData?.[0];
    const decoded = data?.authorizationToken ? decodeEcrToken(data.authorizationToken) : undefined;
    if (!decoded) return { problems: ['ECR GetAuthorizationToken answered without a usable token'] };
    return { credential: decoded, source: SDK_SOURCE, expiresAt: data?.expiresAt?.getTime(), problems: [] };
  } catch (error) {
    return { problems: [sdkProblem(error) + (proxy ? ` (through the proxy ${proxy})` : '')] };
  } finally {
    client.destroy();
    agents?.destroy();
  }
}

export async function awsEcrCredential(registry: string, options: CloudSourceOptions): Promise<CloudLookupResult> {
  const sdk = await viaSdk(registry, options);
  if (sdk.credential) return sdk;
  const helper = await runCredentialHelper('ecr-login', registry, { env: options.env, timeoutMs: options.timeoutMs });
  if (helper.credential) return { credential: helper.credential, source: 'docker-credential-ecr-login', problems: [] };
  return { problems: [...sdk.problems, helper.problem ?? 'docker-credential-ecr-login has no credentials for it'] };
}
