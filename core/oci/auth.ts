// Turns a registry challenge plus an optional credential into an Authorization header: Basic, or a Bearer token from the realm.
// Token exchanges go through the shared TokenCache; messages name the credential source, never its value.
import { createHash } from 'node:crypto';
import type { AuthChallenge } from './challenge';
import type { FoundCredential } from './credentials/types';
import { RegistryError } from './errors';
import { rememberCredential } from '../../shared/redaction';
import type { SourceNetwork } from './network-options';
import { TokenCache, type IssuedToken } from './token-cache';
import { header, type Transport } from './transport';

export interface AuthTarget {
  registry: string;
  repository: string;
  insecure?: boolean;
  signal?: AbortSignal;
  network?: SourceNetwork;
  credential?: FoundCredential;
}

/** Non-reversible fingerprint of a credential, for cache keys. */
export function credentialFingerprint(credential: FoundCredential | undefined): string {
  if (!credential) return 'anonymous';
  const material = [credential.username, credential.password, credential.identityToken, credential.registryToken].map((v) => v ?? '').join('\0');
  return createHash('sha256').update(material).digest('hex').slice(0, 16);
}

export function pullScope(repository: string): string {
  return `repository:${repository}:pull`;
}

const basicHeader = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`, 'utf8').toString('base64')}`;

export class Authenticator {
  readonly tokens = new TokenCache();

  constructor(private readonly transport: Transport) {}

  private tokenKey(challenge: AuthChallenge, target: AuthTarget): string {
    return TokenCache.key(challenge.params.realm ?? '', challenge.params.service, [pullScope(target.repository)], credentialFingerprint(target.credential));
  }

  /** The Authorization header for this challenge, or undefined when anonymous Basic is all there is. */
  async authorization(challenge: AuthChallenge, target: AuthTarget): Promise<string | undefined> {
    const credential = target.credential;
    if (credential) rememberCredential({ username: credential.username, password: credential.password, token: credential.identityToken ?? credential.registryToken });
    if (challenge.scheme === 'basic') {
      if (!credential?.username) return undefined;
      return basicHeader(credential.username, credential.password ?? '');
    }
    if (challenge.scheme !== 'bearer') return undefined;
    if (credential?.registryToken) return `Bearer ${credential.registryToken}`;
    const token = await this.tokens.get(this.tokenKey(challenge, target), () => this.exchange(challenge, target));
    return `Bearer ${token}`;
  }

  /** Forget the cached token for this challenge so the next authorization() exchanges again. */
  invalidate(challenge: AuthChallenge, target: AuthTarget): void {
    if (challenge.scheme === 'bearer') this.tokens.invalidate(this.tokenKey(challenge, target));
  }

  private async exchange(challenge: AuthChallenge, target: AuthTarget): Promise<IssuedToken> {
    const realm = challenge.params.realm;
    if (!realm) throw new RegistryError('protocol', `${target.registry} asked for a Bearer token without saying where to get one (no realm).`);
    let realmUrl: URL;
    try {
      realmUrl = new URL(realm);
    } catch {
      throw new RegistryError('protocol', `${target.registry} named a token realm that is not a URL.`);
    }
    const scope = pullScope(target.repository);
    const credential = target.credential;
    const common = { signal: target.signal, insecure: target.insecure, network: target.network };
    let res;
    if (credential?.identityToken) {
      const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: credential.identityToken, service: challenge.params.service ?? '', scope, client_id: 'flux-oci' });
      res = await this.transport.fetchBuffered(
        { ...common, url: realmUrl.toString(), method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() },
        1 << 20,
      );
    }
    if (!res || res.status === 404 || res.status === 405) {
      const url = new URL(realmUrl);
      if (challenge.params.service) url.searchParams.set('service', challenge.params.service);
      url.searchParams.append('scope', scope);
      const headers: Record<string, string> = {};
      // `docker login` stores `auth: "<user>:"` beside `identitytoken`: with no password, the identity token is the secret to present.
      if (credential?.identityToken && !credential.password) headers.authorization = basicHeader(credential.username ?? '<token>', credential.identityToken);
      else if (credential?.username) headers.authorization = basicHeader(credential.username, credential.password ?? '');
      res = await this.transport.fetchBuffered({ ...common, url: url.toString(), headers }, 1 << 20);
    }
    if (res.status === 401 || res.status === 403) {
      throw new RegistryError(
        'auth-required',
        credential
          ? `The token server for ${target.registry} rejected the credentials from ${credential.source}.`
          : `The token server for ${target.registry} requires credentials and none were found.`,
        { status: res.status, triedSources: credential ? [credential.source] : [] },
      );
    }
    if (res.status === 429) throw new RegistryError('rate-limited', `The token server for ${target.registry} is rate-limiting requests; try again later.`, { status: 429 });
    if (res.status !== 200) throw new RegistryError('protocol', `The token server for ${target.registry} answered HTTP ${res.status}.`, { status: res.status });
    let body: { token?: unknown; access_token?: unknown; expires_in?: unknown };
    try {
      body = JSON.parse(res.body.toString('utf8')) as typeof body;
    } catch {
      throw new RegistryError('protocol', `The token server for ${target.registry} sent a response that is not JSON (${header(res.headers, 'content-type') ?? 'no content type'}).`);
    }
    const token = typeof body.token === 'string' && body.token ? body.token : typeof body.access_token === 'string' ? body.access_token : '';
    if (!token) throw new RegistryError('protocol', `The token server for ${target.registry} answered without a token.`);
    rememberCredential({ token });
    const expires = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : 60;
    return { token, expiresInSeconds: expires };
  }
}
