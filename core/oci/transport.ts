// The one HTTP entry point to registries (tags, manifests, blobs, referrers, token realms), over undici only: scheme
// policy (TLS unless plain HTTP is allowed), dispatcher choice (direct/proxy, CA, mTLS), timeouts, retries with Retry-After.
// Knows nothing about auth, tags or manifests; never logs headers (they can carry credentials).
import type { Dispatcher } from 'undici';
import { DispatcherPool, type DispatcherChoice } from './dispatcher-pool';
import { RegistryError } from './errors';
import { isRetryableNetworkError, networkError } from './network-errors';
import type { ClientNetwork, SourceNetwork } from './network-options';
import { isListedHost } from './plain-http-hosts';
import { RETRYABLE_STATUSES, backoffMs, parseRetryAfter } from './retry-policy';

export { networkError } from './network-errors';

export type HeaderValue = string | string[] | undefined;

export interface HttpRequest {
  url: string;
  method?: 'GET' | 'HEAD' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
  /** Whether plain HTTP is acceptable for this request (the OCIRepository's `insecure: true`). */
  insecure?: boolean;
  /** The source's own proxy and TLS material (proxySecretRef, certSecretRef), over the client's. */
  network?: SourceNetwork;
  /** For blobs: retry nothing after headers, and use idle (not total) timeouts. */
  streaming?: boolean;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, HeaderValue>;
  url: string;
  body: Dispatcher.ResponseData['body'];
}

export interface BufferedResponse {
  status: number;
  headers: Record<string, HeaderValue>;
  url: string;
  body: Buffer;
}

/** The client's network (proxy rules for sources without their own proxy, TLS material for every request) and policies. */
export interface TransportOptions extends ClientNetwork {
  timeoutMs: number;
  maxRetries: number;
  /** Upper bound on all retry waits of one request, Retry-After included. */
  maxRetryWaitMs?: number;
  insecureHosts: string[];
  userAgent: string;
  log?: (line: string) => void;
}

export function header(headers: Record<string, HeaderValue>, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });

export class Transport {
  readonly dispatchers: DispatcherPool;
  requests = 0;

  constructor(private readonly options: TransportOptions) {
    this.dispatchers = new DispatcherPool({ connectTimeoutMs: options.timeoutMs, proxyRules: options.proxyRules, tls: options.tls });
  }

  /** True when plain HTTP is allowed for `host[:port]`. */
  allowsPlainHttp(host: string, insecure?: boolean): boolean {
    return insecure === true || isListedHost(this.options.insecureHosts, host);
  }

  private checkScheme(url: URL, insecure?: boolean): void {
    if (url.protocol === 'https:') return;
    if (url.protocol === 'http:' && this.allowsPlainHttp(url.host, insecure)) return;
    throw new RegistryError(
      'insecure-refused',
      `Refusing plain HTTP to ${url.host}: set insecure: true on the OCIRepository (or add the host to the insecure hosts) if the registry really has no TLS.`,
    );
  }

  private async sendOnce(req: HttpRequest, url: URL, route: DispatcherChoice): Promise<HttpResponse> {
    this.requests++;
    const timeout = this.options.timeoutMs;
    const signal = req.streaming ? req.signal : req.signal ? AbortSignal.any([req.signal, AbortSignal.timeout(timeout)]) : AbortSignal.timeout(timeout);
    const res = await route.dispatcher.request({
      origin: url.origin,
      path: `${url.pathname}${url.search}`,
      method: req.method ?? 'GET',
      headers: { 'user-agent': this.options.userAgent, ...req.headers },
      body: req.body,
      signal,
      headersTimeout: timeout,
      bodyTimeout: timeout,
    });
    return { status: res.statusCode, headers: res.headers as Record<string, HeaderValue>, url: url.toString(), body: res.body };
  }

  /**
   * Sends with retries on network errors and retryable statuses; `read` consumes the body inside the retry loop
   * (so a body cut short is retried too). The last retryable response is returned for the caller to map.
   */
  private async withRetries<T extends { status: number; headers: Record<string, HeaderValue> }>(req: HttpRequest, read: (res: HttpResponse) => Promise<T>): Promise<T> {
    const url = new URL(req.url);
    this.checkScheme(url, req.insecure);
    const route = this.dispatchers.choose(url, req.network);
    const fail = (error: unknown) => networkError(error, url.host, this.options.timeoutMs, route);
    let waited = 0;
    const budget = this.options.maxRetryWaitMs ?? 30_000;
    for (let attempt = 0; ; attempt++) {
      let result: T | undefined;
      let failure: unknown;
      try {
        result = await read(await this.sendOnce(req, url, route));
      } catch (error) {
        if (req.signal?.aborted) throw req.signal.reason ?? error;
        if (error instanceof RegistryError) throw error;
        failure = error;
      }
      const retryable = failure !== undefined ? isRetryableNetworkError(failure) : result !== undefined && RETRYABLE_STATUSES.has(result.status);
      if (!retryable || attempt >= this.options.maxRetries) {
        if (failure !== undefined) throw fail(failure);
        return result as T;
      }
      const retryAfter = result ? parseRetryAfter(header(result.headers, 'retry-after')) : undefined;
      const wait = retryAfter ?? backoffMs(attempt);
      if (waited + wait > budget) {
        if (failure !== undefined) throw fail(failure);
        return result as T;
      }
      this.options.log?.(`retrying ${req.method ?? 'GET'} ${url.host}${url.pathname} in ${wait} ms (${failure !== undefined ? 'network error' : `HTTP ${result?.status}`})`);
      waited += wait;
      await sleep(wait, req.signal);
    }
  }

  /** A request whose body the caller streams (only the part before headers is retried). Caller must consume or dump the body. */
  send(req: HttpRequest): Promise<HttpResponse> {
    return this.withRetries(req, async (res) => {
      if (RETRYABLE_STATUSES.has(res.status)) await res.body.dump().catch(() => undefined);
      return res;
    });
  }

  /** A request whose body is read fully (capped at maxBytes), retried as a whole. */
  fetchBuffered(req: HttpRequest, maxBytes: number): Promise<BufferedResponse> {
    return this.withRetries(req, async (res) => {
      const declared = Number(header(res.headers, 'content-length'));
      if (req.method !== 'HEAD' && Number.isFinite(declared) && declared > maxBytes) {
        await res.body.dump().catch(() => undefined);
        throw new RegistryError('too-large', `${new URL(res.url).host} sent ${declared} bytes, more than the ${maxBytes}-byte limit for this kind of response.`);
      }
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of res.body) {
        size += (chunk as Buffer).length;
        if (size > maxBytes) {
          res.body.destroy();
          throw new RegistryError('too-large', `${new URL(res.url).host} sent more than the ${maxBytes}-byte limit for this kind of response.`);
        }
        chunks.push(chunk as Buffer);
      }
      return { status: res.status, headers: res.headers, url: res.url, body: Buffer.concat(chunks) };
    });
  }

  close(): Promise<void> {
    return this.dispatchers.close();
  }
}
