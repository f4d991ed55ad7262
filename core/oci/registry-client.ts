// The registry client the rest of the project calls: tag lists, manifests and blobs with auth, retries, caches and offline answers.
// Composition only — the protocol lives in transport/auth/registry-session/tag-list/manifest/blob; no vscode or LSP imports.
import type { Readable } from 'node:stream';
import { fetchBlobBytes, fetchBlobStream } from './blob';
import { downloadBlob, type BodySink } from './blob-download';
import { SingleFlight, TtlCache } from './cache/memory-cache';
import { DiskCache } from './cache/disk-cache';
import type { CredentialProvider, DockerConfigJson } from './credentials/types';
import { RegistryError, isRegistryError } from './errors';
import { fetchManifest, headManifest, type FetchedManifest, type ManifestHead } from './manifest';
import { isDigestReference, type RepositoryRef } from './reference';
import { listReferrers, type ReferrersOptions, type ReferrersResult } from './referrers';
import { RegistrySession, secretFingerprint, type RequestTarget } from './registry-session';
import { listAllTags } from './tag-list';
import { LOOPBACK_REGISTRY_HOSTS } from './plain-http-hosts';
import { Transport } from './transport';
import type { ClientNetwork, SourceNetwork } from './network-options';
import { proxyRulesFromEnvironment } from './proxy-rules';
import type { MinimumRate } from './transfer-deadline';

export type { RepositoryRef } from './reference';

/**
 * `proxyRules` default to HTTPS_PROXY/HTTP_PROXY/NO_PROXY from the environment; `tls` (CLI --ca-file/--cert-file/--key-file)
 * applies to every registry. Give the same ClientNetwork to cloud sign-in (developerCredentials' `cloud.network`).
 */
export interface RegistryClientOptions extends ClientNetwork {
  timeoutMs?: number;
  cacheTtlMs?: number;
  diskCacheDir?: string;
  /** Hosts (host or host:port) where plain HTTP is allowed. Default: loopback (127.0.0.1, localhost, ::1). */
  insecureHosts?: string[];
  offline?: boolean;
  userAgent?: string;
  credentials?: CredentialProvider;
  maxRetries?: number;
  /** Upper bound on retry waits (Retry-After included) per request. Default 30 s. */
  maxRetryWaitMs?: number;
  /** The slowest acceptable blob transfer (default 1 KiB/s over 20 s); false turns the check off. */
  minimumRate?: MinimumRate | false;
  log?: (line: string) => void;
}

export type ResultSource = 'live' | 'memory' | 'disk-stale';

export interface TagList {
  /** As listed by the registry, all pages concatenated, unsorted. */
  tags: string[];
  fetchedAt: number;
  source: ResultSource;
  /** HTTP requests this listing took (live results only). */
  requestCount?: number;
}

export interface ManifestResult extends FetchedManifest {
  source: ResultSource;
  fetchedAt: number;
}

export interface RequestOptions {
  signal?: AbortSignal;
  insecure?: boolean;
  /** Decoded `.dockerconfigjson` of the workspace pull Secret; tried before the client's own credentials. */
  secret?: DockerConfigJson;
  /** Names the Secret in messages, e.g. `Secret flux-system/regcred`. */
  secretLabel?: string;
  /** The source's own proxy and TLS material (an OCIRepository's proxySecretRef and certSecretRef, CLI --proxy). */
  network?: SourceNetwork;
}

export interface ListTagsOptions extends RequestOptions {
  refresh?: boolean;
}

export interface BlobOptions extends RequestOptions {
  maxBytes?: number;
  expectedSize?: number;
  onProgress?(bytes: number): void;
  /** Total time one blob download may take (default 10 minutes; an OCIRepository's spec.timeout when the caller knows it). */
  deadlineMs?: number;
  /** What set deadlineMs, for the timeout message. */
  deadlineLabel?: string;
  minimumRate?: MinimumRate | false;
}

export interface RegistryClientStats {
  requests: number;
  tagListings: number;
  tokenExchanges: number;
}

const FALLBACK_CODES = new Set(['unreachable', 'timeout', 'rate-limited']);

export class RegistryClient {
  private readonly transport: Transport;
  private readonly session: RegistrySession;
  private readonly disk?: DiskCache;
  private readonly tagCache: TtlCache<{ tags: string[]; fetchedAt: number }>;
  private readonly tagFlights = new SingleFlight<TagList>();
  private readonly manifestCache: TtlCache<ManifestResult>;
  private readonly manifestFlights = new SingleFlight<ManifestResult>();
  private readonly ttlMs: number;
  private tagListings = 0;

  constructor(private readonly options: RegistryClientOptions = {}) {
    this.ttlMs = options.cacheTtlMs ?? 300_000;
    this.transport = new Transport({
      timeoutMs: options.timeoutMs ?? 15_000,
      maxRetries: options.maxRetries ?? 4,
      maxRetryWaitMs: options.maxRetryWaitMs,
      insecureHosts: options.insecureHosts ?? [...LOOPBACK_REGISTRY_HOSTS],
      userAgent: options.userAgent ?? 'flux-oci-sources/0.1',
      proxyRules: options.proxyRules ?? proxyRulesFromEnvironment(),
      tls: options.tls,
      log: options.log,
    });
    this.session = new RegistrySession(this.transport, options.credentials);
    this.disk = options.diskCacheDir ? new DiskCache(options.diskCacheDir, options.log) : undefined;
    this.tagCache = new TtlCache(this.ttlMs);
    this.manifestCache = new TtlCache(this.ttlMs);
  }

  /** How long one registry request may take (the user's timeout): what live answers bound their downloads by. */
  get requestTimeoutMs(): number {
    return this.options.timeoutMs ?? 15_000;
  }

  /** The client's minimum transfer rate under the caller's blob options. */
  private blobOptions(opts: BlobOptions): BlobOptions {
    return opts.minimumRate === undefined && this.options.minimumRate !== undefined ? { ...opts, minimumRate: this.options.minimumRate } : opts;
  }

  private target(repo: RepositoryRef, opts: RequestOptions): RequestTarget {
    return {
      registry: repo.registry,
      repository: repo.repository,
      insecure: opts.insecure ?? repo.insecure,
      signal: opts.signal,
      secret: opts.secret,
      secretLabel: opts.secretLabel,
      network: opts.network,
    };
  }

  private offlineError(what: string): RegistryError {
    return new RegistryError('offline', `Working offline and ${what} is not cached.`);
  }

  async listTags(repo: RepositoryRef, opts: ListTagsOptions = {}): Promise<TagList> {
    const key = `${repo.registry}/${repo.repository}|${secretFingerprint(opts.secret)}`;
    const copy = (t: TagList): TagList => ({ ...t, tags: t.tags.slice() });
    if (!opts.refresh || this.options.offline) {
      const hit = this.tagCache.get(key);
      if (hit) return { tags: hit.value.tags.slice(), fetchedAt: hit.value.fetchedAt, source: 'memory' };
    }
    const stale = async (): Promise<TagList | undefined> => {
      const entry = await this.disk?.readTags(key);
      return entry ? { tags: entry.tags, fetchedAt: entry.fetchedAt, source: 'disk-stale' } : undefined;
    };
    if (this.options.offline) {
      const cached = await stale();
      if (cached) return cached;
      throw this.offlineError(`the tag list of ${repo.registry}/${repo.repository}`);
    }
    const result = await this.tagFlights.run(key, async () => {
      const before = this.transport.requests;
      try {
        const listing = await listAllTags(this.session, this.target(repo, opts));
        this.tagListings++;
        const fetchedAt = Date.now();
        this.tagCache.set(key, { tags: listing.tags, fetchedAt });
        await this.disk?.writeTags(key, { tags: listing.tags, fetchedAt });
        return { tags: listing.tags, fetchedAt, source: 'live', requestCount: this.transport.requests - before };
      } catch (error) {
        if (isRegistryError(error) && FALLBACK_CODES.has(error.code)) {
          const cached = await stale();
          if (cached) {
            this.options.log?.(`${repo.registry}/${repo.repository}: ${error.message} Using the tag list cached at ${new Date(cached.fetchedAt).toISOString()}.`);
            return cached;
          }
        }
        throw error;
      }
    });
    return copy(result);
  }

  async getManifest(repo: RepositoryRef, reference: string, opts: RequestOptions = {}): Promise<ManifestResult> {
    const key = `${repo.registry}/${repo.repository}@${reference}|${secretFingerprint(opts.secret)}`;
    const hit = this.manifestCache.get(key);
    if (hit) return { ...hit.value, source: 'memory' };
    const stale = async (): Promise<ManifestResult | undefined> => {
      const entry = await this.disk?.readManifest(key);
      if (!entry) return undefined;
      let json: unknown;
      try {
        json = JSON.parse(entry.bytes.toString('utf8'));
      } catch {
        return undefined;
      }
      return { ...entry, size: entry.bytes.length, json, source: isDigestReference(reference) ? 'memory' : 'disk-stale' };
    };
    if (this.options.offline || isDigestReference(reference)) {
      const cached = await stale();
      if (cached) return cached;
      if (this.options.offline) throw this.offlineError(`the manifest ${repo.repository}:${reference}`);
    }
    return this.manifestFlights.run(key, async () => {
      try {
        const manifest = await fetchManifest(this.session, this.target(repo, opts), reference);
        const result: ManifestResult = { ...manifest, source: 'live', fetchedAt: Date.now() };
        // Content-addressed answers never change: keep them for a day.
        this.manifestCache.set(key, result, isDigestReference(reference) ? 86_400_000 : this.ttlMs);
        await this.disk?.writeManifest(key, { digest: manifest.digest, mediaType: manifest.mediaType, bytes: manifest.bytes, fetchedAt: result.fetchedAt });
        return result;
      } catch (error) {
        if (isRegistryError(error) && FALLBACK_CODES.has(error.code)) {
          const cached = await stale();
          if (cached) return cached;
        }
        throw error;
      }
    });
  }

  /** HEAD a manifest: digest and media type without a pull (Flux's revision `<tag>@<digest>`). Not cached. */
  headManifest(repo: RepositoryRef, reference: string, opts: RequestOptions = {}): Promise<ManifestHead> {
    if (this.options.offline) return Promise.reject(this.offlineError(`the digest of ${repo.repository}:${reference}`));
    return headManifest(this.session, this.target(repo, opts), reference);
  }

  /**
   * OCI 1.1 referrers of a manifest (`GET /v2/<name>/referrers/<digest>`), filtered by artifactType when asked.
   * `{ supported: false }` when the registry has no referrers API: callers then try the `sha256-<hex>` tag. Not cached.
   */
  listReferrers(repo: RepositoryRef, digest: string, opts: RequestOptions & ReferrersOptions = {}): Promise<ReferrersResult> {
    if (this.options.offline) return Promise.reject(this.offlineError(`the referrers of ${repo.repository}@${digest}`));
    return listReferrers(this.session, this.target(repo, opts), digest, opts.artifactType ? { artifactType: opts.artifactType } : {});
  }

  /** A blob the disk cache holds (small ones: configs), when within the caller's size limit. */
  private async cachedBlob(digest: string, opts: BlobOptions): Promise<Buffer | undefined> {
    const cached = await this.disk?.readBlob(digest);
    return cached && (opts.maxBytes === undefined || cached.length <= opts.maxBytes) ? cached : undefined;
  }

  /** Streams a blob; a digest mismatch errors the stream before it ends. */
  async fetchBlob(repo: RepositoryRef, digest: string, opts: BlobOptions = {}): Promise<Readable> {
    const cached = await this.cachedBlob(digest, opts);
    if (cached) {
      const { Readable } = await import('node:stream');
      opts.onProgress?.(cached.length);
      return Readable.from([cached]);
    }
    if (this.options.offline) throw this.offlineError(`blob ${digest}`);
    return fetchBlobStream(this.session, this.target(repo, opts), digest, this.blobOptions(opts));
  }

  /**
   * Writes a blob into `sink` (borrowed chunks, backpressure through `settle`) and resolves once it is complete and
   * verified. Large blobs are read through one reused buffer, so memory stays flat whatever the size.
   */
  async downloadBlob(repo: RepositoryRef, digest: string, sink: BodySink, opts: BlobOptions = {}): Promise<void> {
    const cached = await this.cachedBlob(digest, opts);
    if (cached) {
      // In read-sized pieces, waiting for the sink after each, as a download would (it must not copy the whole blob at once).
      for (let offset = 0; offset < cached.length; offset += 64 * 1024) {
        sink.write(cached.subarray(offset, offset + 64 * 1024));
        await sink.settle?.();
      }
      opts.onProgress?.(cached.length);
      return;
    }
    if (this.options.offline) throw this.offlineError(`blob ${digest}`);
    return downloadBlob(this.session, this.target(repo, opts), digest, sink, this.blobOptions(opts));
  }

  /** A small blob (config) read whole and verified; kept in the disk cache when there is one. */
  async fetchBlobBuffer(repo: RepositoryRef, digest: string, opts: BlobOptions = {}): Promise<Buffer> {
    const cached = await this.disk?.readBlob(digest);
    if (cached) return cached;
    if (this.options.offline) throw this.offlineError(`blob ${digest}`);
    const bytes = await fetchBlobBytes(this.session, this.target(repo, opts), digest, this.blobOptions(opts));
    await this.disk?.writeBlob(digest, bytes);
    return bytes;
  }

  /** Forgets in-memory tag lists, manifests, tokens and credential lookups (the disk cache stays). */
  clearCache(): void {
    this.tagCache.clear();
    this.manifestCache.clear();
    this.session.authenticator.tokens.clear();
    this.session.clearCredentialCache();
  }

  stats(): RegistryClientStats {
    return { requests: this.transport.requests, tagListings: this.tagListings, tokenExchanges: this.session.authenticator.tokens.exchanges };
  }

  /** Closes pooled connections (tests, CLI exit). */
  close(): Promise<void> {
    return this.transport.close();
  }
}
