// Reads a Go duration as Flux writes them (`60s`, `5m`, `1h30m`, `1.5m`, `300ms`) into milliseconds, e.g. an
// OCIRepository's spec.timeout that bounds a pull. Pure; anything else (or a `${VAR}` substitution) is undefined.

const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const PART = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/y;

/** Milliseconds of a positive Go duration, or undefined when the text is not one. */
export function goDurationMs(text: string | undefined): number | undefined {
  if (!text) return undefined;
  let total = 0;
  PART.lastIndex = 0;
  while (PART.lastIndex < text.length) {
    const start = PART.lastIndex;
    const match = PART.exec(text);
    if (!match || match.index !== start) return undefined;
    total += Number(match[1]) * UNIT_MS[match[2]!]!;
  }
  return total > 0 ? Math.round(total) : undefined;
}
