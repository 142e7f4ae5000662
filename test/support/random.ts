/**
 * A small seeded generator (mulberry32): the same seed gives the same sequence, so a failing
 * randomized trial is replayed by its seed.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The seed a randomized run uses: `PARITY_SEED` to replay one, else `fallback` (a fixed seed keeps
 * CI's choices the same from run to run), else one drawn now. Callers print it.
 */
export function trialSeed(fallback?: number): number {
  const given = Number(process.env.PARITY_SEED);
  if (Number.isInteger(given) && given > 0) return given;
  return fallback ?? Math.floor(Math.random() * 2 ** 31) + 1;
}

/** A whole number from `min` to `max`, both included. */
export function between(random: () => number, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}
