// Parses WWW-Authenticate headers (RFC 7235: several challenges, quoted or token params, commas inside quotes).
// Pure parsing: deciding which challenge to answer is auth.ts's job.

export interface AuthChallenge {
  /** Lowercased: 'basic', 'bearer', … */
  scheme: string;
  /** Parameter names lowercased: realm, service, scope, error, … */
  params: Record<string, string>;
}

/** Parses one or more comma-separated challenges. Unknown or malformed parts are skipped, never thrown. */
export function parseWwwAuthenticate(header: string | string[] | undefined): AuthChallenge[] {
  if (header === undefined) return [];
  if (Array.isArray(header)) return header.flatMap((h) => parseWwwAuthenticate(h));
  const challenges: AuthChallenge[] = [];
  let i = 0;
  const s = header;
  const skipSpace = () => {
    while (i < s.length && (s[i] === ' ' || s[i] === '\t' || s[i] === ',')) i++;
  };
  const readToken = () => {
    const start = i;
    while (i < s.length && !/[\s,="]/.test(s[i])) i++;
    return s.slice(start, i);
  };
  while (i < s.length) {
    skipSpace();
    const scheme = readToken();
    if (!scheme) {
      i++;
      continue;
    }
    const challenge: AuthChallenge = { scheme: scheme.toLowerCase(), params: {} };
    challenges.push(challenge);
    // Parameters: name=value pairs until a token not followed by '=' (which starts the next challenge).
    for (;;) {
      while (i < s.length && (s[i] === ' ' || s[i] === '\t' || s[i] === ',')) i++;
      const save = i;
      const name = readToken();
      while (i < s.length && s[i] === ' ') i++;
      if (!name || s[i] !== '=') {
        i = save;
        break;
      }
      i++;
      while (i < s.length && s[i] === ' ') i++;
      let value = '';
      if (s[i] === '"') {
        i++;
        while (i < s.length && s[i] !== '"') {
          if (s[i] === '\\' && i + 1 < s.length) i++;
          value += s[i++];
        }
        i++;
      } else {
        const start = i;
        while (i < s.length && s[i] !== ',' && s[i] !== ' ') i++;
        value = s.slice(start, i);
      }
      challenge.params[name.toLowerCase()] = value;
    }
  }
  return challenges;
}

/** Picks the challenge to answer: Bearer first, then Basic. */
export function preferredChallenge(challenges: AuthChallenge[]): AuthChallenge | undefined {
  return challenges.find((c) => c.scheme === 'bearer') ?? challenges.find((c) => c.scheme === 'basic');
}
