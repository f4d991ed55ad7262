// Azure sign-in for ACR: the Azure CLI's Entra access token (`az account get-access-token`) exchanged at the registry's
// /oauth2/exchange for an ACR refresh token, used as the identity token of the all-zero user, as `az acr login` does.
import { DispatcherPool, type DispatcherChoice } from '../dispatcher-pool';
import { jwtExpiry, type CloudLookupResult, type CloudSourceOptions } from './cloud-lookup';
import { runProgram } from './run-program';

/** The user name ACR pairs with a refresh token (docker's `identitytoken`). */
export const ACR_REFRESH_TOKEN_USER = '00000000-0000-0000-0000-000000000000';
const DEFAULT_LIFETIME_MS = 60 * 60_000;

interface EntraToken {
  accessToken: string;
  tenant?: string;
}

async function azureCliToken(options: CloudSourceOptions): Promise<{ token?: EntraToken; problem?: string }> {
  const windows = process.platform === 'win32';
  const program = windows ? 'az.cmd' : 'az';
  const outcome = await runProgram(program, ['account', 'get-access-token', '--output', 'json'], { env: options.env, timeoutMs: options.timeoutMs, shell: windows });
  if (outcome.problem) return { problem: outcome.problem.replace(program, 'the Azure CLI (az)') };
  if (outcome.code !== 0) return { problem: /az login/i.test(outcome.stderr) ? 'the Azure CLI is not signed in' : `az account get-access-token exited with code ${outcome.code}` };
  try {
    const parsed = JSON.parse(outcome.stdout) as { accessToken?: unknown; tenant?: unknown };
    if (typeof parsed.accessToken !== 'string' || !parsed.accessToken) return { problem: 'az account get-access-token printed no access token' };
    return { token: { accessToken: parsed.accessToken, ...(typeof parsed.tenant === 'string' ? { tenant: parsed.tenant } : {}) } };
  } catch {
    return { problem: 'az account get-access-token printed something that is not JSON' };
  }
}

/**
 * POST /oauth2/exchange (grant_type=access_token): an Entra token in, an ACR refresh token out. It goes to the registry
 * host, so it goes the way the registry's own requests go: the client network's proxy (per NO_PROXY), CA bundle, client certificate.
 */
async function exchangeForRefreshToken(registry: string, entra: EntraToken, options: CloudSourceOptions): Promise<{ refreshToken?: string; problem?: string }> {
  const scheme = options.plainHttp(registry) ? 'http' : 'https';
  const form = new URLSearchParams({ grant_type: 'access_token', service: registry.replace(/:\d+$/, ''), access_token: entra.accessToken });
  if (entra.tenant) form.set('tenant', entra.tenant);
  const url = new URL(`${scheme}://${registry}/oauth2/exchange`);
  const pool = new DispatcherPool({ connectTimeoutMs: options.timeoutMs, ...options.network });
  let route: DispatcherChoice | undefined;
  try {
    route = pool.choose(url, options.source);
    const res = await route.dispatcher.request({
      origin: url.origin,
      path: url.pathname,
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    const text = await res.body.text();
    if (res.statusCode !== 200) return { problem: `${registry}/oauth2/exchange refused the Azure CLI's token (HTTP ${res.statusCode})` };
    const parsed = JSON.parse(text) as { refresh_token?: unknown };
    return typeof parsed.refresh_token === 'string' && parsed.refresh_token ? { refreshToken: parsed.refresh_token } : { problem: `${registry}/oauth2/exchange answered without a refresh token` };
  } catch {
    const via = route?.proxy ? ` through the proxy ${route.proxy}` : '';
    return { problem: `${registry}/oauth2/exchange could not be reached${via} or answered something that is not JSON` };
  } finally {
    await pool.close();
  }
}

export async function azureAcrCredential(registry: string, options: CloudSourceOptions): Promise<CloudLookupResult> {
  const entra = await azureCliToken(options);
  if (!entra.token) return { problems: [entra.problem ?? 'the Azure CLI gave no token'] };
  const exchanged = await exchangeForRefreshToken(registry, entra.token, options);
  if (!exchanged.refreshToken) return { problems: [exchanged.problem ?? 'the ACR exchange gave no refresh token'] };
  return {
    credential: { username: ACR_REFRESH_TOKEN_USER, identityToken: exchanged.refreshToken },
    source: 'Azure CLI sign-in (ACR token exchange)',
    expiresAt: jwtExpiry(exchanged.refreshToken) ?? Date.now() + DEFAULT_LIFETIME_MS,
    problems: [],
  };
}
