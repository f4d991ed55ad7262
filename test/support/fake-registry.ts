// One small framework for registry fakes: an auth front (Basic, or Bearer with a token realm on this or another host) in
// front of a real, open distribution registry, with name mapping, cursor paging and extra routes. Test-only, loopback only.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { request } from 'undici';

export interface BasicPair {
  user: string;
  pass: string;
}

/** A token request as the realm saw it: GET with query and optional Basic, or POST with an OAuth2 form. */
export interface TokenRequest {
  method: 'GET' | 'POST';
  service?: string;
  scopes: string[];
  basic?: BasicPair;
  form?: URLSearchParams;
}

/** What the realm answers: a token for `subject` that may pull the repositories `mayPull` allows, or a refusal. */
export type TokenDecision = { subject: string; mayPull: (repository: string) => boolean } | { status: number; body?: unknown };

export type RouteHandler = (req: IncomingMessage, url: URL, body: Buffer) => { status: number; body: unknown; headers?: Record<string, string> };

export interface FakeRegistryOptions {
  /** The real registry behind the fake (open, no auth): http://127.0.0.1:PORT. */
  upstream: string;
  /** How the registry host asks for credentials. */
  auth:
    | { scheme: 'basic'; realm: string; service?: string; accept: (pair: BasicPair) => boolean }
    | {
        scheme: 'bearer';
        /** Path of the token endpoint; on a second host when `separateHost` (Docker Hub's auth.docker.io). */
        realmPath: string;
        separateHost?: boolean;
        /** `service` in the challenge; default the registry's host. */
        service?: string;
        decide: (request: TokenRequest) => TokenDecision;
        /** Which JSON fields carry the token (Docker Hub sends both). Default `token`. */
        fields?: Array<'token' | 'access_token'>;
        /** Status for a valid token without pull access. Default 401 with error="insufficient_scope". */
        deniedStatus?: 401 | 403;
      };
  /** The repository name the real registry stores for a requested one (Docker Hub's `library/`). */
  mapName?: (name: string) => string;
  /** Pages tag lists with an opaque cursor in `Link` (ECR's nextToken style). */
  tagPageSize?: number;
  /** Extra routes on the registry host, by exact path (ACR's /oauth2/exchange). */
  routes?: Record<string, RouteHandler>;
}

/** What happened, for assertions: never a password or token, only user names, scopes and outcomes. */
export interface FakeEvent {
  kind: 'token' | 'registry' | 'route';
  method: string;
  path: string;
  status: number;
  user?: string;
  scopes?: string[];
  grantType?: string;
  /** Registry requests: which scheme the Authorization header used. */
  authScheme?: string;
}

export interface FakeRegistry {
  url: string;
  host: string;
  /** The token realm's origin (the registry's own, or the second host). */
  realmUrl?: string;
  events: FakeEvent[];
  stop(): Promise<void>;
}

interface IssuedToken {
  subject: string;
  mayPull: (repository: string) => boolean;
  expires: number;
}

export function readBasic(header: string | undefined): BasicPair | undefined {
  if (!header || !/^basic /i.test(header)) return undefined;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : { user: decoded.slice(0, colon), pass: decoded.slice(colon + 1) };
}

export async function readRequestBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const bytes = Buffer.from(JSON.stringify(body));
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(bytes.length), ...headers }).end(bytes);
}

export async function listenOnLoopback(server: Server): Promise<{ url: string; host: string }> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}`, host: `127.0.0.1:${port}` };
}

export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}

/** Wraps an async handler: an exception becomes a 502, never an unhandled rejection. */
export function guarded(handler: (req: IncomingMessage, res: ServerResponse) => Promise<void>) {
  return (req: IncomingMessage, res: ServerResponse) => {
    handler(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(502).end();
      else res.destroy();
    });
  };
}

const API_PATH = /^\/v2\/(.+?)\/(tags\/list|manifests\/[^/]+|blobs\/[^/]+|referrers\/[^/]+)$/;

export async function startFakeRegistry(options: FakeRegistryOptions): Promise<FakeRegistry> {
  const upstream = options.upstream.replace(/\/+$/, '');
  const events: FakeEvent[] = [];
  const tokens = new Map<string, IssuedToken>();
  const auth = options.auth;
  const state = { url: '', host: '', realmUrl: undefined as string | undefined };
  const service = () => auth.service ?? state.host;

  const challenge = (repository?: string, error?: string): string => {
    if (auth.scheme === 'basic') return `Basic realm="${auth.realm}"`;
    const scope = repository ? `,scope="repository:${repository}:pull"` : '';
    return `Bearer realm="${state.realmUrl}${auth.realmPath}",service="${service()}"${scope}${error ? `,error="${error}"` : ''}`;
  };

  /** undefined when allowed; else the refusal to send. */
  const refusal = (req: IncomingMessage, repository: string | undefined): { status: number; header: string; code: string } | undefined => {
    const header = req.headers.authorization;
    if (auth.scheme === 'basic') {
      const pair = readBasic(header);
      return pair && auth.accept(pair) ? undefined : { status: 401, header: challenge(repository), code: 'UNAUTHORIZED' };
    }
    const bearer = header && /^bearer /i.test(header) ? tokens.get(header.slice(7).trim()) : undefined;
    if (!bearer || bearer.expires < Date.now()) return { status: 401, header: challenge(repository), code: 'UNAUTHORIZED' };
    if (repository === undefined || bearer.mayPull(repository)) return undefined;
    return auth.deniedStatus === 403 ? { status: 403, header: '', code: 'DENIED' } : { status: 401, header: challenge(repository, 'insufficient_scope'), code: 'UNAUTHORIZED' };
  };

  const forward = async (req: IncomingMessage, res: ServerResponse, path: string) => {
    const headers: Record<string, string> = {};
    for (const name of ['accept', 'range']) {
      const value = req.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    const up = await request(`${upstream}${path}`, { method: (req.method ?? 'GET') as 'GET', headers });
    const out: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(up.headers)) if (v !== undefined && !['connection', 'keep-alive', 'transfer-encoding'].includes(k)) out[k] = v;
    res.writeHead(up.statusCode, out);
    for await (const chunk of up.body) if (!res.write(chunk)) await new Promise((r) => res.once('drain', r));
    res.end();
    return up.statusCode;
  };

  const pagedTags = async (res: ServerResponse, url: URL, requested: string, stored: string) => {
    const up = await request(`${upstream}/v2/${stored}/tags/list`);
    const text = await up.body.text();
    if (up.statusCode !== 200) {
      res.writeHead(up.statusCode, { 'content-type': 'application/json' }).end(text);
      return up.statusCode;
    }
    const all = (JSON.parse(text) as { tags?: string[] | null }).tags ?? [];
    const size = options.tagPageSize!;
    const cursor = url.searchParams.get('nextToken');
    const start = cursor ? Number(Buffer.from(cursor, 'base64url').toString('utf8').split('|')[1]) : 0;
    const headers: Record<string, string> = {};
    if (start + size < all.length) {
      const next = Buffer.from(`${randomBytes(6).toString('hex')}|${start + size}`).toString('base64url');
      headers.link = `</v2/${requested}/tags/list?nextToken=${next}>; rel="next"`;
    }
    sendJson(res, 200, { name: requested, tags: all.slice(start, start + size) }, headers);
    return 200;
  };

  const issue = (subject: string, mayPull: (repository: string) => boolean): string => {
    const token = `fake-${randomBytes(18).toString('hex')}`;
    tokens.set(token, { subject, mayPull, expires: Date.now() + 300_000 });
    return token;
  };

  const handleToken = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    if (auth.scheme !== 'bearer') return;
    const method = req.method === 'POST' ? 'POST' : 'GET';
    const form = method === 'POST' ? new URLSearchParams((await readRequestBody(req)).toString('utf8')) : undefined;
    const params = form ?? url.searchParams;
    const scopes = params
      .getAll('scope')
      .flatMap((s) => s.split(' '))
      .filter(Boolean);
    const basic = readBasic(req.headers.authorization);
    const decision = auth.decide({ method, service: params.get('service') ?? undefined, scopes, basic, form });
    const event: FakeEvent = { kind: 'token', method, path: url.pathname, status: 200, user: basic?.user, scopes, grantType: form?.get('grant_type') ?? undefined };
    if ('status' in decision) {
      events.push({ ...event, status: decision.status });
      sendJson(res, decision.status, decision.body ?? { errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] });
      return;
    }
    events.push({ ...event, user: event.user ?? (decision.subject || undefined) });
    const token = issue(decision.subject, decision.mayPull);
    const body: Record<string, unknown> = { expires_in: 300, issued_at: new Date().toISOString() };
    for (const field of auth.fields ?? ['token']) body[field] = token;
    sendJson(res, 200, body);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://fake.invalid');
    const method = req.method ?? 'GET';
    const route = options.routes?.[url.pathname];
    if (route) {
      const answer = route(req, url, await readRequestBody(req));
      events.push({ kind: 'route', method, path: url.pathname, status: answer.status });
      sendJson(res, answer.status, answer.body, answer.headers);
      return;
    }
    if (auth.scheme === 'bearer' && !auth.separateHost && url.pathname === auth.realmPath) return handleToken(req, res, url);
    const authScheme = req.headers.authorization?.split(' ')[0]?.toLowerCase();
    if (url.pathname === '/v2/' || url.pathname === '/v2') {
      const refused = refusal(req, undefined);
      events.push({ kind: 'registry', method, path: url.pathname, status: refused?.status ?? 200, authScheme });
      if (refused) sendJson(res, refused.status, { errors: [{ code: refused.code, message: 'authentication required' }] }, { 'www-authenticate': refused.header });
      else sendJson(res, 200, {});
      return;
    }
    const api = API_PATH.exec(url.pathname);
    if (!api) {
      events.push({ kind: 'registry', method, path: url.pathname, status: 404, authScheme });
      sendJson(res, 404, { errors: [{ code: 'NOT_FOUND', message: 'not found' }] });
      return;
    }
    const [, requested, rest] = api;
    const refused = refusal(req, requested);
    if (refused) {
      events.push({ kind: 'registry', method, path: url.pathname, status: refused.status, authScheme });
      const detail = [{ Type: 'repository', Name: requested, Action: 'pull' }];
      sendJson(
        res,
        refused.status,
        { errors: [{ code: refused.code, message: 'access to the requested resource is not authorized', detail }] },
        refused.header ? { 'www-authenticate': refused.header } : {},
      );
      return;
    }
    const stored = options.mapName ? options.mapName(requested) : requested;
    const status = options.tagPageSize && rest === 'tags/list' && method === 'GET' ? await pagedTags(res, url, requested, stored) : await forward(req, res, `/v2/${stored}/${rest}${url.search}`);
    events.push({ kind: 'registry', method, path: url.pathname, status, authScheme });
  };

  const server = createServer(guarded(handle));
  server.keepAliveTimeout = 1000;
  Object.assign(state, await listenOnLoopback(server));
  let realmServer: Server | undefined;
  if (auth.scheme === 'bearer' && auth.separateHost) {
    realmServer = createServer(
      guarded(async (req, res) => {
        const url = new URL(req.url ?? '/', 'http://realm.invalid');
        if (url.pathname === auth.realmPath) return handleToken(req, res, url);
        res.writeHead(404).end();
      }),
    );
    state.realmUrl = (await listenOnLoopback(realmServer)).url;
  } else if (auth.scheme === 'bearer') {
    state.realmUrl = state.url;
  }
  return {
    ...state,
    events,
    stop: async () => {
      await closeServer(server);
      if (realmServer) await closeServer(realmServer);
    },
  };
}
