// Decodes one docker-config `auths` entry (auth base64, username/password, identitytoken, registrytoken) into a credential.
// Accepts unpadded base64 and splits `user:pass` at the first colon; never logs what it decodes.
import type { DockerAuthEntry, RegistryCredential } from './types';

export function decodeAuthEntry(entry: DockerAuthEntry | undefined): RegistryCredential | undefined {
  if (!entry || typeof entry !== 'object') return undefined;
  const credential: RegistryCredential = {};
  if (typeof entry.auth === 'string' && entry.auth.trim()) {
    const decoded = Buffer.from(entry.auth.trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) {
      credential.username = decoded.slice(0, colon);
      credential.password = decoded.slice(colon + 1);
    }
  }
  if (!credential.username && typeof entry.username === 'string' && entry.username) {
    credential.username = entry.username;
    if (typeof entry.password === 'string') credential.password = entry.password;
  }
  if (typeof entry.identitytoken === 'string' && entry.identitytoken) credential.identityToken = entry.identitytoken;
  if (typeof entry.registrytoken === 'string' && entry.registrytoken) credential.registryToken = entry.registrytoken;
  return credential.username || credential.identityToken || credential.registryToken ? credential : undefined;
}
