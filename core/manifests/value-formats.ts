// Offline format checks of single Flux values (OCI URLs, digests), each returning a problem as a value.
// No YAML and no ranges: callers place the message.

export type UrlProblem = { kind: 'invalid'; message: string } | { kind: 'tag'; tag: string; urlWithout: string } | { kind: 'digest'; digest: string; urlWithout: string };

/** What a URL with `user:password@` before the host is told; it must never repeat the URL (it holds a credential). */
export const USERINFO_MESSAGE =
  'The OCI URL holds credentials (user:password@ before the host); they are refused and not repeated here. Remove them: Flux reads credentials from spec.secretRef, the CLI from your docker config (rotate the password if it was committed).';

/** True when the part of `rest` (the URL after `oci://`) before the first `/` holds an `@`: userinfo, not a digest. */
export function authorityHasUserinfo(rest: string): boolean {
  const slash = rest.indexOf('/');
  return (slash < 0 ? rest : rest.slice(0, slash)).includes('@');
}

const REPOSITORY_PATH = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?$/;

/** Checks `oci://host[:port]/repository` with no tag or digest; returns undefined when it is fine. */
export function checkOciUrl(url: string): UrlProblem | undefined {
  if (!url.startsWith('oci://')) {
    const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url)?.[1];
    return {
      kind: 'invalid',
      message: scheme ? `spec.url must start with oci://, not ${scheme}://; OCIRepository only pulls from OCI registries.` : 'spec.url must have the form oci://host[:port]/repository.',
    };
  }
  const rest = url.slice('oci://'.length);
  if (authorityHasUserinfo(rest)) return { kind: 'invalid', message: USERINFO_MESSAGE };
  const at = rest.indexOf('@');
  if (at >= 0) {
    return { kind: 'digest', digest: rest.slice(at + 1), urlWithout: `oci://${rest.slice(0, at)}` };
  }
  const slash = rest.indexOf('/');
  if (slash <= 0) return { kind: 'invalid', message: 'spec.url needs a repository path after the host, as in oci://ghcr.io/org/repo.' };
  const host = rest.slice(0, slash);
  let path = rest.slice(slash + 1);
  const lastSlash = path.lastIndexOf('/');
  const colon = path.indexOf(':', lastSlash + 1);
  if (colon >= 0) {
    return { kind: 'tag', tag: path.slice(colon + 1), urlWithout: `oci://${host}/${path.slice(0, colon)}` };
  }
  if (!HOST.test(host)) return { kind: 'invalid', message: `spec.url has an invalid registry host '${host}'.` };
  if (path.endsWith('/')) path = path.slice(0, -1);
  if (!REPOSITORY_PATH.test(path)) {
    return {
      kind: 'invalid',
      message: /[A-Z]/.test(path)
        ? 'spec.url repository path must be lowercase (OCI repository names cannot hold capital letters).'
        : `spec.url repository path '${path}' is not a valid OCI repository name (lowercase letters, digits, '.', '_', '-' and '/').`,
    };
  }
  return undefined;
}

/** Checks `algorithm:hex`; returns a message when it is not a digest Flux can use. */
export function checkDigest(digest: string): string | undefined {
  const m = /^([a-z0-9]+(?:[.+_-][a-z0-9]+)*):(.*)$/.exec(digest);
  if (!m) return 'spec.ref.digest must have the form sha256:<64 hex digits>.';
  const [, algo, hex] = m;
  const expected = algo === 'sha256' ? 64 : algo === 'sha512' ? 128 : 0;
  if (!expected) return `spec.ref.digest uses the unsupported algorithm '${algo}'; use sha256 (or sha512).`;
  if (!/^[a-f0-9]*$/.test(hex)) return `spec.ref.digest must be lowercase hexadecimal after '${algo}:'.`;
  if (hex.length !== expected) return `spec.ref.digest: a ${algo} digest has ${expected} hex digits, this one has ${hex.length}.`;
  return undefined;
}
