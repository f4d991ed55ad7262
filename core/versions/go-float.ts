// Owns Go's `strconv.ParseFloat(s, 64)` acceptance: decimal and hex float literals with Go's underscore rules, Inf/Infinity/NaN,
// and out-of-range values as errors. What ImagePolicy's numerical order compares; must not know about policies.

/** Go `underscoreOK`: underscores only between digits (or after a base prefix). */
function underscoreOK(s: string): boolean {
  let saw = '^';
  let i = 0;
  if (s[0] === '+' || s[0] === '-') s = s.slice(1);
  let hex = false;
  if (s.length >= 2 && s[0] === '0' && 'box'.includes(s[1]!.toLowerCase())) {
    i = 2;
    saw = '0';
    hex = s[1]!.toLowerCase() === 'x';
  }
  for (; i < s.length; i++) {
    const c = s[i]!;
    if ((c >= '0' && c <= '9') || (hex && /[a-f]/i.test(c))) {
      saw = '0';
      continue;
    }
    if (c === '_') {
      if (saw !== '0') return false;
      saw = '_';
      continue;
    }
    if (saw === '_') return false;
    saw = '!';
  }
  return saw !== '_';
}

const SPECIAL = /^(?:([+-]?)(inf|infinity)|nan)$/i;
const DECIMAL = /^[+-]?(?=_*[0-9]|[0-9_]*\.[0-9_]*[0-9])[0-9_]*(?:\.[0-9_]*)?(?:[eE][+-]?[0-9][0-9_]*)?$/;
const HEX = /^([+-]?)0[xX]([0-9a-fA-F_]*)(?:\.([0-9a-fA-F_]*))?[pP]([+-]?[0-9][0-9_]*)$/;

/** The float64 Go's ParseFloat returns, or undefined where it returns an error (syntax or range). */
export function parseGoFloat(text: string): number | undefined {
  const special = SPECIAL.exec(text);
  if (special) return special[2] ? (special[1] === '-' ? -Infinity : Infinity) : Number.NaN;
  if (text.includes('_') && !underscoreOK(text)) return undefined;
  const plain = text.replace(/_/g, '');
  let value: number;
  const hex = HEX.exec(text);
  if (hex) {
    const whole = hex[2]!.replace(/_/g, '');
    const fraction = (hex[3] ?? '').replace(/_/g, '');
    if (whole === '' && fraction === '') return undefined;
    const mantissa = Number.parseInt(`${whole}${fraction}` || '0', 16);
    value = mantissa * 2 ** (Number(hex[4]!.replace(/_/g, '')) - 4 * fraction.length);
    if (hex[1] === '-') value = -value;
  } else if (DECIMAL.test(text)) {
    value = Number(plain);
  } else return undefined;
  return Number.isFinite(value) ? value : undefined;
}
