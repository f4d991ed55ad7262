// Maps a registry's non-success HTTP answer (status + JSON/HTML/text body) to a RegistryError with one clear sentence.
// Used after auth handling; never includes request headers in messages.
import { RegistryError, registryErrorCodes } from './errors';
import { header, type HeaderValue } from './transport';
import { parseRetryAfter } from './retry-policy';

export function statusError(status: number, headers: Record<string, HeaderValue>, body: Buffer | string, what: string): RegistryError {
  const codes = registryErrorCodes(Buffer.isBuffer(body) ? body.toString('utf8') : body);
  const details = { status, registryCodes: codes };
  if (status === 404) return new RegistryError('not-found', `${what} was not found (HTTP 404${codes.length ? ` ${codes.join(', ')}` : ''}).`, details);
  if (status === 401) return new RegistryError('auth-required', `${what} requires authentication.`, details);
  if (status === 403) return new RegistryError('denied', `Access to ${what} was denied (not found or not authorized).`, details);
  if (status === 429 || codes.includes('TOOMANYREQUESTS')) {
    const wait = parseRetryAfter(header(headers, 'retry-after'));
    const hint = wait !== undefined ? ` Retry after ${Math.ceil(wait / 1000)} s.` : '';
    return new RegistryError('rate-limited', `The registry is rate-limiting requests for ${what}.${hint}`, { ...details, retryAfterMs: wait });
  }
  if (status >= 500) return new RegistryError('unreachable', `The registry failed while serving ${what} (HTTP ${status}).`, details);
  return new RegistryError('protocol', `The registry answered HTTP ${status} for ${what}${codes.length ? ` (${codes.join(', ')})` : ''}.`, details);
}
