/**
 * Seeded randomness and stable hashing for reproducible training and splits. Pure; same numbers in Node and browsers.
 */

/** A PRNG returning floats in [0, 1). */
export type Rng = () => number;

/**
 * mulberry32: tiny, fast, and good enough for shuffles and weight init (not for cryptography).
 * @example const rng = seededRandom(42); rng(); // 0.6011…
 */
export function seededRandom(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Fisher–Yates shuffle in place.
 * @example shuffle([1, 2, 3], seededRandom(1));
 */
export function shuffle<T>(items: T[], rng: Rng): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const t = items[i];
    items[i] = items[j];
    items[j] = t;
  }
  return items;
}

/** A standard normal draw (Box–Muller), for weight initialisation. */
export function gaussian(rng: Rng): number {
  const u = 1 - rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

/**
 * 32-bit FNV-1a of a string's UTF-16 code units: a stable hash that needs no crypto API (works in workers and Node).
 * @example stableHash('review-17') // same number on every machine, forever
 */
export function stableHash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  // Final avalanche (murmur3 fmix32) so ids that differ in one character spread over the whole range.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
