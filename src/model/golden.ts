/**
 * The golden check: the first embeddings a WebGPU session produces are compared with fp32 reference vectors shipped
 * in the model's `golden.json`, so a broken driver or kernel is caught before it returns wrong scores. Pure.
 */
import type { ResolvedDtype } from './dtypes.js';

export interface GoldenFile {
  texts: string[];
  embeddings: Partial<Record<ResolvedDtype, number[][]>>;
}

/** Minimum cosine to the fp32 reference, per dtype: lower precisions are allowed to drift a little. */
export const GOLDEN_MIN_COSINE: Readonly<Record<ResolvedDtype, number>> = Object.freeze({ fp32: 0.999, fp16: 0.99, q8: 0.98 });

export function parseGolden(raw: unknown): GoldenFile | null {
  const g = raw as GoldenFile | null;
  if (!g || !Array.isArray(g.texts) || !g.embeddings || !Array.isArray(g.embeddings.fp32)) return null;
  if (g.embeddings.fp32.length !== g.texts.length) return null;
  return g;
}

/**
 * Lowest cosine between `vectors` ([n × dim], row i for golden text i) and the fp32 references.
 * @example minCosine(result.data, result.dim, golden) // 0.99998
 */
export function minCosine(vectors: Float32Array, dim: number, golden: GoldenFile): number {
  const ref = golden.embeddings.fp32!;
  let min = 1;
  ref.forEach((r, i) => {
    let dot = 0;
    let a = 0;
    let b = 0;
    for (let d = 0; d < dim; d++) {
      const x = vectors[i * dim + d];
      dot += x * r[d];
      a += x * x;
      b += r[d] * r[d];
    }
    min = Math.min(min, dot / Math.max(Math.sqrt(a * b), 1e-12));
  });
  return min;
}
