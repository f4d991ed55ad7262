// Flux rules for ImagePolicy and ImageRepository beyond the CRD's structure: filterTags.pattern as Go RE2,
// extract against the pattern's groups, policy.semver.range as a Masterminds range, exclusionList patterns. One document only.
import { isSeq, type Node, type YAMLMap } from 'yaml';
import { compileRe2Pattern, templateReferences, type Re2CapturePattern } from '../versions/re2-pattern';
import type { RuleContext } from './rule-context';
import { semverRangeError } from './version-syntax';
import { getMap, getNode, hasSubstitution, scalarString } from './yaml-ast';

/** A scalar string field worth checking (present, not a `${VAR}` substitution). */
function checkedString(map: YAMLMap | undefined, key: string): { node: Node; value: string } | undefined {
  const node = getNode(map, key);
  const value = scalarString(node);
  return node && value !== undefined && !hasSubstitution(value) ? { node, value } : undefined;
}

function groupList(pattern: Re2CapturePattern): string {
  const names = Object.keys(pattern.namedGroups);
  const numbered = pattern.groupCount ? `$1…$${pattern.groupCount}` : 'only $0 (no groups)';
  return names.length ? `${numbered}, ${names.map((n) => `$${n}`).join(', ')}` : numbered;
}

function checkExtract(ctx: RuleContext, filterTags: YAMLMap, pattern: Re2CapturePattern): void {
  const extract = checkedString(filterTags, 'extract');
  if (!extract) return;
  const range = ctx.range(extract.node);
  const refs = templateReferences(extract.value);
  if (refs.length === 0 && extract.value !== '') {
    ctx.report(
      'image-policy-extract-constant',
      `spec.filterTags.extract ${JSON.stringify(extract.value)} names no group of the pattern, so every tag extracts to the same text and only one of them survives; use $1, $name or \${name}.`,
      range,
    );
    return;
  }
  for (const ref of refs) {
    if (ref.num >= 0) {
      if (ref.num > pattern.groupCount)
        ctx.report(
          'image-policy-extract-group-unknown',
          `spec.filterTags.extract uses ${ref.written}, but the pattern has ${pattern.groupCount} group${pattern.groupCount === 1 ? '' : 's'} (${groupList(pattern)}); it expands to an empty string.`,
          range,
        );
      continue;
    }
    if (pattern.namedGroups[ref.name] !== undefined) continue;
    const numeric = /^([0-9]+)(.+)$/.exec(ref.name);
    const hint =
      numeric && !ref.written.startsWith('${')
        ? ` Go reads the longest name after $, so ${ref.written} is not group ${numeric[1]} followed by '${numeric[2]}': write \${${numeric[1]}}${numeric[2]}.`
        : '';
    ctx.report(
      'image-policy-extract-group-unknown',
      `spec.filterTags.extract uses ${ref.written}, but the pattern has no group named '${ref.name}' (it has ${groupList(pattern)}); it expands to an empty string.${hint}`,
      range,
    );
  }
}

function checkFilterTags(ctx: RuleContext, spec: YAMLMap): void {
  const filterTags = getMap(spec, 'filterTags');
  const pattern = checkedString(filterTags, 'pattern');
  if (!filterTags || !pattern) return;
  const compiled = compileRe2Pattern(pattern.value);
  if (!compiled.ok) {
    ctx.report('image-policy-pattern-invalid', `spec.filterTags.pattern is not a valid Go regular expression: ${compiled.error}`, ctx.range(pattern.node));
    return;
  }
  checkExtract(ctx, filterTags, compiled.pattern);
}

function checkSemverRange(ctx: RuleContext, spec: YAMLMap): void {
  const range = checkedString(getMap(getMap(spec, 'policy'), 'semver'), 'range');
  if (!range) return;
  const error = semverRangeError(range.value);
  if (error) ctx.report('image-policy-semver-invalid', `spec.policy.semver.range is not a range Flux accepts: ${error}`, ctx.range(range.node));
}

/** The CRD's two CEL rules: spec.interval goes with digestReflectionPolicy Always, and Always needs an interval. */
function checkDigestInterval(ctx: RuleContext, spec: YAMLMap): void {
  const reflection = scalarString(getNode(spec, 'digestReflectionPolicy'));
  const hasInterval = getNode(spec, 'interval') !== undefined;
  if (reflection !== undefined && hasSubstitution(reflection)) return;
  if (hasInterval && reflection !== 'Always') {
    ctx.report('image-policy-interval-rule', "spec.interval is only accepted when spec.digestReflectionPolicy is 'Always' (the API server rejects this ImagePolicy).", ctx.keyRange(spec, 'interval'));
  } else if (!hasInterval && reflection === 'Always') {
    ctx.report(
      'image-policy-interval-rule',
      "spec.interval must be set when spec.digestReflectionPolicy is 'Always' (the API server rejects this ImagePolicy).",
      ctx.keyRange(spec, 'digestReflectionPolicy'),
    );
  }
}

const POLICY_CHOICES = ['semver', 'alphabetical', 'numerical'] as const;

/** image-reflector-controller's PolicerFromSpec: the first of semver, alphabetical, numerical that is set; none is invalid. */
function checkPolicyChoice(ctx: RuleContext, spec: YAMLMap): void {
  const policy = getMap(spec, 'policy');
  if (!policy) return;
  const set = POLICY_CHOICES.filter((k) => getNode(policy, k) !== undefined);
  if (set.length === 0) {
    ctx.report(
      'image-policy-choice',
      'spec.policy needs one of semver, alphabetical or numerical; without one the ImagePolicy fails ("given ImagePolicyChoice object is invalid").',
      ctx.keyRange(spec, 'policy'),
    );
  } else if (set.length > 1) {
    ctx.report(
      'image-policy-choice',
      `spec.policy sets ${set.join(' and ')}; Flux uses ${set[0]} and ignores ${set.slice(1).join(' and ')} (order: semver, alphabetical, numerical).`,
      ctx.keyRange(spec, 'policy'),
      { severity: 'warning' },
    );
  }
}

export function checkImagePolicy(ctx: RuleContext): void {
  if (!ctx.spec) return;
  checkPolicyChoice(ctx, ctx.spec);
  checkFilterTags(ctx, ctx.spec);
  checkSemverRange(ctx, ctx.spec);
  checkDigestInterval(ctx, ctx.spec);
}

/** image-reflector-controller's ParseImageReference: no URL scheme, and no `:` (tag or digest) after the registry host. */
function checkImage(ctx: RuleContext): void {
  const image = checkedString(ctx.spec, 'image');
  if (!image || image.value.includes('\n')) return;
  const value = image.value.trim();
  const range = ctx.range(image.node);
  const fix = (title: string, newText: string) => ({ fixes: [{ title, isPreferred: true, edits: [{ range, newText }] }] });
  const scheme = value.indexOf('://');
  if (scheme >= 0) {
    ctx.report(
      'image-repository-image-invalid',
      `spec.image should not include a URL scheme; remove '${value.slice(0, scheme)}://' (the scan fails).`,
      range,
      fix(`Remove '${value.slice(0, scheme)}://'`, value.slice(scheme + 3)),
    );
    return;
  }
  const slash = value.indexOf('/');
  const first = slash < 0 ? '' : value.slice(0, slash);
  const host = first !== '' && (first.includes('.') || first.includes(':') || first === 'localhost') ? first : '';
  const colon = value.indexOf(':', host.length);
  if (colon < 0) return;
  const at = value.indexOf('@');
  const cut = at >= 0 && at < colon ? at : colon;
  ctx.report(
    'image-repository-image-invalid',
    `spec.image should not include a tag or digest; remove '${value.slice(cut)}' (an ImageRepository scans every tag; the ImagePolicy chooses one).`,
    range,
    fix(`Remove '${value.slice(cut)}'`, value.slice(0, cut)),
  );
}

export function checkImageRepository(ctx: RuleContext): void {
  checkImage(ctx);
  const list = getNode(ctx.spec, 'exclusionList');
  if (!isSeq(list)) return;
  for (const item of list.items) {
    const value = scalarString(item);
    if (value === undefined || hasSubstitution(value)) continue;
    const compiled = compileRe2Pattern(value);
    if (!compiled.ok)
      ctx.report('image-repository-exclusion-invalid', `This spec.exclusionList entry is not a valid Go regular expression (the scan fails): ${compiled.error}`, ctx.range(item as Node));
  }
}
