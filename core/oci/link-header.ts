// Parses RFC 5988 `Link` headers and resolves the rel="next" target against the request URL.
// Pure; the same-origin decision is the caller's (tag-list.ts).

/** The raw `<…>` target of the rel="next" link, or undefined. */
export function nextLinkTarget(value: string | string[] | undefined): string | undefined {
  const values = Array.isArray(value) ? value : value ? [value] : [];
  for (const v of values) {
    const re = /<([^>]*)>\s*((?:;\s*[^;,]+)*)/g;
    for (let m = re.exec(v); m; m = re.exec(v)) {
      const params = m[2];
      if (/;\s*rel\s*=\s*"?([^";]*\s)?next(\s[^";]*)?"?/i.test(params)) return m[1].trim();
    }
  }
  return undefined;
}
