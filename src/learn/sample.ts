/** Seeded few-shot sampling: up to N rows per concept. Pure. */
import { seededRandom, shuffle } from './random.js';

/**
 * Row indices holding up to `perClass` rows of every concept, picked in seeded random order (a multi-label row is
 * taken while any of its concepts is short, and counts for all of them). Sorted ascending.
 * @example const idx = samplePerClass(rows.map((r) => r.labels), 32, 1);
 */
export function samplePerClass(labels: readonly (readonly string[])[], perClass: number, seed: number): number[] {
  if (!Number.isInteger(perClass) || perClass < 1) throw new RangeError(`perClass must be a positive integer, got ${perClass}`);
  const taken = new Map<string, number>();
  const out: number[] = [];
  for (const i of shuffle([...labels.keys()], seededRandom(seed))) {
    const ls = labels[i];
    if (!ls.some((l) => (taken.get(l) ?? 0) < perClass)) continue;
    for (const l of ls) taken.set(l, (taken.get(l) ?? 0) + 1);
    out.push(i);
  }
  return out.sort((a, b) => a - b);
}
