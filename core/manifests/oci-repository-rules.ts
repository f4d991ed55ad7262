// Flux rules for OCIRepository beyond the CRD's structure: URL shape, ref fields and their precedence,
// semver/semverFilter/digest syntax, verify options. Works on one document; no cross-file lookups.
import { isMap, isScalar, type Node, type YAMLMap } from 'yaml';
import type { Fix } from '../diagnostic';
import type { RuleContext } from './rule-context';
import { checkDigest, checkOciUrl } from './value-formats';
import { re2SyntaxError, semverRangeError } from './version-syntax';
import { findPair, getMap, getNode, isPlaceholderValue, scalarString } from './yaml-ast';

const GIT_REF_FIELDS = new Set(['branch', 'commit', 'name']);

function lineIndent(text: string, offset: number): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ ]*/.exec(text.slice(lineStart))?.[0] ?? '';
}

function checkUrl(ctx: RuleContext, spec: YAMLMap): void {
  const node = getNode(spec, 'url');
  const url = scalarString(node);
  if (!node || url === undefined || isPlaceholderValue(url) || !isScalar(node)) return;
  ctx.claim('spec.url');
  const problem = checkOciUrl(url);
  if (!problem) return;
  const range = ctx.range(node);
  if (problem.kind === 'invalid') {
    ctx.report('oci-url-invalid', problem.message, range);
    return;
  }
  const field = problem.kind === 'tag' ? 'tag' : 'digest';
  const value = problem.kind === 'tag' ? problem.tag : problem.digest;
  const fixes: Fix[] = [];
  if (!findPair(spec, 'ref') && node.range && /^[^\n]*$/.test(url)) {
    const urlPair = findPair(spec, 'url');
    const keyNode = urlPair?.key as Node | undefined;
    if (keyNode?.range) {
      const indent = lineIndent(ctx.text, keyNode.range[0]);
      const at = ctx.lineMap.positionAt(node.range[1]);
      fixes.push({
        title: `Move the ${field} to spec.ref.${field}`,
        isPreferred: true,
        edits: [
          { range, newText: problem.urlWithout },
          { range: { start: at, end: at }, newText: `\n${indent}ref:\n${indent}  ${field}: ${JSON.stringify(value)}` },
        ],
      });
    }
  }
  ctx.report(
    'oci-url-tag-or-digest',
    `spec.url must not hold a ${field} ('${problem.kind === 'tag' ? ':' : '@'}${value}'); put it in spec.ref.${field} and keep the url as ${problem.urlWithout}.`,
    range,
    { fixes },
  );
}

function checkRef(ctx: RuleContext, spec: YAMLMap): void {
  const ref = getMap(spec, 'ref');
  if (!ref) return;
  const set = (['digest', 'semver', 'tag'] as const).filter((k) => scalarString(getNode(ref, k)) !== undefined);
  // Kubernetes prunes fields the CRD does not define, so a Git field is silently dropped: a warning that
  // says what Flux will really pull (the remaining ref, or 'latest' when none is left).
  const outcome = set.length
    ? `Kubernetes prunes unknown fields, so Flux ignores it and uses spec.ref.${set[0]}.`
    : `Kubernetes prunes unknown fields, and with no tag, semver or digest left Flux pulls the 'latest' tag.`;
  for (const item of ref.items) {
    const key = scalarString(item.key);
    if (key && GIT_REF_FIELDS.has(key)) {
      ctx.claim(`spec.ref.${key}`);
      ctx.report(
        'oci-ref-git-field',
        `spec.ref.${key} is not an OCIRepository field: OCIRepository refs are tag, semver or digest; ${key === 'branch' ? 'branches belong' : `'${key}' belongs`} to GitRepository. ${outcome}`,
        ctx.range(item.key as Node),
      );
    }
  }
  if (set.length > 1) {
    const [winner, ...ignored] = set;
    ctx.report('oci-ref-precedence', `Flux uses spec.ref.${winner} and ignores ${ignored.map((k) => `spec.ref.${k}`).join(' and ')} (precedence: digest > semver > tag).`, ctx.keyRange(spec, 'ref'));
  }
  const semverNode = getNode(ref, 'semver');
  const semver = scalarString(semverNode);
  if (semverNode && semver !== undefined && !isPlaceholderValue(semver)) {
    const error = semverRangeError(semver);
    if (error) ctx.report('oci-ref-semver-invalid', `spec.ref.semver is not a range Flux accepts: ${error}`, ctx.range(semverNode));
  }
  const filterNode = getNode(ref, 'semverFilter');
  const filter = scalarString(filterNode);
  if (filterNode && filter !== undefined && !isPlaceholderValue(filter)) {
    const error = re2SyntaxError(filter);
    if (error) ctx.report('oci-ref-semver-filter-invalid', `spec.ref.semverFilter is not a valid Go regular expression: ${error}`, ctx.range(filterNode));
    if (semver === undefined) {
      ctx.report('oci-ref-semver-filter-ignored', 'spec.ref.semverFilter only filters tags for spec.ref.semver; without semver Flux ignores it.', ctx.keyRange(ref, 'semverFilter'));
    }
  }
  const digestNode = getNode(ref, 'digest');
  const digest = scalarString(digestNode);
  if (digestNode && digest !== undefined && !isPlaceholderValue(digest)) {
    const error = checkDigest(digest);
    if (error) ctx.report('oci-ref-digest-invalid', error, ctx.range(digestNode));
  }
}

/** verify.matchOIDCIdentity only means something to cosign keyless verification. */
export function checkVerifyIdentity(ctx: RuleContext, verify: YAMLMap | undefined, path: string): void {
  if (!verify || !isMap(verify)) return;
  const provider = scalarString(getNode(verify, 'provider')) ?? 'cosign';
  if (provider !== 'cosign' && findPair(verify, 'matchOIDCIdentity') && !isPlaceholderValue(provider)) {
    ctx.report(
      'verify-oidc-identity-not-cosign',
      `${path}.matchOIDCIdentity only applies to cosign keyless verification; the ${provider} provider ignores it.`,
      ctx.keyRange(verify, 'matchOIDCIdentity'),
    );
  }
}

export function checkOciRepository(ctx: RuleContext): void {
  const spec = ctx.spec;
  if (!spec) return;
  checkUrl(ctx, spec);
  checkRef(ctx, spec);
  checkVerifyIdentity(ctx, getMap(spec, 'verify'), 'spec.verify');
}
