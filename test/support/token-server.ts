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
}

export interface TokenExchange {
  scopes: string[];
  service?: string;
  user?: string;
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
  return { type: scope.slice(0, first), name: scope.slice(first + 1, last), actions: scope.slice(last + 1).split(',').filter(Boolean) };
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

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/token') {
      res.writeHead(404).end();
      return;
    }
    const scopes = url.searchParams.getAll('scope').flatMap((s) => s.split(' ')).filter(Boolean);
    const requestedService = url.searchParams.get('service') ?? undefined;
    const basic = readBasic(req);
    const record = (outcome: TokenExchange['outcome']) => exchanges.push({ scopes, service: requestedService, user: basic?.user, outcome });
    const users = settings.users ?? {};
    if (basic && users[basic.user] !== basic.pass) {
      record(401);
      res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ details: 'invalid username or password' }));
      return;
    }
    if (!basic && settings.allowAnonymous === false) {
      record(401);
      res.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'Basic realm="token"' }).end(JSON.stringify({ details: 'authentication required' }));
      return;
    }
    const granted: AccessEntry[] = [];
    for (const scope of scopes) {
      const entry = parseScope(scope);
      if (!entry || entry.type !== 'repository') continue;
      const superUser = basic !== undefined && (settings.superUsers ?? []).includes(basic.user);
      if (!superUser && (settings.denyRepositories ?? []).includes(entry.name)) continue;
      const allowed = basic ? ['pull', 'push', 'delete', '*'] : ['pull'];
      const actions = entry.actions.filter((a) => allowed.includes(a));
      if (actions.length) granted.push({ type: entry.type, name: entry.name, actions });
    }
    record('granted');
    const token = issue(basic?.user ?? '', granted);
    const body: Record<string, unknown> = { issued_at: new Date().toISOString() };
    const field = settings.responseField ?? 'token';
    if (field === 'token' || field === 'both') body.token = token;
    if (field === 'access_token' || field === 'both') body.access_token = token;
    if (settings.expiresInSeconds !== null) body.expires_in = settings.expiresInSeconds ?? 300;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
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
