// An HTTP proxy in front of a real registry that pages `tags/list` the ways real registries do and injects faults per request.
// Test-only: listens on 127.0.0.1, forwards everything else unchanged, and records which requests carried Authorization.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import type { PushCredentials } from './registry';

export interface PagingOptions {
  /** How the next page is linked: absolute URL, relative path, opaque token, a different origin, or a link to the same page. */
  style: 'absolute' | 'relative' | 'opaque' | 'cross-origin' | 'self-loop';
  /** Largest page the "registry" returns whatever `n` says (registries that cap `n`). */
  pageSize: number;
  /** Whether a smaller `n` from the client is honoured. Default true. */
  honourN?: boolean;
  /** Reorders the full list before paging (e.g. oldest-first like GHCR). */
  order?: (tags: string[]) => string[];
}

export type Fault =
  | { kind: 'status'; status: number; retryAfter?: string }
  | { kind: 'reset' }
  | { kind: 'truncate' }
  | { kind: 'flip-byte' }
  | { kind: 'redirect-blob' }
  /** The body's first byte at once, then one byte every `everyMs` (a registry that never quite stalls). */
  | { kind: 'trickle'; everyMs: number };

export interface FaultRule {
  /** Matched against the request path (with query). */
  match: RegExp;
  method?: string;
  /** How many matching requests get the fault. Default 1. */
  times?: number;
  fault: Fault;
}

export interface RecordedRequest {
  method: string;
  path: string;
  authorization: boolean;
  /** The request's `user-agent` header, if any. */
  userAgent?: string;
  /** The request's `range` header (a resumed download), if any. */
  range?: string;
}

/** What the proxy records of a request: never the Authorization value, only whether it was there. */
function record(req: IncomingMessage, method: string, path: string): RecordedRequest {
  const recorded: RecordedRequest = { method, path, authorization: req.headers.authorization !== undefined };
  if (req.headers['user-agent'] !== undefined) recorded.userAgent = req.headers['user-agent'];
  if (req.headers.range !== undefined) recorded.range = req.headers.range;
  return recorded;
}

export interface PagingProxy {
  url: string;
  host: string;
  requests: RecordedRequest[];
  /** The second origin: blob redirects land here; it records whether Authorization arrived. */
  other: { url: string; host: string; requests: RecordedRequest[] };
  paging?: PagingOptions;
  faults: FaultRule[];
  /** Drop `Range` from forwarded requests (a registry that always answers with the whole blob). */
  ignoreRange: boolean;
  stop(): Promise<void>;
}

/** How the proxy plays an OCI 1.1 registry with a referrers API (distribution 2.8 has none). */
export interface ReferrersApiOptions {
  /** Apply `?artifactType=` itself and say so in OCI-Filters-Applied (else the client must filter). Default true. */
  filter?: boolean;
  /** Answer with this Content-Type instead of the OCI index type (a registry that lies about what it sends). */
  contentType?: string;
  /** Add a `Link: rel="next"` to the other origin (must never be followed). */
  crossOriginLink?: boolean;
}

export interface PagingProxyOptions {
  paging?: PagingOptions;
  /** Serve `GET /v2/<name>/referrers/<digest>` from the upstream's `sha256-<hex>` fallback tag, as an OCI 1.1 registry would. */
  referrersApi?: ReferrersApiOptions;
  faults?: FaultRule[];
  /** Credentials the redirect target uses to read blobs from an auth-protected upstream. */
  upstreamAuth?: PushCredentials;
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

const forwardHeaders = (req: IncomingMessage): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (k === 'host' || k === 'connection' || v === undefined) continue;
    out[k] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
};

async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return chunks.length ? Buffer.concat(chunks) : undefined;
}

export async function startPagingProxy(upstream: string, options: PagingProxyOptions = {}): Promise<PagingProxy> {
  const upstreamUrl = upstream.replace(/\/+$/, '');
  const upstreamNeedsAuth = options.upstreamAuth !== undefined;
  const requests: RecordedRequest[] = [];
  const otherRequests: RecordedRequest[] = [];
  const state: PagingProxy = {
    url: '',
    host: '',
    requests,
    other: { url: '', host: '', requests: otherRequests },
    paging: options.paging,
    faults: [...(options.faults ?? [])],
    ignoreRange: false,
    stop: async () => undefined,
  };

  const upstreamFetch = async (method: string, path: string, headers: Record<string, string>, body?: Buffer) => {
    const res = await request(`${upstreamUrl}${path}`, { method: method as 'GET', headers, body });
    const bytes = Buffer.from(await res.body.arrayBuffer());
    return { status: res.statusCode, headers: res.headers, bytes };
  };

  const send = (res: ServerResponse, status: number, headers: Record<string, unknown>, bytes: Buffer, method: string) => {
    const out: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(headers)) {
      if (v === undefined || ['connection', 'keep-alive', 'transfer-encoding', 'content-length'].includes(k)) continue;
      out[k] = v as string | string[];
    }
    out['content-length'] = String(method === 'HEAD' ? Number(headers['content-length'] ?? 0) : bytes.length);
    res.writeHead(status, out);
    res.end(method === 'HEAD' ? undefined : bytes);
  };

  const snapshots = new Map<string, { name: string; all: string[]; position: Map<string, number> }>();
  const pageTags = async (req: IncomingMessage, res: ServerResponse, url: URL, paging: PagingOptions) => {
    // The first page takes a fresh snapshot of the upstream list; continuation pages reuse it, as a
    // registry's cursor would (re-listing 100,000 tags for each of 100 pages would only test the proxy).
    const continuation = url.searchParams.has('last') || url.searchParams.has('next_page');
    let snapshot = continuation ? snapshots.get(url.pathname) : undefined;
    if (!snapshot) {
      const full = await upstreamFetch('GET', url.pathname, forwardHeaders(req));
      if (full.status !== 200) return send(res, full.status, full.headers, full.bytes, 'GET');
      const parsed = JSON.parse(full.bytes.toString('utf8')) as { name: string; tags: string[] | null };
      const ordered = paging.order ? paging.order(parsed.tags ?? []) : (parsed.tags ?? []);
      snapshot = { name: parsed.name, all: ordered, position: new Map(ordered.map((t, i) => [t, i])) };
      snapshots.set(url.pathname, snapshot);
    }
    const { all } = snapshot;
    const parsed = { name: snapshot.name };
    const n = Number(url.searchParams.get('n') ?? paging.pageSize);
    const size = paging.honourN === false ? paging.pageSize : Math.min(paging.pageSize, n > 0 ? n : paging.pageSize);
    let start = 0;
    const token = url.searchParams.get('next_page');
    if (token)
      start = Number(
        Buffer.from(token, 'base64url')
          .toString('utf8')
          .replace(/^offset:/, ''),
      );
    const last = url.searchParams.get('last');
    if (last !== null) start = (snapshot.position.get(last) ?? -1) + 1;
    const page = all.slice(start, start + size);
    const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
    const more = start + size < all.length;
    if (more || paging.style === 'self-loop') {
      const lastTag = page[page.length - 1] ?? '';
      const relative = `${url.pathname}?n=${size}&last=${encodeURIComponent(lastTag)}`;
      const link =
        paging.style === 'absolute'
          ? `${state.url}${relative}`
          : paging.style === 'relative'
            ? relative
            : paging.style === 'opaque'
              ? `${url.pathname}?next_page=${Buffer.from(`offset:${start + size}`).toString('base64url')}`
              : paging.style === 'cross-origin'
                ? `${state.other.url}${relative}`
                : `${url.pathname}${url.search}`;
      headers.link = `<${link}>; rel="next"`;
    }
    send(res, 200, headers, Buffer.from(JSON.stringify({ name: parsed.name, tags: page })), 'GET');
  };

  const serveReferrers = async (req: IncomingMessage, res: ServerResponse, url: URL, match: RegExpExecArray, api: ReferrersApiOptions) => {
    const [, name, algorithm, hex] = match;
    const headers = { ...forwardHeaders(req), accept: 'application/vnd.oci.image.index.v1+json' };
    const up = await upstreamFetch('GET', `${name}/manifests/${algorithm}-${hex}`, headers);
    if (up.status === 401) return send(res, up.status, up.headers, up.bytes, 'GET');
    const listed = up.status === 200 ? ((JSON.parse(up.bytes.toString('utf8')) as { manifests?: Array<{ artifactType?: string }> }).manifests ?? []) : [];
    const wanted = url.searchParams.get('artifactType');
    const filter = api.filter !== false && wanted !== null;
    const manifests = filter ? listed.filter((m) => m.artifactType === wanted) : listed;
    const out: Record<string, string> = { 'content-type': api.contentType ?? 'application/vnd.oci.image.index.v1+json' };
    if (filter) out['oci-filters-applied'] = 'artifactType';
    if (api.crossOriginLink) out.link = `<${state.other.url}${url.pathname}?page=2>; rel="next"`;
    send(res, 200, out, Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests })), 'GET');
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = req.url ?? '/';
    const method = req.method ?? 'GET';
    requests.push(record(req, method, path));
    const url = new URL(path, 'http://proxy.invalid');
    const rule = state.faults.find((f) => f.match.test(path) && (!f.method || f.method === method) && (f.times ?? 1) > 0);
    let fault = rule?.fault;
    // A real object-store redirect only follows an authorized request; an anonymous one gets the registry's 401.
    if (fault?.kind === 'redirect-blob' && !req.headers.authorization && upstreamNeedsAuth) fault = undefined;
    const bodyFault = fault?.kind === 'truncate' || fault?.kind === 'flip-byte' || fault?.kind === 'trickle';
    if (rule && fault && !bodyFault) rule.times = (rule.times ?? 1) - 1;
    if (fault?.kind === 'reset') {
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'status') {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (fault.retryAfter !== undefined) headers['retry-after'] = fault.retryAfter;
      const code = fault.status === 429 ? 'TOOMANYREQUESTS' : 'UNAVAILABLE';
      return send(res, fault.status, headers, Buffer.from(JSON.stringify({ errors: [{ code, message: 'injected' }] })), method);
    }
    if (fault?.kind === 'redirect-blob') {
      res.writeHead(307, { location: `${state.other.url}${url.pathname}?signature=abc`, 'content-length': '0' });
      res.end();
      return;
    }
    if (state.paging && method === 'GET' && /\/tags\/list$/.test(url.pathname)) return pageTags(req, res, url, state.paging);
    const referrers = /^(\/v2\/.+)\/referrers\/([a-z0-9]+):([a-f0-9]+)$/.exec(url.pathname);
    if (options.referrersApi && referrers && method === 'GET') return serveReferrers(req, res, url, referrers, options.referrersApi);
    const forwarded = forwardHeaders(req);
    if (state.ignoreRange) delete forwarded.range;
    const up = await upstreamFetch(method, path, forwarded, await readBody(req));
    // Body faults hit only successful answers, whole or ranged (not the 401 that precedes an authorized retry).
    if (bodyFault && rule) {
      if (up.status === 200 || up.status === 206) rule.times = (rule.times ?? 1) - 1;
      else fault = undefined;
    }
    if (fault?.kind === 'truncate' && up.bytes.length > 1) {
      const headers: Record<string, string | string[]> = {};
      for (const [k, v] of Object.entries(up.headers)) if (v !== undefined && !['connection', 'keep-alive', 'transfer-encoding'].includes(k)) headers[k] = v;
      headers['content-length'] = String(up.bytes.length);
      res.writeHead(up.status, headers);
      res.write(up.bytes.subarray(0, Math.floor(up.bytes.length / 2)), () => res.socket?.destroy());
      return;
    }
    if (fault?.kind === 'trickle' && up.bytes.length > 1) {
      const headers: Record<string, string | string[]> = {};
      for (const [k, v] of Object.entries(up.headers)) if (v !== undefined && !['connection', 'keep-alive', 'transfer-encoding'].includes(k)) headers[k] = v;
      headers['content-length'] = String(up.bytes.length);
      res.writeHead(up.status, headers);
      let sent = 1;
      res.write(up.bytes.subarray(0, 1));
      const timer = setInterval(() => {
        if (sent >= up.bytes.length) {
          clearInterval(timer);
          res.end();
          return;
        }
        res.write(up.bytes.subarray(sent, ++sent));
      }, fault.everyMs);
      res.on('close', () => clearInterval(timer));
      return;
    }
    if (fault?.kind === 'flip-byte' && up.bytes.length > 0) {
      const i = Math.floor(up.bytes.length / 2);
      up.bytes[i] = up.bytes[i] === 0x61 ? 0x62 : 0x61;
    }
    send(res, up.status, up.headers, up.bytes, method);
  };

  const otherHandle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = req.url ?? '/';
    const method = req.method ?? 'GET';
    otherRequests.push(record(req, method, path));
    const url = new URL(path, 'http://other.invalid');
    const headers: Record<string, string> = {};
    if (options.upstreamAuth) headers.authorization = `Basic ${Buffer.from(`${options.upstreamAuth.user}:${options.upstreamAuth.pass}`).toString('base64')}`;
    const up = await upstreamFetch(method, url.pathname, headers);
    send(res, up.status, { 'content-type': 'application/octet-stream' }, up.bytes, method);
  };

  const wrap = (h: (req: IncomingMessage, res: ServerResponse) => Promise<void>) => (req: IncomingMessage, res: ServerResponse) => {
    h(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(502).end();
      else res.destroy();
    });
  };
  const server = createServer(wrap(handle));
  const other = createServer(wrap(otherHandle));
  const port = await listen(server);
  const otherPort = await listen(other);
  state.url = `http://127.0.0.1:${port}`;
  state.host = `127.0.0.1:${port}`;
  state.other.url = `http://127.0.0.1:${otherPort}`;
  state.other.host = `127.0.0.1:${otherPort}`;
  const close = (s: Server) =>
    new Promise<void>((resolve) => {
      s.closeAllConnections();
      s.close(() => resolve());
    });
  state.stop = async () => {
    await Promise.all([close(server), close(other)]);
  };
  return state;
}
