// Compiles a Go RE2 pattern with the linear-time re2js engine for matching with capture groups (named ones included),
// and expands Go `Regexp.ExpandString` templates (`$name`, `${name}`, `$1`, `$$`). Must not know about Flux objects;
// compiling (and the wording of syntax errors) belongs to re2-regexp.
import { compileRe2Engine } from './re2-regexp';

export interface Re2Match {
  /** Group texts by index (0 = the whole match); undefined for a group that did not take part. */
  groups: Array<string | undefined>;
}

export interface Re2CapturePattern {
  source: string;
  /** Number of capture groups, not counting group 0. */
  groupCount: number;
  /** Named groups and their indexes. */
  namedGroups: Readonly<Record<string, number>>;
  /** The leftmost match anywhere in `text` (Go `FindStringSubmatchIndex`), or undefined. */
  find(text: string): Re2Match | undefined;
}

export type CompileRe2Result = { ok: true; pattern: Re2CapturePattern } | { ok: false; error: string };

/** Compiles `source` as Go does; the error is the core/versions RE2 syntax sentence when there is one. */
export function compileRe2Pattern(source: string): CompileRe2Result {
  const compiled = compileRe2Engine(source);
  if (!compiled.ok) return { ok: false, error: compiled.error };
  const re = compiled.re;
  const groupCount = re.groupCount();
  const namedGroups = { ...re.namedGroups() };
  return {
    ok: true,
    pattern: {
      source,
      groupCount,
      namedGroups,
      find(text) {
        const m = re.matcher(text);
        if (!m.find()) return undefined;
        const groups: Array<string | undefined> = [];
        for (let i = 0; i <= groupCount; i++) groups.push(m.start(i) < 0 ? undefined : (m.group(i) ?? undefined));
        return { groups };
      },
    },
  };
}

/** One `$` reference of a template: its written form, the name Go reads and the group number (-1: a name). */
export interface TemplateReference {
  written: string;
  name: string;
  num: number;
  /** Offset of the `$` in the template. */
  offset: number;
}

const NAME_CHAR = /[\p{L}\p{Nd}_]/u;

/** Go's `extract`: the name after `$` (longest run of letters, digits, `_`; or braced), or undefined when malformed. */
function readReference(template: string, at: number): { name: string; num: number; end: number } | undefined {
  let i = at;
  const brace = template[i] === '{';
  if (brace) i++;
  const start = i;
  while (i < template.length) {
    const cp = template.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    if (!NAME_CHAR.test(ch)) break;
    i += ch.length;
  }
  if (i === start) return undefined;
  const name = template.slice(start, i);
  if (brace) {
    if (template[i] !== '}') return undefined;
    i++;
  }
  let num = /^[0-9]+$/.test(name) && name.length <= 8 ? Number(name) : -1;
  if (name.length > 1 && name[0] === '0') num = -1;
  return { name, num, end: i };
}

/** Every well-formed `$` reference of a Go template (`$$` is a literal dollar; a malformed `$` is literal text). */
export function templateReferences(template: string): TemplateReference[] {
  const out: TemplateReference[] = [];
  for (let i = 0; i < template.length; i++) {
    if (template[i] !== '$') continue;
    if (template[i + 1] === '$') {
      i++;
      continue;
    }
    const ref = readReference(template, i + 1);
    if (!ref) continue;
    out.push({ written: template.slice(i, ref.end), name: ref.name, num: ref.num, offset: i });
    i = ref.end - 1;
  }
  return out;
}

/** Go `Regexp.ExpandString(nil, template, text, match)`: unknown groups and groups that did not match expand to "". */
export function expandTemplate(pattern: Re2CapturePattern, template: string, match: Re2Match): string {
  let out = '';
  for (let i = 0; i < template.length; i++) {
    const ch = template[i]!;
    if (ch !== '$') {
      out += ch;
      continue;
    }
    if (template[i + 1] === '$') {
      out += '$';
      i++;
      continue;
    }
    const ref = readReference(template, i + 1);
    if (!ref) {
      out += '$';
      continue;
    }
    const index = ref.num >= 0 ? ref.num : pattern.namedGroups[ref.name];
    if (index !== undefined && index <= pattern.groupCount) out += match.groups[index] ?? '';
    i = ref.end - 1;
  }
  return out;
}
