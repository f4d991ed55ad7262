// The one error type the registry client throws: a code callers can branch on and one sentence a person can read.
// Messages name hosts, repositories and credential *sources*, never a credential value (and pass the one redaction).
import { redactCredentials } from '../../shared/redaction';

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
    // Every registry message passes the one redaction: whatever a registry sent that ended up in it, no credential leaves.
    super(redactCredentials(message));
  }
}

export function isRegistryError(value: unknown, code?: RegistryErrorCode): value is RegistryError {
  return value instanceof RegistryError && (code === undefined || value.code === code);
}

/** The shape of a distribution error code (MANIFEST_UNKNOWN, DENIED, …); anything else is not repeated. */
export const REGISTRY_ERROR_CODE = /^[A-Z_]{1,64}$/;
/** At most this many codes of one body are kept. */
const MAX_ERROR_CODES = 5;

/**
 * Pulls the well-formed `errors[].code` values out of a distribution error body (bodies may also be HTML or text).
 * `message` and `detail` are never read: a hostile registry controls them (and may echo the Authorization header).
 */
export function registryErrorCodes(body: string): string[] {
  if (body.length > 1 << 20) return [];
  try {
    const parsed = JSON.parse(body) as { errors?: unknown };
    const errors = Array.isArray(parsed?.errors) ? (parsed.errors as Array<{ code?: unknown }>) : [];
    const codes = errors.map((e) => (typeof e?.code === 'string' && REGISTRY_ERROR_CODE.test(e.code) ? e.code : '')).filter(Boolean);
    return [...new Set(codes)].slice(0, MAX_ERROR_CODES);
  } catch {
    return [];
  }
}
