// Reads the key/value pairs of a Secret document: `data` (base64-decoded) and `stringData` (which wins, as the API
// server merges it). Skips SOPS-encrypted Secrets and `${VAR}` values (unknown before the cluster). Never logs values.
import type { YAMLMap } from 'yaml';
import { decodeBase64 } from './docker-config';
import { getMap, getNode, hasSubstitution, scalarString } from './yaml-ast';

/** The Secret's values by key, or undefined when it is SOPS-encrypted. Keys whose value is unknown or undecodable are left out. */
export function readSecretData(root: YAMLMap): Record<string, string> | undefined {
  if (getNode(root, 'sops')) return undefined;
  const out: Record<string, string> = {};
  const data = getMap(root, 'data');
  for (const item of data?.items ?? []) {
    const key = scalarString(item.key);
    const value = scalarString(item.value);
    if (key === undefined || value === undefined || hasSubstitution(value)) continue;
    const decoded = decodeBase64(value);
    if (decoded !== undefined) out[key] = decoded;
  }
  const stringData = getMap(root, 'stringData');
  for (const item of stringData?.items ?? []) {
    const key = scalarString(item.key);
    const value = scalarString(item.value);
    if (key === undefined || value === undefined || hasSubstitution(value)) continue;
    out[key] = value;
  }
  return out;
}
