// What one cloud sign-in source answers: a credential with its expiry, or the reasons it has none.
// Shapes and small helpers only; the sources live in aws-/azure-/google-*-credentials.ts.
import type { ClientNetwork, SourceNetwork } from '../network-options';
import type { RegistryCredential } from './types';

export interface CloudLookupResult {
  credential?: RegistryCredential;
  /** Names the source in messages, e.g. `AWS SDK default credential chain (ECR GetAuthorizationToken)`. */
  source?: string;
  /** Epoch ms after which the credential must not be used. */
  expiresAt?: number;
  /** Why a source gave nothing: sentences without any credential or program output. */
  problems: string[];
}

export interface CloudSourceOptions {
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  /** Whether `registry` is reached over plain HTTP (loopback and configured insecure hosts). */
  plainHttp: (registry: string) => boolean;
  /** The registry client's own network (proxy rules, CA bundle, client certificate): sign-in goes the way registry requests go. */
  network: ClientNetwork;
  /**
   * This lookup's source network (proxySecretRef, certSecretRef): its proxy wins for every sign-in request, as in Flux; its
   * TLS material applies to the registry host only (the ACR exchange), never to a cloud API.
   */
  source?: SourceNetwork;
}

/** The error's class name (e.g. `CredentialsProviderError`), never its message, which may quote a server's answer. */
export function errorKind(error: unknown): string {
  if (error && typeof error === 'object' && 'name' in error && typeof error.name === 'string' && /^[A-Za-z0-9_.-]{1,80}$/.test(error.name)) return error.name;
  return 'error';
}

/** The `exp` claim of a JWT (epoch ms) when the token is one; the value itself is never returned or logged. */
export function jwtExpiry(token: string): number | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: unknown };
    return typeof claims.exp === 'number' ? claims.exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/** `work`, or `{ problems: [problem] }` when it has not answered within `ms` (a silent metadata server, a hung CLI). */
export async function withinTime(work: Promise<CloudLookupResult>, ms: number, problem: string): Promise<CloudLookupResult> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<CloudLookupResult>((resolve) => {
    timer = setTimeout(() => resolve({ problems: [problem] }), ms);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}
