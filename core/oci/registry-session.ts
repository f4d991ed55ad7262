// Authorized requests to one registry API: attaches known auth, answers a 401 challenge once (fresh token), maps final 401/403.
// Owns the per-host challenge memory and the credential-lookup cache; operations (tags, manifests, blobs) sit on top.
import { createHash } from 'node:crypto';
import { Authenticator, type AuthTarget } from './auth';
import { SingleFlight, TtlCache } from './cache/memory-cache';
import { parseWwwAuthenticate, preferredChallenge, type AuthChallenge } from './challenge';
import { lookupInOrder, type ChainLookup } from './credentials/chain';
import { secretCredentials } from './credentials/secret-credentials';
import type { CredentialProvider, DockerConfigJson } from './credentials/types';
import { networkFingerprint, type SourceNetwork } from './network-options';
import { RegistryError, isRegistryError } from './errors';
import type { RepositoryRef } from './reference';
import { header, type BufferedResponse, type HttpRequest, type HttpResponse, type Transport } from './transport';

export interface RequestTarget extends RepositoryRef {
  signal?: AbortSignal;
  /** Content of a workspace pull Secret (`.dockerconfigjson`), tried before the client's own credentials. */
  secret?: DockerConfigJson;
  secretLabel?: string;
  /** The source's own proxy and TLS material (proxySecretRef, certSecretRef). */
  network?: SourceNetwork;
}

export function secretFingerprint(secret: DockerConfigJson | undefined): string {
  return secret ? createHash('sha256').update(JSON.stringify(secret)).digest('hex').slice(0, 16) : 'none';
}

export class RegistrySession {
  private readonly challenges = new Map<string, AuthChallenge>();
  private readonly lookups = new TtlCache<ChainLookup>(60_000);
  private readonly lookupFlights = new SingleFlight<ChainLookup>();
  readonly authenticator: Authenticator;

  constructor(
    readonly transport: Transport,
    private readonly credentials?: CredentialProvider,
  ) {
    this.authenticator = new Authenticator(transport);
  }

  apiBase(target: RepositoryRef): string {
    const scheme = this.transport.allowsPlainHttp(target.registry, target.insecure) ? 'http' : 'https';
    return `${scheme}://${target.registry}/v2/`;
  }

  repositoryUrl(target: RepositoryRef, suffix: string): string {
    return `${this.apiBase(target)}${target.repository}/${suffix}`;
  }

  private lookupCredential(target: RequestTarget): Promise<ChainLookup> {
    const key = `${target.registry}|${target.repository}|${secretFingerprint(target.secret)}|${networkFingerprint(target.network)}`;
    const cached = this.lookups.get(key);
    if (cached) return Promise.resolve(cached.value);
    return this.lookupFlights.run(key, async () => {
      const providers = [target.secret ? secretCredentials(target.secret, target.secretLabel ?? 'workspace Secret') : undefined, this.credentials];
      const found = await lookupInOrder(providers, target.registry, target.repository, { network: target.network });
      this.lookups.set(key, found);
      return found;
    });
  }

  clearCredentialCache(): void {
    this.lookups.clear();
    this.credentials?.clearCache?.();
  }

  private async authTarget(target: RequestTarget): Promise<{ auth: AuthTarget; lookup: ChainLookup }> {
    const lookup = await this.lookupCredential(target);
    return { auth: { registry: target.registry, repository: target.repository, insecure: target.insecure, signal: target.signal, network: target.network, credential: lookup.credential }, lookup };
  }

  private denial(target: RequestTarget, status: number, challenge: AuthChallenge | undefined, lookup: ChainLookup): RegistryError {
    const where = `${target.registry}/${target.repository}`;
    const tried = lookup.tried.length ? lookup.tried.join(', ') : 'no credential sources configured';
    const credential = lookup.credential;
    const details = { status, triedSources: lookup.tried };
    if (challenge?.params.error === 'insufficient_scope' || status === 403) {
      return credential
        ? new RegistryError('denied', `Pull access to ${where} was denied: the repository does not exist or the credentials from ${credential.source} may not pull it.`, details)
        : new RegistryError('auth-required', `Pull access to ${where} was denied: the repository does not exist or needs credentials (tried: ${tried}; none matched).`, details);
    }
    return credential
      ? new RegistryError('auth-required', `${target.registry} rejected the credentials from ${credential.source} for ${where}.`, details)
      : new RegistryError('auth-required', `${where} requires authentication and no credentials were found (tried: ${tried}).`, details);
  }

  /** Runs `exec` with auth; on 401 takes the fresh challenge, re-authorizes once and runs it again. */
  private async withAuth<R extends { status: number; headers: Record<string, string | string[] | undefined> }>(
    target: RequestTarget,
    exec: (authorization: string | undefined) => Promise<R>,
    discard: (r: R) => Promise<void>,
  ): Promise<R> {
    let challenge = this.challenges.get(target.registry);
    let prepared = challenge ? await this.authTarget(target) : undefined;
    let authorization = challenge && prepared ? await this.authenticator.authorization(challenge, prepared.auth) : undefined;
    const first = await exec(authorization);
    if (first.status !== 401) return first;
    await discard(first);
    const fresh = preferredChallenge(parseWwwAuthenticate(first.headers['www-authenticate']));
    prepared ??= await this.authTarget(target);
    if (!fresh) throw new RegistryError('auth-required', `${target.registry} answered 401 without saying how to authenticate.`, { status: 401, triedSources: prepared.lookup.tried });
    if (challenge) this.authenticator.invalidate(challenge, prepared.auth);
    challenge = fresh;
    this.challenges.set(target.registry, fresh);
    authorization = await this.authenticator.authorization(fresh, prepared.auth);
    if (authorization === undefined) throw this.denial(target, 401, fresh, prepared.lookup);
    const second = await exec(authorization);
    if (second.status === 401 || second.status === 403) {
      await discard(second);
      const again = preferredChallenge(parseWwwAuthenticate(second.headers['www-authenticate'])) ?? fresh;
      this.authenticator.invalidate(again, prepared.auth);
      throw this.denial(target, second.status, again, prepared.lookup);
    }
    return second;
  }

  /** Adds the credential sources' sign-in hint (e.g. `az acr login -n …`) to a final 401/403. */
  private withSignInHint(target: RequestTarget): (error: unknown) => never {
    return (error) => {
      const hint = isRegistryError(error) && (error.code === 'auth-required' || error.code === 'denied') ? this.credentials?.signInHint?.(target.registry) : undefined;
      throw hint && isRegistryError(error) ? new RegistryError(error.code, `${error.message} ${hint}`, error.details) : error;
    };
  }

  /** A request whose body is read whole (tag lists, manifests). */
  fetchBuffered(target: RequestTarget, req: Omit<HttpRequest, 'insecure' | 'signal' | 'network'>, maxBytes: number): Promise<BufferedResponse> {
    return this.withAuth(
      target,
      (authorization) =>
        this.transport.fetchBuffered(
          { ...req, insecure: target.insecure, signal: target.signal, network: target.network, headers: { ...req.headers, ...(authorization ? { authorization } : {}) } },
          maxBytes,
        ),
      async () => undefined,
    ).catch(this.withSignInHint(target));
  }

  /** A request whose body the caller streams (blobs). Redirects are returned, not followed. */
  send(target: RequestTarget, req: Omit<HttpRequest, 'insecure' | 'signal' | 'network'>): Promise<HttpResponse> {
    return this.withAuth(
      target,
      (authorization) =>
        this.transport.send({
          ...req,
          streaming: true,
          insecure: target.insecure,
          signal: target.signal,
          network: target.network,
          headers: { ...req.headers, ...(authorization ? { authorization } : {}) },
        }),
      async (r) => {
        await r.body.dump().catch(() => undefined);
      },
    ).catch(this.withSignInHint(target));
  }

  /** The Authorization header this session would send now for `target` (for same-origin redirects). */
  async currentAuthorization(target: RequestTarget): Promise<string | undefined> {
    const challenge = this.challenges.get(target.registry);
    if (!challenge) return undefined;
    return this.authenticator.authorization(challenge, (await this.authTarget(target)).auth);
  }
}

export { header };
