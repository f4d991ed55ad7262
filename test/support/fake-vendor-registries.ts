// The documented auth behaviour of seven public registries, each as a few lines of settings on the one fake framework:
// Docker Hub, GHCR, ECR, ACR, Artifact Registry, Harbor and Quay. Test-only; the real registry behind them holds the content.
import { randomBytes } from 'node:crypto';
import { startFakeRegistry, type BasicPair, type FakeRegistry, type TokenDecision, type TokenRequest } from './fake-registry';

export interface AccountRules {
  /** user → password (robot accounts, PATs, …). An account may pull every repository. */
  accounts?: Record<string, string>;
  /** Repositories anyone may pull without credentials. */
  publicRepositories?: string[];
}

/** Token decisions of registries with accounts and public repositories: bad Basic is 401, anonymous pulls public ones. */
function accountDecision(rules: AccountRules): (request: TokenRequest) => TokenDecision {
  const isPublic = (repository: string) => (rules.publicRepositories ?? []).includes(repository);
  return ({ basic }) => {
    if (!basic) return { subject: '', mayPull: isPublic };
    const accounts = rules.accounts ?? {};
    if (Object.hasOwn(accounts, basic.user) && accounts[basic.user] === basic.pass) return { subject: basic.user, mayPull: () => true };
    return { status: 401, body: { details: 'incorrect username or password' } };
  };
}

/** Docker Hub: token realm on another host (auth.docker.io), service registry.docker.io, `library/` names, anonymous pull tokens. */
export function startFakeDockerHub(upstream: string, rules: AccountRules): Promise<FakeRegistry> {
  return startFakeRegistry({
    upstream,
    auth: { scheme: 'bearer', realmPath: '/token', separateHost: true, service: 'registry.docker.io', fields: ['token', 'access_token'], decide: accountDecision(rules) },
  });
}

/** GHCR: realm ghcr.io/token on the same host, anonymous tokens for public packages, 403 DENIED for the rest. */
export function startFakeGhcr(upstream: string, rules: AccountRules): Promise<FakeRegistry> {
  return startFakeRegistry({ upstream, auth: { scheme: 'bearer', realmPath: '/token', service: 'ghcr.io', deniedStatus: 403, decide: accountDecision(rules) } });
}

/** Harbor: realm /service/token, service harbor-registry, robot accounts named `robot$<project>+<name>`. */
export function startFakeHarbor(upstream: string, rules: AccountRules): Promise<FakeRegistry> {
  return startFakeRegistry({ upstream, auth: { scheme: 'bearer', realmPath: '/service/token', service: 'harbor-registry', decide: accountDecision(rules) } });
}

/** Quay: realm /v2/auth on the same host, robot accounts named `<org>+<name>`, anonymous pulls of public repositories. */
export function startFakeQuay(upstream: string, rules: AccountRules): Promise<FakeRegistry> {
  return startFakeRegistry({ upstream, auth: { scheme: 'bearer', realmPath: '/v2/auth', decide: accountDecision(rules) } });
}

/** ECR: Basic with user `AWS` and a password from GetAuthorizationToken; tag lists paged through an opaque `nextToken` cursor. */
export function startFakeEcr(upstream: string, acceptsPassword: (password: string) => boolean, pageSize = 2): Promise<FakeRegistry> {
  return startFakeRegistry({
    upstream,
    tagPageSize: pageSize,
    auth: { scheme: 'basic', realm: 'https://ecr.invalid/', service: 'ecr.amazonaws.com', accept: (pair: BasicPair) => pair.user === 'AWS' && acceptsPassword(pair.pass) },
  });
}

/** Artifact Registry: realm /v2/token, Basic `oauth2accesstoken:<Google access token>` for a registry token. */
export function startFakeArtifactRegistry(upstream: string, acceptsAccessToken: (token: string) => boolean): Promise<FakeRegistry> {
  return startFakeRegistry({
    upstream,
    auth: {
      scheme: 'bearer',
      realmPath: '/v2/token',
      decide: ({ basic }) =>
        basic?.user === 'oauth2accesstoken' && acceptsAccessToken(basic.pass)
          ? { subject: 'google-user', mayPull: () => true }
          : { status: basic ? 401 : 403, body: { errors: [{ code: 'DENIED', message: 'Unauthenticated request.' }] } },
    },
  });
}

/** A JWT-shaped opaque token with an `exp` claim (ACR refresh tokens are JWTs; clients read their expiry). */
function jwtShaped(lifetimeSeconds: number): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part({ exp: Math.floor(Date.now() / 1000) + lifetimeSeconds, jti: randomBytes(12).toString('hex') })}.${randomBytes(16).toString('base64url')}`;
}

export interface FakeAcr extends FakeRegistry {
  /** Refresh tokens this registry issued at /oauth2/exchange (values for leak assertions only). */
  refreshTokens: Set<string>;
}

/**
 * ACR: an Entra access token is exchanged at POST /oauth2/exchange (grant_type=access_token) for a refresh token, which
 * /oauth2/token turns into registry tokens (POST grant_type=refresh_token, or GET with Basic `00000000-…:<refresh token>`).
 */
export async function startFakeAcr(upstream: string, acceptsEntraToken: (token: string) => boolean): Promise<FakeAcr> {
  const refreshTokens = new Set<string>();
  const ZERO_USER = '00000000-0000-0000-0000-000000000000';
  const fake = await startFakeRegistry({
    upstream,
    auth: {
      scheme: 'bearer',
      realmPath: '/oauth2/token',
      fields: ['access_token'],
      decide: ({ method, form, basic }) => {
        const refresh = method === 'POST' && form?.get('grant_type') === 'refresh_token' ? form.get('refresh_token') : basic?.user === ZERO_USER ? basic.pass : undefined;
        if (refresh && refreshTokens.has(refresh)) return { subject: 'entra-user', mayPull: () => true };
        return { status: 401, body: { errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] } };
      },
    },
    routes: {
      '/oauth2/exchange': (req, _url, body) => {
        const form = new URLSearchParams(body.toString('utf8'));
        if (req.method !== 'POST' || form.get('grant_type') !== 'access_token' || !form.get('service')) return { status: 400, body: { error: 'invalid_request' } };
        if (!acceptsEntraToken(form.get('access_token') ?? '')) return { status: 401, body: { error: 'invalid_grant' } };
        const refresh = jwtShaped(3 * 3600);
        refreshTokens.add(refresh);
        return { status: 200, body: { refresh_token: refresh } };
      },
    },
  });
  return { ...fake, refreshTokens };
}
