// The apiVersion check of a Flux document: current, removed (warning + upgrade fix when the fields allow
// it) or unknown (error naming the versions, spec checked as the current one). Picks the spec's schema.
import type { Node } from 'yaml';
import type { Fix } from '../diagnostic';
import { listVersions, specSchemaFor, splitApiVersion, type FluxKindInfo } from './flux-api';
import type { RuleContext } from './rule-context';
import type { SchemaNode } from './schema-node';
import { checkAgainstSchema } from './schema-validator';
import { findPair, getNode } from './yaml-ast';

/** Fields of the document that the target version does not have (they block a clean upgrade). */
export function upgradeBlockers(ctx: RuleContext, target: SchemaNode, own: SchemaNode | undefined): string[] {
  const specPair = findPair(ctx.root, 'spec');
  if (!specPair) return [];
  const unknownIn = (schema: SchemaNode): string[] =>
    checkAgainstSchema(specPair.value as Node | null, schema, 'spec', ctx.range(specPair.key as Node), { lineMap: ctx.lineMap, skipRequired: true })
      .filter((d) => d.diagnostic.code === 'field-unknown')
      .map((d) => d.path);
  // Fields unknown to the document's own version are mistakes reported anyway, not upgrade blockers.
  const alreadyUnknown = new Set(own ? unknownIn(own) : []);
  return unknownIn(target).filter((p) => !alreadyUnknown.has(p));
}

function replaceFix(ctx: RuleContext, node: Node, newApiVersion: string, preferred: boolean): Fix {
  return { title: `Change apiVersion to ${newApiVersion}`, isPreferred: preferred, edits: [{ range: ctx.range(node), newText: newApiVersion }] };
}

/**
 * The schema of the kind's current version: a document with an apiVersion that does not exist is checked
 * against the version its author most likely meant, so every other mistake shows up at once.
 */
function currentSchema(info: FluxKindInfo): SchemaNode | undefined {
  return info.fieldsChecked ? specSchemaFor(`${info.group}/${info.current}`, info.kind) : undefined;
}

/** Reports on the apiVersion and returns the schema to validate the spec with (undefined: don't check fields). */
export function checkApiVersion(ctx: RuleContext, info: FluxKindInfo): SchemaNode | undefined {
  const node = getNode(ctx.root, 'apiVersion');
  if (!node) return undefined;
  const range = ctx.range(node);
  const { group, version } = splitApiVersion(ctx.apiVersion);
  const current = `${info.group}/${info.current}`;
  if (group !== info.group) {
    ctx.report('api-version-unknown', `${info.kind} belongs to ${info.group}, not ${group || 'the core group'}; use ${current}.`, range, {
      fixes: [replaceFix(ctx, node, current, true)],
    });
    return currentSchema(info);
  }
  const known = info.versions.find((v) => v.version === version);
  if (!known) {
    ctx.report('api-version-unknown', `${ctx.apiVersion} does not exist for ${info.kind}; the versions are ${listVersions(info)}.`, range, {
      fixes: [replaceFix(ctx, node, current, false)],
    });
    return currentSchema(info);
  }
  if (known.status === 'current') return info.fieldsChecked ? specSchemaFor(ctx.apiVersion, info.kind) : undefined;
  const target = specSchemaFor(current, info.kind);
  const own = specSchemaFor(ctx.apiVersion, info.kind);
  const blockers = target ? upgradeBlockers(ctx, target, own) : [];
  const base = `${ctx.apiVersion} was removed in ${known.removedIn ?? 'a recent Flux release'} and current Flux no longer serves it; use ${current}.`;
  if (blockers.length) {
    const shown = blockers.slice(0, 5).join(', ') + (blockers.length > 5 ? `, and ${blockers.length - 5} more` : '');
    ctx.report('api-version-removed', `${base} Before switching, change the fields ${info.current} does not have: ${shown}.`, range);
  } else {
    ctx.report('api-version-removed', base, range, { fixes: [replaceFix(ctx, node, current, true)] });
  }
  return info.fieldsChecked ? own : undefined;
}
