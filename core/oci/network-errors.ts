// Turns a failed connection (undici / Node error codes) into one RegistryError sentence, and says which failures are
// worth a retry. Names the host and the proxy in use, never a credential; the kind of failure goes into details.network.
import { RegistryError, type NetworkFailure } from './errors';

/** What the request went through, for the message. */
export interface ConnectionRoute {
  proxy?: string;
  tlsSource?: string;
}

function codeOf(error: unknown): string {
  const own = (error as { code?: string })?.code ?? '';
  const cause = (error as { cause?: { code?: string } })?.cause?.code ?? '';
  return own && own !== 'UND_ERR_CONNECT' ? own : cause || own;
}

const isTimeout = (code: string, name: string) => /TIMEOUT/.test(code) || name === 'TimeoutError';
const isTls = (code: string) => /CERT|SSL|TLS|VERIFY|SELF_SIGNED/.test(code);

/** The proxy's status when it refused to open a tunnel (undici: "Proxy response (407) !== 200 when HTTP Tunneling"). */
function proxyRefusal(error: unknown): number | undefined {
  const message = error instanceof Error ? error.message : '';
  const m = /Proxy response \((\d{3})\) !== 200/.exec(message);
  return m ? Number(m[1]) : undefined;
}

/**
 * Whether a failed attempt is worth repeating. A timeout already spent the whole per-request budget (repeating it would
 * multiply "how long one request may take"); a refused connection, an unknown host, a TLS failure or a proxy that
 * refuses the tunnel will not change in a second.
 */
export function isRetryableNetworkError(error: unknown): boolean {
  const code = codeOf(error);
  const name = (error as { name?: string })?.name ?? '';
  if (isTimeout(code, name) || proxyRefusal(error) !== undefined) return false;
  return !(code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'ENETUNREACH' || code === 'EHOSTUNREACH' || isTls(code));
}

export function networkError(error: unknown, host: string, timeoutMs: number, route: ConnectionRoute = {}): RegistryError {
  const code = codeOf(error);
  const name = (error as { name?: string })?.name ?? '';
  const via = route.proxy ? ` through the proxy ${route.proxy}` : '';
  const fail = (network: NetworkFailure, message: string) => new RegistryError(network === 'timeout' ? 'timeout' : 'unreachable', message, { network });
  if (isTimeout(code, name)) return fail('timeout', `${host} did not answer within ${Math.round(timeoutMs / 1000)} s${via}.`);
  const refusal = proxyRefusal(error);
  if (refusal !== undefined) {
    const why = refusal === 407 ? 'the proxy wants credentials (HTTP 407): check the proxy username and password' : `the proxy answered HTTP ${refusal} to CONNECT`;
    return fail('proxy', `Cannot reach ${host}${via}: ${why}.`);
  }
  if (route.proxy && (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN')) {
    return fail('proxy', `Cannot reach ${host}: the proxy ${route.proxy} ${code === 'ECONNREFUSED' ? 'refused the connection' : 'has a host name that does not resolve'}.`);
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return fail('dns', `Cannot reach ${host}${via}: host name not found.`);
  if (code === 'ENETUNREACH' || code === 'EHOSTUNREACH' || code === 'ENETDOWN') return fail('no-route', `Cannot reach ${host}${via}: no network route to it.`);
  if (code === 'ECONNREFUSED') return fail('refused', `Cannot reach ${host}${via}: connection refused.`);
  if (isTls(code)) {
    const hint = route.tlsSource ? ` (CA and client certificate from ${route.tlsSource})` : ' (a private CA can be given with certSecretRef or --ca-file)';
    return fail('tls', `Cannot reach ${host}${via}: TLS certificate problem (${code})${hint}.`);
  }
  const reason =
    code === 'ECONNRESET' || code === 'UND_ERR_SOCKET'
      ? 'connection closed by the server'
      : code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH'
        ? 'response body was cut short'
        : code || (error instanceof Error ? error.message : 'network error');
  return fail('reset', `Cannot reach ${host}${via}: ${reason}.`);
}
