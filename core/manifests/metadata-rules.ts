// Checks metadata.name and metadata.namespace the way the Kubernetes API server does (DNS-1123 subdomain
// for names, DNS-1123 label for namespaces). Kind-agnostic; placeholders (`${VAR}`, `{{ }}`) are accepted.
import type { Node } from 'yaml';
import type { RuleContext } from './rule-context';
import { getMap, getNode, isPlaceholderValue, scalarString } from './yaml-ast';

const LABEL_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const SUBDOMAIN_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const MAX_LABEL = 63;
const MAX_SUBDOMAIN = 253;

/** Why `value` is not a DNS-1123 label, or undefined when it is one. */
export function dns1123LabelError(value: string): string | undefined {
  if (value.length > MAX_LABEL) return `must be no more than ${MAX_LABEL} characters`;
  if (!LABEL_RE.test(value)) return "must consist of lower case alphanumeric characters or '-', and start and end with an alphanumeric character";
  return undefined;
}

/** Why `value` is not a DNS-1123 subdomain, or undefined when it is one. */
export function dns1123SubdomainError(value: string): string | undefined {
  if (value.length > MAX_SUBDOMAIN) return `must be no more than ${MAX_SUBDOMAIN} characters`;
  if (!SUBDOMAIN_RE.test(value)) return "must consist of lower case alphanumeric characters, '-' or '.', and start and end with an alphanumeric character";
  return undefined;
}

function checkField(ctx: RuleContext, node: Node | undefined, field: string, rule: (v: string) => string | undefined, what: string): void {
  const value = scalarString(node);
  if (!node || value === undefined || isPlaceholderValue(value)) return;
  const problem = rule(value);
  if (problem) ctx.report('metadata-name-invalid', `${field} '${value}' is not a valid ${what}: it ${problem}.`, ctx.range(node));
}

/** Reports a metadata.name that is not a DNS-1123 subdomain and a metadata.namespace that is not a DNS-1123 label. */
export function checkMetadataNames(ctx: RuleContext): void {
  const metadata = getMap(ctx.root, 'metadata');
  checkField(ctx, getNode(metadata, 'name'), 'metadata.name', dns1123SubdomainError, 'Kubernetes name (DNS-1123 subdomain)');
  checkField(ctx, getNode(metadata, 'namespace'), 'metadata.namespace', dns1123LabelError, 'namespace (DNS-1123 label)');
}
