// The one error type the registry client throws: a code callers can branch on and one sentence a person can read.
// Messages name hosts, repositories and credential *sources*, never a credential value.

export type RegistryErrorCode =
  | 'not-found'
  | 'tag-not-found'
  | 'auth-required'
  | 'denied'
  | 'rate-limited'
  | 'unreachable'
  | 'timeout'
  | 'digest-mismatch'
  | 'protocol'
  | 'insecure-refused'
  | 'offline'
  | 'invalid-reference'
  | 'too-large';

/** Why a connection failed: the name did not resolve, nothing listened, no route (offline), TLS, the proxy, a timeout, a reset. */
export type NetworkFailure = 'dns' | 'refused' | 'no-route' | 'tls' | 'proxy' | 'timeout' | 'reset';

export interface RegistryErrorDetails {
  /** For connection failures: what kind (the server groups unreachable hosts by it). */
  network?: NetworkFailure;
  status?: number;
  /** Registry error codes from the JSON body, e.g. MANIFEST_UNKNOWN. */
  registryCodes?: string[];
  /** Credential sources that were consulted (names only). */
  triedSources?: string[];
  retryAfterMs?: number;
}

export class RegistryError extends Error {
  override readonly name = 'RegistryError';
  constructor(
    readonly code: RegistryErrorCode,
    message: string,
    readonly details: RegistryErrorDetails = {},
  ) {
    super(message);
  }
}

export function isRegistryError(value: unknown, code?: RegistryErrorCode): value is RegistryError {
  return value instanceof RegistryError && (code === undefined || value.code === code);
}

/** Pulls `errors[].code` out of a distribution error body; bodies may also be HTML or text. */
export function registryErrorCodes(body: string): string[] {
  try {
    const parsed = JSON.parse(body) as { errors?: Array<{ code?: unknown }> };
    return (parsed.errors ?? []).map((e) => (typeof e.code === 'string' ? e.code : '')).filter(Boolean);
  } catch {
    return [];
  }
}
