// The one redaction every outgoing text goes through (registry error messages, CLI output, SARIF/JSON, server logs, the
// client's output channel): the credential values this process is using (remembered as they are used, with their base64
// forms) and anything shaped like a credential (JSON secret fields, `.dockerconfigjson` payloads, Authorization values).
// It never decides what is logged, only what is hidden; it never stores text.

export const REDACTED = '<redacted>';

/** JSON keys whose string values are credentials (docker config, token responses, our own protocol). */
const SECRET_JSON_KEYS = ['password', 'auth', 'identitytoken', 'registrytoken', 'token', 'access_token', 'refresh_token', 'secret'];

const KEYS = SECRET_JSON_KEYS.join('|');
// "password": "…" in JSON (any escapes inside the value).
const JSON_FIELD = new RegExp(String.raw`("(?:${KEYS})"\s*:\s*")(?:[^"\\]|\\.)*"`, 'gi');
// The same one level deeper: JSON text inside a JSON string (\"password\": \"…\"), as in a traced document.
const NESTED_JSON_FIELD = new RegExp(String.raw`(\\"(?:${KEYS})\\"\s*:\s*\\")(?:[^"\\]|\\\\(?:[^"\\]|\\\\|\\"))*\\"`, 'gi');
// `.dockerconfigjson: <base64>` in YAML (also when the YAML sits JSON-escaped in a traced didOpen/didChange).
const DOCKER_CONFIG_YAML = /(\.dockerconfigjson["']?\s*:\s*["']?)[A-Za-z0-9+/=_-]{8,}/g;
// `Authorization: Basic …` / `Bearer …` wherever a header was written out.
const AUTHORIZATION = /\b(Basic|Bearer)\s+[A-Za-z0-9._~+/=-]{8,}/g;

/** Credential values in use in this process (passwords, tokens, their Basic base64 forms), longest first when applied. */
const activeSecrets = new Set<string>();
/** Shorter values would hide ordinary words; a credential that short is not one worth the name. */
const MIN_SECRET_LENGTH = 6;
const MAX_ACTIVE_SECRETS = 1000;

function remember(value: string): void {
  if (value.length < MIN_SECRET_LENGTH || activeSecrets.has(value)) return;
  if (activeSecrets.size >= MAX_ACTIVE_SECRETS) activeSecrets.delete(activeSecrets.values().next().value as string);
  activeSecrets.add(value);
  const encoded = encodeURIComponent(value);
  if (encoded !== value && encoded.length >= MIN_SECRET_LENGTH) activeSecrets.add(encoded);
}

/**
 * Tells the redaction about a credential in use: a password or token, and for a username/password pair also the
 * base64 of `user:password` (what a Basic Authorization header carries, and what a hostile registry might echo).
 */
export function rememberCredential(credential: { username?: string; password?: string; token?: string }): void {
  if (credential.password) remember(credential.password);
  if (credential.token) remember(credential.token);
  if (credential.username !== undefined && credential.password) remember(Buffer.from(`${credential.username}:${credential.password}`, 'utf8').toString('base64'));
}

/** Forgets every remembered value (tests). */
export function forgetCredentials(): void {
  activeSecrets.clear();
}

function redactKnownValues(text: string): string {
  if (activeSecrets.size === 0) return text;
  let out = text;
  for (const secret of [...activeSecrets].sort((a, b) => b.length - a.length)) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  return out;
}

export function redactCredentials(text: string): string {
  return redactKnownValues(text)
    .replace(JSON_FIELD, (_m, key: string) => `${key}${REDACTED}"`)
    .replace(NESTED_JSON_FIELD, (_m, key: string) => `${key}${REDACTED}\\"`)
    .replace(DOCKER_CONFIG_YAML, (_m, key: string) => `${key}${REDACTED}`)
    .replace(AUTHORIZATION, (_m, scheme: string) => `${scheme} ${REDACTED}`);
}
