// Owns Go RE2 syntax for `spec.ref.semverFilter`: validates a pattern the way Go's regexp/syntax (Perl flags)
// does and translates it into an equivalent JavaScript `u`-mode RegExp. Must not match tags or know about Flux.
import {
  PERL_CLASSES, POSIX_CLASSES, UNICODE_CATEGORIES, caseVariants, codePointText, complementRanges,
  foldRanges, normalizeRanges, rangesText, MAX_CODE_POINT, type CodeRange,
} from './re2-char-classes';

interface Flags { i: boolean; m: boolean; s: boolean; U: boolean }

/** One parsed item of a sequence, already written as JS RegExp text. */
interface Item { text: string; assertion: boolean; quantified: boolean }

class Re2Error extends Error {}

const ENGINE = "Go's RE2 regexp engine";
const MAX_REPEAT = 1000;
const MAX_DEPTH = 1000;

class Translator {
  private pos = 0;
  private depth = 0;
  private readonly names = new Set<string>();
  constructor(private readonly src: string) {}

  translate(): string {
    const text = this.alternation({ i: false, m: false, s: false, U: false });
    if (this.pos < this.src.length) throw new Re2Error('unexpected `)`: the pattern closes a group that was never opened.');
    return text;
  }

  private peek(offset = 0): string { return this.src[this.pos + offset] ?? ''; }
  private rest(): string { return this.src.slice(this.pos); }
  private fail(message: string): never { throw new Re2Error(message); }

  private nextCodePoint(): number {
    const cp = this.src.codePointAt(this.pos);
    if (cp === undefined) this.fail('trailing backslash at end of expression.');
    this.pos += cp > 0xffff ? 2 : 1;
    return cp;
  }

  /** Parses `a|b|…` up to an unmatched `)` or the end; flags changed by `(?i)` last until the group ends. */
  private alternation(outer: Flags): string {
    if (++this.depth > MAX_DEPTH) this.fail('expression nests too deeply.');
    const flags = { ...outer };
    const branches: string[] = [];
    let items: Item[] = [];
    let lastWasRepeat = false;
    while (this.pos < this.src.length && this.peek() !== ')') {
      const c = this.peek();
      if (c === '|') {
        this.pos++;
        branches.push(items.map((it) => it.text).join(''));
        items = [];
        lastWasRepeat = false;
        continue;
      }
      const quantifier = this.readQuantifier(flags);
      if (quantifier !== undefined) {
        if (lastWasRepeat) this.fail(`possessive or nested quantifier \`${quantifier.written}\` is not supported by ${ENGINE}.`);
        const last = items[items.length - 1];
        if (!last) this.fail(`missing argument to repetition operator \`${quantifier.written}\`.`);
        const base = last.assertion || last.quantified ? `(?:${last.text})` : last.text;
        items[items.length - 1] = { text: base + quantifier.text, assertion: false, quantified: true };
        lastWasRepeat = true;
        continue;
      }
      lastWasRepeat = false;
      items.push(...this.atom(flags));
    }
    branches.push(items.map((it) => it.text).join(''));
    this.depth--;
    return branches.join('|');
  }

  /** `*`, `+`, `?`, `{n}`, `{n,}`, `{n,m}` with optional lazy `?`; undefined when the next token is not one. */
  private readQuantifier(flags: Flags): { text: string; written: string } | undefined {
    const start = this.pos;
    let core: string;
    const c = this.peek();
    if (c === '*' || c === '+' || c === '?') {
      core = c;
      this.pos++;
    } else if (c === '{') {
      const m = /^\{([0-9]+)(,([0-9]*))?\}/.exec(this.rest());
      if (!m) return undefined;
      const min = Number(m[1]);
      const max = m[2] === undefined ? min : m[3] === '' ? undefined : Number(m[3]);
      if (min > MAX_REPEAT || (max !== undefined && (max > MAX_REPEAT || max < min))) {
        this.fail(`invalid repeat count \`${m[0]}\` (Go allows at most ${MAX_REPEAT}).`);
      }
      core = m[0];
      this.pos += m[0].length;
    } else {
      return undefined;
    }
    let lazy = false;
    if (this.peek() === '?') {
      lazy = true;
      this.pos++;
    }
    if (flags.U) lazy = !lazy;
    return { text: core + (lazy ? '?' : ''), written: this.src.slice(start, this.pos) };
  }

  private literal(cp: number, flags: Flags): Item {
    if (flags.i) {
      const variants = caseVariants(cp);
      if (variants.length > 1) return { text: `[${rangesText(normalizeRanges(variants.map((v) => [v, v])))}]`, assertion: false, quantified: false };
    }
    return { text: codePointText(cp), assertion: false, quantified: false };
  }

  private classItem(ranges: CodeRange[], flags: Flags): Item {
    const folded = flags.i ? foldRanges(ranges) : normalizeRanges(ranges);
    return { text: `[${rangesText(folded)}]`, assertion: false, quantified: false };
  }

  private atom(flags: Flags): Item[] {
    const c = this.peek();
    const plain = (text: string): Item[] => [{ text, assertion: false, quantified: false }];
    const assert = (text: string): Item[] => [{ text, assertion: true, quantified: false }];
    switch (c) {
      case '(':
        return this.group(flags);
      case '[':
        return [this.characterClass(flags)];
      case '.':
        this.pos++;
        return plain(flags.s ? `[\\u{0}-\\u{${MAX_CODE_POINT.toString(16)}}]` : '[^\\n]');
      case '^':
        this.pos++;
        return assert(flags.m ? '(?<![^\\n])' : '^');
      case '$':
        this.pos++;
        return assert(flags.m ? '(?![^\\n])' : '$');
      case '\\':
        return this.escapeOutsideClass(flags);
      default:
        return [this.literal(this.nextCodePoint(), flags)];
    }
  }

  private group(flags: Flags): Item[] {
    const start = this.pos;
    this.pos++; // (
    let capture = true;
    if (this.peek() === '?') {
      const after = this.src.slice(this.pos + 1, this.pos + 4);
      if (after.startsWith('=')) this.fail(`look-ahead \`(?=\` is not supported by ${ENGINE}.`);
      if (after.startsWith('!')) this.fail(`negative look-ahead \`(?!\` is not supported by ${ENGINE}.`);
      if (after.startsWith('<=')) this.fail(`look-behind \`(?<=\` is not supported by ${ENGINE}.`);
      if (after.startsWith('<!')) this.fail(`negative look-behind \`(?<!\` is not supported by ${ENGINE}.`);
      if (after.startsWith('>')) this.fail(`atomic group \`(?>\` is not supported by ${ENGINE}.`);
      if (after.startsWith('#')) this.fail(`comment group \`(?#\` is not supported by ${ENGINE}.`);
      if (after.startsWith('P=') || after.startsWith('P>')) this.fail(`named back-reference \`(?${after.slice(0, 2)}\` is not supported by ${ENGINE}.`);
      if (after.startsWith('P<') || after.startsWith('<')) {
        this.pos += after.startsWith('P') ? 3 : 2;
        const end = this.src.indexOf('>', this.pos);
        const name = end < 0 ? '' : this.src.slice(this.pos, end);
        if (end < 0 || !/^[A-Za-z0-9_]+$/.test(name)) this.fail(`invalid named capture \`${this.src.slice(start, end < 0 ? undefined : end + 1)}\`.`);
        if (this.names.has(name)) this.fail(`duplicate capture group name \`${name}\`.`);
        this.names.add(name);
        this.pos = end + 1;
      } else {
        const m = /^\?([imsU]*)(?:(-)([imsU]*))?([:)])/.exec(this.rest());
        if (!m || (m[2] && m[3] === '')) {
          this.fail(`invalid or unsupported Perl syntax \`${this.src.slice(start, start + 3)}\` in Go's RE2 syntax.`);
        }
        const next = { ...flags };
        for (const f of m[1]!) next[f as keyof Flags] = true;
        for (const f of m[3] ?? '') next[f as keyof Flags] = false;
        this.pos += m[0].length;
        if (m[4] === ')') {
          Object.assign(flags, next); // `(?i)` changes the rest of the enclosing group
          return [];
        }
        capture = false;
        return [this.finishGroup(next, '(?:', start)];
      }
    }
    return [this.finishGroup(flags, capture ? '(' : '(?:', start)];
  }

  private finishGroup(flags: Flags, open: string, start: number): Item {
    const inner = this.alternation(flags);
    if (this.peek() !== ')') this.fail(`missing closing \`)\` for the group that starts at \`${this.src.slice(start, start + 10)}\`.`);
    this.pos++;
    return { text: `${open}${inner})`, assertion: false, quantified: false };
  }

  private escapeOutsideClass(flags: Flags): Item[] {
    const next = this.peek(1);
    const assert = (text: string): Item[] => { this.pos += 2; return [{ text, assertion: true, quantified: false }]; };
    switch (next) {
      case 'A': return assert('^');
      case 'z': return assert('$');
      case 'b': return assert('\\b');
      case 'B': return assert('\\B');
      case 'Q': {
        const end = this.src.indexOf('\\E', this.pos + 2);
        const text = this.src.slice(this.pos + 2, end < 0 ? undefined : end);
        this.pos = end < 0 ? this.src.length : end + 2;
        return [...text].map((ch) => this.literal(ch.codePointAt(0)!, flags));
      }
      case 'k': this.fail(`named back-reference \`\\k\` is not supported by ${ENGINE}.`);
    }
    const setText = this.classEscape(flags);
    if (setText !== undefined) return [{ text: `[${setText}]`, assertion: false, quantified: false }];
    return [this.literal(this.escapedCodePoint(), flags)];
  }

  /** `\d\D\s\S\w\W\pX\p{X}\PX\P{X}` as class-body text, or undefined when the escape is not a class. */
  private classEscape(flags: Flags): string | undefined {
    const letter = this.peek(1);
    const perl = PERL_CLASSES[letter.toLowerCase()];
    if (perl && 'dswDSW'.includes(letter)) {
      this.pos += 2;
      const ranges = letter === letter.toUpperCase() ? complementRanges(perl) : perl;
      return rangesText(flags.i ? foldRanges(ranges) : normalizeRanges(ranges));
    }
    if (letter !== 'p' && letter !== 'P') return undefined;
    const start = this.pos;
    this.pos += 2;
    let name: string;
    if (this.peek() === '{') {
      const end = this.src.indexOf('}', this.pos);
      if (end < 0) this.fail(`invalid character class range \`${this.src.slice(start)}\`.`);
      name = this.src.slice(this.pos + 1, end);
      this.pos = end + 1;
    } else {
      if (this.pos >= this.src.length) this.fail(`invalid character class range \`${this.src.slice(start)}\`.`);
      name = String.fromCodePoint(this.nextCodePoint());
    }
    let negated = letter === 'P';
    if (name.startsWith('^')) { negated = !negated; name = name.slice(1); }
    if (name === 'Any') return negated ? '' : `\\u{0}-\\u{${MAX_CODE_POINT.toString(16)}}`;
    const property = UNICODE_CATEGORIES.has(name) ? name : `Script=${name}`;
    const text = `\\${negated ? 'P' : 'p'}{${property}}`;
    try { new RegExp(text, 'u'); } catch { this.fail(`unknown Unicode class \`${this.src.slice(start, this.pos)}\`.`); }
    return text;
  }

  /** Go's `parseEscape`: punctuation, octal, `\x..`, C escapes; everything else is an error. */
  private escapedCodePoint(): number {
    const start = this.pos;
    this.pos++; // backslash
    if (this.pos >= this.src.length) this.fail('trailing backslash at end of expression.');
    const c = this.nextCodePoint();
    const ch = String.fromCodePoint(c);
    if (c < 0x80 && !/[A-Za-z0-9]/.test(ch)) return c;
    if (/[1-9]/.test(ch) && !/[0-7]/.test(this.peek())) this.fail(`back-reference \`\\${ch}\` is not supported by ${ENGINE}.`);
    if (/[0-7]/.test(ch)) {
      let value = c - 0x30;
      for (let i = 1; i < 3 && /[0-7]/.test(this.peek()); i++) value = value * 8 + (this.nextCodePoint() - 0x30);
      return value;
    }
    if (ch === 'x') {
      const m = /^(?:\{([0-9A-Fa-f]+)\}|([0-9A-Fa-f]{2}))/.exec(this.rest());
      const value = m ? parseInt(m[1] ?? m[2]!, 16) : NaN;
      if (!m || value > MAX_CODE_POINT) this.fail(`invalid escape sequence \`${this.src.slice(start, this.pos + 3)}\` in Go's RE2 syntax.`);
      this.pos += m[0].length;
      return value;
    }
    const simple: Record<string, number> = { a: 7, f: 12, n: 10, r: 13, t: 9, v: 11 };
    if (simple[ch] !== undefined) return simple[ch]!;
    this.fail(`invalid escape sequence \`\\${ch}\` in Go's RE2 syntax.`);
  }

  /** Go's `parseClass`: `[...]`, `[^...]`, ranges, POSIX `[:name:]`, Perl and Unicode classes. */
  private characterClass(flags: Flags): Item {
    const start = this.pos;
    this.pos++;
    let negated = false;
    if (this.peek() === '^') { negated = true; this.pos++; }
    const ranges: CodeRange[] = [];
    const properties: string[] = [];
    let first = true;
    while (first || this.peek() !== ']') {
      if (this.pos >= this.src.length) this.fail(`missing closing \`]\` in character class \`${this.src.slice(start, start + 12)}\`.`);
      first = false;
      if (this.peek() === '[' && this.peek(1) === ':') {
        const end = this.src.indexOf(':]', this.pos + 2);
        if (end >= 0) {
          let name = this.src.slice(this.pos + 2, end);
          const negatedPosix = name.startsWith('^');
          if (negatedPosix) name = name.slice(1);
          const posix = POSIX_CLASSES[name];
          if (!posix) this.fail(`invalid character class range \`${this.src.slice(this.pos, end + 2)}\`.`);
          ranges.push(...(negatedPosix ? complementRanges(posix) : posix));
          this.pos = end + 2;
          continue;
        }
      }
      if (this.peek() === '\\') {
        const set = this.classEscape(flags);
        if (set !== undefined) { properties.push(set); continue; }
      }
      const lo = this.classChar(start);
      let hi = lo;
      if (this.peek() === '-' && this.peek(1) !== ']' && this.pos + 1 < this.src.length) {
        this.pos++;
        hi = this.classChar(start);
        if (hi < lo) this.fail(`invalid character class range \`${String.fromCodePoint(lo)}-${String.fromCodePoint(hi)}\`.`);
      }
      ranges.push([lo, hi]);
    }
    this.pos++; // ]
    const body = rangesText(flags.i ? foldRanges(ranges) : normalizeRanges(ranges)) + properties.join('');
    // An empty negated class would match everything in JS only via `[^]`; keep both forms explicit.
    if (body === '') return { text: negated ? `[\\u{0}-\\u{${MAX_CODE_POINT.toString(16)}}]` : '[^\\u{0}-\\u{10ffff}]', assertion: false, quantified: false };
    return { text: `[${negated ? '^' : ''}${body}]`, assertion: false, quantified: false };
  }

  private classChar(start: number): number {
    if (this.pos >= this.src.length) this.fail(`missing closing \`]\` in character class \`${this.src.slice(start, start + 12)}\`.`);
    if (this.peek() === '\\') return this.escapedCodePoint();
    return this.nextCodePoint();
  }
}

function translate(pattern: string): { ok: true; source: string } | { ok: false; error: string } {
  try {
    const source = new Translator(pattern).translate();
    new RegExp(source, 'u'); // what JS cannot compile is rejected too
    return { ok: true, source };
  } catch (e) {
    if (e instanceof Re2Error) return { ok: false, error: e.message };
    if (e instanceof SyntaxError) return { ok: false, error: 'the pattern cannot be compiled for matching.' };
    throw e;
  }
}

/** undefined when `pattern` is valid Go RE2 syntax; otherwise one sentence saying what is wrong. */
export function checkRe2Syntax(pattern: string): string | undefined {
  const result = translate(pattern);
  return result.ok ? undefined : result.error;
}

/**
 * An equivalent JavaScript RegExp (flag `u`, unanchored like Go's `MatchString`: use `.test`).
 * Throws an Error with the `checkRe2Syntax` sentence when the pattern is not valid RE2.
 */
export function compileRe2(pattern: string): RegExp {
  const result = translate(pattern);
  if (!result.ok) throw new Error(result.error);
  return new RegExp(result.source, 'u');
}
