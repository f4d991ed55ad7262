// Removes credential values from text about to be shown in a log: JSON fields such as "password" (the
// fluxOci/setCredentials params as vscode-jsonrpc traces them) and `.dockerconfigjson` payloads of Secrets in traced documents.
// Pure text work, shared by the client's output channel and tests; it never decides what is logged, only what is hidden.

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

export function redactCredentials(text: string): string {
  return text
    .replace(JSON_FIELD, (_m, key: string) => `${key}${REDACTED}"`)
    .replace(NESTED_JSON_FIELD, (_m, key: string) => `${key}${REDACTED}\\"`)
    .replace(DOCKER_CONFIG_YAML, (_m, key: string) => `${key}${REDACTED}`)
    .replace(AUTHORIZATION, (_m, scheme: string) => `${scheme} ${REDACTED}`);
}
