// A small deterministic PRNG (mulberry32) for fuzz and randomized-edit tests, so every failure reproduces
// from its seed. Test-only; never used for anything that needs real randomness.

/** `rand(n)` is an integer in [0, n). */
export function seededRandom(seed: number): (n: number) => number {
  let state = seed | 0;
  return (n) => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) % n;
  };
}
