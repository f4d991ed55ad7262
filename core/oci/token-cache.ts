// Bearer tokens cached by realm + service + scope + credential fingerprint until shortly before expiry; concurrent askers share one exchange.
// Stores tokens only in memory and never prints them.
import { SingleFlight, TtlCache } from './cache/memory-cache';

export interface IssuedToken {
  token: string;
  /** Seconds, as sent by the token server (60 when absent). */
  expiresInSeconds: number;
}

/** Keep a token until 30 s before expiry (or half its life when it lives under a minute). */
export function tokenLifetimeMs(expiresInSeconds: number): number {
  const lifeMs = expiresInSeconds * 1000;
  return Math.max(0, lifeMs - Math.min(30_000, lifeMs / 2));
}

export class TokenCache {
  private readonly tokens = new TtlCache<string>(60_000);
  private readonly flights = new SingleFlight<string>();
  exchanges = 0;

  static key(realm: string, service: string | undefined, scopes: string[], fingerprint: string): string {
    return [realm, service ?? '', [...scopes].sort().join(' '), fingerprint].join('|');
  }

  async get(key: string, exchange: () => Promise<IssuedToken>): Promise<string> {
    const cached = this.tokens.get(key);
    if (cached) return cached.value;
    return this.flights.run(key, async () => {
      this.exchanges++;
      const issued = await exchange();
      this.tokens.set(key, issued.token, tokenLifetimeMs(issued.expiresInSeconds));
      return issued.token;
    });
  }

  invalidate(key: string): void {
    this.tokens.delete(key);
  }

  clear(): void {
    this.tokens.clear();
  }
}
