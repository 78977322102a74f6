/**
 * Splitting examples: a seeded stratified validation split, stratified k-fold (Clarifai's "K-split"), and a held-out
 * split by a hash of the example id that stays put as data grows. Pure; all return row indices.
 */
import { seededRandom, shuffle, stableHash } from './random.js';

/** Row indices on each side of a split. */
export interface Split {
  train: number[];
  test: number[];
}

/**
 * Each row's stratum: its label for single-label rows; for multi-label rows the rarest of its labels, so rare
 * concepts still land on both sides. Rows without labels share the stratum `''`.
 */
export function strata(labels: readonly (readonly string[])[]): string[] {
  const freq = new Map<string, number>();
  for (const ls of labels) for (const l of ls) freq.set(l, (freq.get(l) ?? 0) + 1);
  return labels.map((ls) => {
    let best = '';
    let bestCount = Infinity;
    for (const l of ls) {
      const c = freq.get(l)!;
      if (c < bestCount || (c === bestCount && l < best)) [best, bestCount] = [l, c];
    }
    return best;
  });
}

function groups(labels: readonly (readonly string[])[]): number[][] {
  const by = new Map<string, number[]>();
  strata(labels).forEach((s, i) => {
    const g = by.get(s);
    if (g) g.push(i);
    else by.set(s, [i]);
  });
  // Sorted keys: the result depends on the seed only, not on row order of first appearance.
  return [...by.keys()].sort().map((k) => by.get(k)!);
}

/**
 * Seeded stratified split: about `fraction` of every stratum goes to `test` (the validation side). A stratum of two
 * or more rows keeps at least one row on each side; a single row stays in `train`.
 * @example const { train, test } = stratifiedSplit(labels, 0.15, 42);
 */
export function stratifiedSplit(labels: readonly (readonly string[])[], fraction: number, seed: number): Split {
  if (!(fraction >= 0 && fraction < 1)) throw new RangeError(`fraction must be in [0, 1), got ${fraction}`);
  const rng = seededRandom(seed);
  const train: number[] = [];
  const test: number[] = [];
  for (const g of groups(labels)) {
    shuffle(g, rng);
    let k = Math.round(g.length * fraction);
    if (fraction > 0 && g.length >= 2) k = Math.min(g.length - 1, Math.max(1, k));
    test.push(...g.slice(0, k));
    train.push(...g.slice(k));
  }
  return { train: train.sort((a, b) => a - b), test: test.sort((a, b) => a - b) };
}

/**
 * Stratified k-fold: every row is in exactly one fold's `test`; each stratum is dealt round-robin over the folds.
 * @example for (const { train, test } of kFold(labels, 5, 1)) { … }
 */
export function kFold(labels: readonly (readonly string[])[], k: number, seed: number): Split[] {
  if (!Number.isInteger(k) || k < 2) throw new RangeError(`k must be an integer ≥ 2, got ${k}`);
  if (k > labels.length) throw new RangeError(`k (${k}) is larger than the number of rows (${labels.length})`);
  const rng = seededRandom(seed);
  const fold = new Int32Array(labels.length);
  let next = 0;
  for (const g of groups(labels)) {
    shuffle(g, rng);
    // Carry the dealing position across strata so fold sizes differ by at most one.
    for (const i of g) fold[i] = next++ % k;
  }
  return Array.from({ length: k }, (_, f) => {
    const train: number[] = [];
    const test: number[] = [];
    fold.forEach((v, i) => (v === f ? test : train).push(i));
    return { train, test };
  });
}

/**
 * Whether an example belongs to the fixed held-out set: decided by a hash of its id alone, so an example never
 * changes side as the data grows, and metrics of successive heads are comparable.
 * @example isHeldOut('review-17') // true for about 20 % of ids
 */
export function isHeldOut(id: string, fraction = 0.2): boolean {
  return stableHash(id) / 4294967296 < fraction;
}

/**
 * Held-out split of a list of ids (see `isHeldOut`).
 * @example const { train, test } = heldOutSplit(rows.map((r) => r.id), 0.2);
 */
export function heldOutSplit(ids: readonly string[], fraction = 0.2): Split {
  const train: number[] = [];
  const test: number[] = [];
  ids.forEach((id, i) => (isHeldOut(id, fraction) ? test : train).push(i));
  return { train, test };
}
