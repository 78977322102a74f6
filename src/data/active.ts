/**
 * Active learning: which unlabelled texts to label next. Pure: score rows and vectors in, row order out. The most
 * uncertain rows come first, but a row too similar (cosine) to one already picked is skipped, so one batch never
 * asks for the same review twice.
 */
import type { ProblemType } from '../types.js';

export type UncertaintyStrategy = 'margin' | 'entropy';

/**
 * Per-row uncertainty in [0, 1], higher = less sure. Multi-class: `margin` is 1 − (top score − second score),
 * `entropy` the normalised Shannon entropy. Multi-label (independent sigmoids): per concept 1 − |2p − 1| (margin) or
 * the binary entropy, and the row takes its most uncertain concept.
 * @example uncertainty(Float32Array.of(0.5, 0.5, 0.9, 0.1), 2, 'margin') // [1, 0.2]
 */
export function uncertainty(
  scores: Float32Array,
  concepts: number,
  strategy: UncertaintyStrategy = 'margin',
  problemType: ProblemType = 'single_label_classification',
): Float32Array {
  const rows = concepts > 0 ? scores.length / concepts : 0;
  const out = new Float32Array(rows);
  const h2 = (p: number) => (p <= 0 || p >= 1 ? 0 : -(p * Math.log2(p) + (1 - p) * Math.log2(1 - p)));
  for (let r = 0; r < rows; r++) {
    const o = r * concepts;
    if (problemType === 'multi_label_classification') {
      let u = 0;
      for (let c = 0; c < concepts; c++) {
        const p = scores[o + c];
        u = Math.max(u, strategy === 'margin' ? 1 - Math.abs(2 * p - 1) : h2(p));
      }
      out[r] = u;
    } else if (strategy === 'margin') {
      let a = -Infinity;
      let b = -Infinity;
      for (let c = 0; c < concepts; c++) {
        const p = scores[o + c];
        if (p > a) [a, b] = [p, a];
        else if (p > b) b = p;
      }
      out[r] = concepts < 2 ? 0 : 1 - (a - b);
    } else {
      let h = 0;
      for (let c = 0; c < concepts; c++) {
        const p = scores[o + c];
        if (p > 0) h -= p * Math.log(p);
      }
      out[r] = concepts < 2 ? 0 : h / Math.log(concepts);
    }
  }
  return out;
}

/**
 * Up to `k` row indices, most uncertain first, skipping any row whose cosine with an already picked row exceeds
 * `maxSimilarity` (rows of `vectors` are L2-normalised, so cosine is a dot product). Ties keep the input order.
 * @example pickNext(u, vectors, dim, 10) // [17, 3, 42, …]
 */
export function pickNext(
  u: Float32Array,
  vectors: Float32Array,
  dim: number,
  k: number,
  maxSimilarity = 0.95,
): number[] {
  const order = Array.from(u.keys()).sort((a, b) => u[b] - u[a] || a - b);
  const picked: number[] = [];
  for (const i of order) {
    if (picked.length >= k) break;
    const oi = i * dim;
    let near = false;
    for (const j of picked) {
      let dot = 0;
      const oj = j * dim;
      for (let d = 0; d < dim; d++) dot += vectors[oi + d] * vectors[oj + d];
      if (dot > maxSimilarity) {
        near = true;
        break;
      }
    }
    if (!near) picked.push(i);
  }
  return picked;
}
