// A real Docker-registry token server for tests: issues RS256 JWTs (x5c header, `access` claims) that distribution 2.8 verifies.
// Test-only: keys are generated per run in a temp dir; it never logs passwords or tokens.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { execFileSync } from 'node:child_process';
import { createPrivateKey, randomUUID, sign, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';

export interface TokenServerOptions {
  /** Accounts allowed to log in with Basic credentials (they get pull+push). */
  users?: Record<string, string>;
  /** Whether requests without credentials get (pull-only) tokens. Default: true. */
  allowAnonymous?: boolean;
  /** Which JSON field carries the token. Default: 'token'. */
  responseField?: 'token' | 'access_token' | 'both';
  /** `expires_in` in the response; null omits it (clients must assume 60 s). Default: 300. */
  expiresInSeconds?: number | null;
  /** Repositories for which the server grants an empty `access` list (the registry then says insufficient_scope). */
  denyRepositories?: string[];
  /** Accounts exempt from denyRepositories and from expClaimOffsetSeconds (the harness's push account). */
  superUsers?: string[];
  /** Added to the JWT `exp` claim only (not to `expires_in`): a large negative value makes tokens the registry rejects. */
  expClaimOffsetSeconds?: number;
  /** OAuth2 refresh tokens (docker `identitytoken`) the server accepts, each mapped to the subject it stands for (gets pull+push). */
  refreshTokens?: Record<string, string>;
  /** Whether POST (the OAuth2 form flow) is served; false answers 404 so clients fall back to GET. Default: true. */
  acceptPost?: boolean;
}

export interface TokenExchange {
  scopes: string[];
  service?: string;
  user?: string;
  /** How the token was asked for: GET with query parameters, or POST with an OAuth2 form. */
  method: 'GET' | 'POST';
  /** POST only: the form's grant_type and client_id. */
  grantType?: string;
  clientId?: string;
  /** 'granted' when a token was issued, else the HTTP status returned. */
  outcome: 'granted' | number;
}

export interface TokenServer {
  realm: string;
  service: string;
  issuer: string;
  certPath: string;
  /** Mutable: tests may change these between requests. */
  settings: TokenServerOptions;
  exchanges: TokenExchange[];
  stop(): Promise<void>;
}

interface AccessEntry {
  type: string;
  name: string;
  actions: string[];
}

const base64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

function makeKeyPair(dir: string): { key: KeyObject; certDerBase64: string; certPath: string } {
  const keyPath = join(dir, 'token-key.pem');
  const certPath = join(dir, 'token-cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyPath, '-out', certPath, '-days', '2', '-subj', '/CN=flux-oci-test-token-issuer'], { stdio: 'ignore' });
  const pem = readFileSync(certPath, 'utf8');
  const certDerBase64 = pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
  return { key: createPrivateKey(readFileSync(keyPath)), certDerBase64, certPath };
}

function parseScope(scope: string): AccessEntry | undefined {
  // type:name:actions, where name may contain ':' (host:port) — split at the first and last colon.
  const first = scope.indexOf(':');
  const last = scope.lastIndexOf(':');
  if (first < 0 || last <= first) return undefined;
  return {
    type: scope.slice(0, first),
    name: scope.slice(first + 1, last),
    actions: scope
      .slice(last + 1)
      .split(',')
      .filter(Boolean),
  };
}

function readBasic(req: IncomingMessage): { user: string; pass: string } | undefined {
  const header = req.headers.authorization;
  if (!header || !/^basic /i.test(header)) return undefined;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { user: decoded.slice(0, colon), pass: decoded.slice(colon + 1) };
}

/** Starts a token server on 127.0.0.1; `dir` receives the key and certificate (give it the registry's temp dir). */
export async function startTokenServer(dir: string, options: TokenServerOptions = {}): Promise<TokenServer> {
  const { key, certDerBase64, certPath } = makeKeyPair(dir);
  const service = 'test-registry';
  const issuer = 'test-issuer';
  const settings: TokenServerOptions = { ...options };
  const exchanges: TokenExchange[] = [];

  const issue = (subject: string, access: AccessEntry[]): string => {
    const offset = (settings.superUsers ?? []).includes(subject) ? 0 : (settings.expClaimOffsetSeconds ?? 0);
    const now = Math.floor(Date.now() / 1000);
    const expiresIn = settings.expiresInSeconds === undefined ? 300 : (settings.expiresInSeconds ?? 60);
    const header = { typ: 'JWT', alg: 'RS256', x5c: [certDerBase64] };
    const claims = { iss: issuer, sub: subject, aud: service, exp: now + expiresIn + offset, nbf: now - 10, iat: now, jti: randomUUID(), access };
    const input = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
    return `${input}.${base64url(sign('sha256', Buffer.from(input), key))}`;
  };

  /** The access list for `scopes`: authenticated subjects get pull+push, anonymous ones pull only; denyRepositories are left out. */
  const grant = (scopes: string[], subject: string | undefined): AccessEntry[] => {
    const granted: AccessEntry[] = [];
    for (const scope of scopes) {
      const entry = parseScope(scope);
      if (!entry || entry.type !== 'repository') continue;
      const superUser = subject !== undefined && (settings.superUsers ?? []).includes(subject);
      if (!superUser && (settings.denyRepositories ?? []).includes(entry.name)) continue;
      const allowed = subject !== undefined ? ['pull', 'push', 'delete', '*'] : ['pull'];
      const actions = entry.actions.filter((a) => allowed.includes(a));
      if (actions.length) granted.push({ type: entry.type, name: entry.name, actions });
    }
    return granted;
  };

  const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) =>
    res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));

  const tokenBody = (token: string, fields: Array<'token' | 'access_token'>): Record<string, unknown> => {
    const body: Record<string, unknown> = { issued_at: new Date().toISOString() };
    for (const field of fields) body[field] = token;
    if (settings.expiresInSeconds !== null) body.expires_in = settings.expiresInSeconds ?? 300;
    return body;
  };

  /** GET /token?service=…&scope=…, anonymous or with Basic (an account, or `<token>` plus a refresh token). */
  const handleGet = (req: IncomingMessage, url: URL, res: ServerResponse) => {
    const scopes = url.searchParams
      .getAll('scope')
      .flatMap((s) => s.split(' '))
      .filter(Boolean);
    const requestedService = url.searchParams.get('service') ?? undefined;
    const basic = readBasic(req);
    const record = (outcome: TokenExchange['outcome']) => exchanges.push({ method: 'GET', scopes, service: requestedService, user: basic?.user, outcome });
    let subject: string | undefined;
    if (basic) {
      const users = settings.users ?? {};
      const refreshSubject = basic.user === '<token>' ? settings.refreshTokens?.[basic.pass] : undefined;
      if (refreshSubject !== undefined) subject = refreshSubject;
      else if (Object.hasOwn(users, basic.user) && users[basic.user] === basic.pass) subject = basic.user;
      else {
        record(401);
        json(res, 401, { details: 'invalid username or password' });
        return;
      }
    } else if (settings.allowAnonymous === false) {
      record(401);
      json(res, 401, { details: 'authentication required' }, { 'www-authenticate': 'Basic realm="token"' });
      return;
    }
    record('granted');
    const token = issue(subject ?? '', grant(scopes, subject));
    const field = settings.responseField ?? 'token';
    json(res, 200, tokenBody(token, field === 'both' ? ['token', 'access_token'] : [field]));
  };

  /** POST /token with an OAuth2 form (grant_type=refresh_token): the docker `identitytoken` flow. Answers with access_token. */
  const handlePost = (form: URLSearchParams, contentType: string | undefined, res: ServerResponse) => {
    const scopes = form
      .getAll('scope')
      .flatMap((s) => s.split(' '))
      .filter(Boolean);
    const grantType = form.get('grant_type') ?? undefined;
    const clientId = form.get('client_id') ?? undefined;
    const record = (outcome: TokenExchange['outcome'], user?: string) => exchanges.push({ method: 'POST', scopes, service: form.get('service') ?? undefined, user, grantType, clientId, outcome });
    if (!contentType?.toLowerCase().startsWith('application/x-www-form-urlencoded') || !clientId) {
      record(400);
      json(res, 400, { error: 'invalid_request' });
      return;
    }
    if (grantType !== 'refresh_token') {
      record(400);
      json(res, 400, { error: 'unsupported_grant_type' });
      return;
    }
    const refreshToken = form.get('refresh_token') ?? '';
    const subject = refreshToken ? settings.refreshTokens?.[refreshToken] : undefined;
    if (subject === undefined || !Object.hasOwn(settings.refreshTokens ?? {}, refreshToken)) {
      record(401);
      json(res, 401, { error: 'invalid_grant' });
      return;
    }
    record('granted', subject);
    json(res, 200, { ...tokenBody(issue(subject, grant(scopes, subject)), ['access_token']), scope: scopes.join(' ') });
  };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/token') {
      res.writeHead(404).end();
      return;
    }
    if (req.method === 'GET') {
      handleGet(req, url, res);
      return;
    }
    if (req.method !== 'POST') {
      res.writeHead(405, { allow: 'GET, POST' }).end();
      return;
    }
    if (settings.acceptPost === false) {
      req.resume();
      exchanges.push({ method: 'POST', scopes: [], outcome: 404 });
      res.writeHead(404).end();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > 64 * 1024) {
        res.writeHead(413, { connection: 'close' }).end();
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (res.headersSent) return;
      handlePost(new URLSearchParams(Buffer.concat(chunks).toString('utf8')), req.headers['content-type'], res);
    });
  };

  const server = createServer(handle);
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    realm: `http://127.0.0.1:${port}/token`,
    service,
    issuer,
    certPath,
    settings,
    exchanges,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
