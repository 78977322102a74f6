/**
 * Curves on a fixed grid, so every concept shares one x axis (uPlot draws aligned series): ROC as the best
 * true-positive rate at each false-positive rate, PR as interpolated precision (the best at recall ≥ r).
 */
import type { ConceptMetrics } from '../src/index.js';

type PrPoint = NonNullable<ConceptMetrics['pr']>[number];

export const GRID = Array.from({ length: 101 }, (_, i) => i / 100);

export function rocOnGrid(scores: ArrayLike<number>, positive: ArrayLike<boolean>): (number | null)[] {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b] - scores[a]);
  let P = 0;
  for (let i = 0; i < n; i++) if (positive[i]) P++;
  const N = n - P;
  if (!P || !N) return GRID.map(() => null);
  const points: [number, number][] = [[0, 0]];
  let tp = 0;
  let fp = 0;
  for (let i = 0; i < n; i++) {
    if (positive[order[i]]) tp++;
    else fp++;
    // Equal scores move together: a threshold cannot split them.
    if (i + 1 < n && scores[order[i + 1]] === scores[order[i]]) continue;
    points.push([fp / N, tp / P]);
  }
  return GRID.map((x) => points.reduce((best, [f, t]) => (f <= x + 1e-9 && t > best ? t : best), 0));
}

export function prOnGrid(pr: PrPoint[] | undefined): (number | null)[] {
  if (!pr?.length) return GRID.map(() => null);
  return GRID.map((r) => {
    const ps = pr.filter((p) => p.recall >= r - 1e-9).map((p) => p.precision);
    return ps.length ? Math.max(...ps) : null;
  });
}
