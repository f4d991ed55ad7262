// Loopback fakes of the cloud token endpoints a developer's credentials reach: the ECR API (GetAuthorizationToken), Google's
// metadata server, STS token endpoint and project lookup, and an `az` stub for the Azure CLI. Test-only; each records calls, never values.
import { createServer } from 'node:http';
import { randomBytes } from 'node:crypto';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { closeServer, guarded, listenOnLoopback, readRequestBody, sendJson } from './fake-registry';

export interface EcrApiCall {
  target: string;
  accessKeyId?: string;
  region?: string;
  service?: string;
  status: number;
}

export interface FakeEcrApi {
  url: string;
  calls: EcrApiCall[];
  /** Passwords issued (the part after `AWS:`), for the ECR registry fake to accept and for leak assertions. */
  passwords: Set<string>;
  /** Mutable: how long issued tokens live (ECR's own is 12 hours). */
  settings: { expiresInSeconds: number };
  stop(): Promise<void>;
}

const ECR_TARGET = 'AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken';
// AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/ecr/aws4_request, SignedHeaders=…, Signature=…
const SIGV4 = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=[0-9a-f]{64}$/;

/** The ECR API's JSON 1.1 endpoint: SigV4-signed POSTs from known access keys get a 12-hour `AWS:<password>` token. */
export async function startFakeEcrApi(accessKeyIds: string[]): Promise<FakeEcrApi> {
  const calls: EcrApiCall[] = [];
  const passwords = new Set<string>();
  const settings = { expiresInSeconds: 12 * 3600 };
  const error = (type: string, message: string) => ({ __type: type, message });
  const server = createServer(
    guarded(async (req, res) => {
      await readRequestBody(req);
      const target = String(req.headers['x-amz-target'] ?? '');
      const signature = SIGV4.exec(String(req.headers.authorization ?? ''));
      const call: EcrApiCall = { target, accessKeyId: signature?.[1], region: signature?.[3], service: signature?.[4], status: 200 };
      const fail = (status: number, type: string, message: string) => {
        calls.push({ ...call, status });
        sendJson(res, status, error(type, message), { 'x-amzn-errortype': type, 'content-type': 'application/x-amz-json-1.1' });
      };
      if (req.method !== 'POST' || target !== ECR_TARGET) return fail(400, 'UnknownOperationException', 'unknown operation');
      if (!signature || signature[4] !== 'ecr' || !req.headers['x-amz-date']) return fail(403, 'MissingAuthenticationTokenException', 'Missing Authentication Token');
      if (!accessKeyIds.includes(signature[1])) return fail(400, 'UnrecognizedClientException', 'The security token included in the request is invalid.');
      const password = randomBytes(24).toString('base64url');
      passwords.add(password);
      calls.push(call);
      const expiresAt = Math.floor(Date.now() / 1000) + settings.expiresInSeconds;
      sendJson(
        res,
        200,
        { authorizationData: [{ authorizationToken: Buffer.from(`AWS:${password}`).toString('base64'), expiresAt, proxyEndpoint: `https://123456789012.dkr.ecr.${signature[3]}.amazonaws.com` }] },
        { 'content-type': 'application/x-amz-json-1.1' },
      );
    }),
  );
  const { url } = await listenOnLoopback(server);
  return { url, calls, passwords, settings, stop: () => closeServer(server) };
}

export interface GoogleTokenCall {
  kind: 'metadata-ping' | 'metadata-token' | 'sts' | 'project';
  status: number;
  grantType?: string;
}

export interface FakeGoogleEndpoints {
  url: string;
  /** host:port, for GCE_METADATA_HOST. */
  host: string;
  calls: GoogleTokenCall[];
  /** Access tokens issued, for Artifact Registry to accept and for leak assertions. */
  accessTokens: Set<string>;
  /** The subject token an external-account ADC file must present to STS. */
  subjectToken: string;
  stop(): Promise<void>;
}

/** Google's metadata server (`Metadata-Flavor: Google`) and STS token exchange endpoint (`/v1/token`) on one loopback host. */
export async function startFakeGoogleEndpoints(): Promise<FakeGoogleEndpoints> {
  const calls: GoogleTokenCall[] = [];
  const accessTokens = new Set<string>();
  const subjectToken = `subject-${randomBytes(12).toString('hex')}`;
  const issue = () => {
    const token = `ya29.fake-${randomBytes(20).toString('base64url')}`;
    accessTokens.add(token);
    return token;
  };
  const server = createServer(
    guarded(async (req, res) => {
      const url = new URL(req.url ?? '/', 'http://google.invalid');
      const body = await readRequestBody(req);
      const flavored = req.headers['metadata-flavor'] === 'Google';
      const metadata = { 'metadata-flavor': 'Google' };
      if (url.pathname.startsWith('/computeMetadata/v1/')) {
        if (!flavored) {
          calls.push({ kind: 'metadata-ping', status: 403 });
          return sendJson(res, 403, { error: 'Missing Metadata-Flavor:Google header.' });
        }
        if (url.pathname === '/computeMetadata/v1/instance/service-accounts/default/token') {
          calls.push({ kind: 'metadata-token', status: 200 });
          return sendJson(res, 200, { access_token: issue(), expires_in: 3599, token_type: 'Bearer' }, metadata);
        }
        if (url.pathname === '/computeMetadata/v1/project/project-id') {
          res.writeHead(200, { ...metadata, 'content-type': 'application/text' }).end('fake-project');
          return;
        }
        calls.push({ kind: 'metadata-ping', status: 200 });
        res.writeHead(200, { ...metadata, 'content-type': 'application/text' }).end('');
        return;
      }
      if (url.pathname === '/v1/token' && req.method === 'POST') {
        const form = new URLSearchParams(body.toString('utf8'));
        const grantType = form.get('grant_type') ?? undefined;
        const ok = grantType === 'urn:ietf:params:oauth:grant-type:token-exchange' && form.get('subject_token') === subjectToken;
        calls.push({ kind: 'sts', status: ok ? 200 : 400, grantType });
        if (!ok) return sendJson(res, 400, { error: 'invalid_grant', error_description: 'subject token rejected' });
        return sendJson(res, 200, { access_token: issue(), issued_token_type: 'urn:ietf:params:oauth:token-type:access_token', token_type: 'Bearer', expires_in: 3600 });
      }
      if (url.pathname.startsWith('/v1/projects/') && req.method === 'GET') {
        // Cloud Resource Manager: google-auth-library looks up the project of an external account after the exchange.
        calls.push({ kind: 'project', status: 200 });
        return sendJson(res, 200, { projectNumber: url.pathname.split('/').pop(), projectId: 'fake-project' });
      }
      res.writeHead(404).end();
    }),
  );
  const { url, host } = await listenOnLoopback(server);
  return { url, host, calls, accessTokens, subjectToken, stop: () => closeServer(server) };
}

/**
 * Writes an external-account ADC file (workload identity federation) whose STS `token_url` is the fake, and the subject
 * token file it reads; the project lookup goes to the fake too. Returns the ADC file's path (for GOOGLE_APPLICATION_CREDENTIALS).
 */
export function writeExternalAccountAdc(dir: string, endpoints: FakeGoogleEndpoints): string {
  const subjectFile = join(dir, 'subject-token');
  writeFileSync(subjectFile, endpoints.subjectToken);
  const adc = join(dir, 'external-account.json');
  writeFileSync(
    adc,
    JSON.stringify({
      type: 'external_account',
      audience: '//iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/dev/providers/laptop',
      subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
      token_url: `${endpoints.url}/v1/token`,
      cloud_resource_manager_url: `${endpoints.url}/v1/projects/`,
      credential_source: { file: subjectFile },
    }),
  );
  return adc;
}

/**
 * Writes an `az` stub into `binDir`: `az account get-access-token` prints `accessToken` (or, signed out, the Azure CLI's
 * "Please run 'az login'" error). It appends each argument list to `<binDir>/az.calls`, and `proxy <host:port>` when it was
 * started with HTTPS_PROXY. Shell built-ins only (PATH may be bare).
 */
export function writeFakeAzureCli(binDir: string, answer: { accessToken: string; tenant: string } | 'signed-out'): string {
  const path = join(binDir, 'az');
  const json =
    answer === 'signed-out' ? '' : JSON.stringify({ accessToken: answer.accessToken, expiresOn: '2099-01-01 00:00:00.000000', subscription: 'sub', tenant: answer.tenant, tokenType: 'Bearer' });
  const body =
    answer === 'signed-out'
      ? `echo "ERROR: Please run 'az login' to setup account." >&2\nexit 1\n`
      : `if [ "$1 $2" != "account get-access-token" ]; then echo "unexpected arguments" >&2; exit 2; fi\nprintf '%s\\n' '${json}'\n`;
  // The proxy the CLI was given (the part after the userinfo only, never a password), as `proxy <host:port>`.
  const proxyLine = `if [ -n "$HTTPS_PROXY" ]; then echo "proxy \${HTTPS_PROXY##*@}" >> "${join(binDir, 'az.calls')}"; fi\n`;
  writeFileSync(path, `#!/bin/sh\necho "$*" >> "${join(binDir, 'az.calls')}"\n${proxyLine}${body}`);
  chmodSync(path, 0o755);
  return path;
}
