/** Scoring vectors with a head, exactly as the engine does (same compileHead), without loading a model. Pure. */
import { compileHead } from '../infer/head.js';
import type { HeadFile } from '../types.js';

/**
 * Scores of every concept for each row: L2-normalises a copy of the rows when the head asks for it, then applies the
 * head (affine layers, softmax or sigmoid at the head's temperature).
 * @example const scores = applyHead(head, vectors, 256); // [rows × head.concepts.length]
 */
export function applyHead(head: HeadFile, data: Float32Array, dim: number): Float32Array {
  const compiled = compileHead(head);
  let x = data;
  if (compiled.normalize) {
    x = data.slice();
    for (let o = 0; o < x.length; o += dim) {
      let s = 0;
      for (let d = 0; d < dim; d++) s += x[o + d] * x[o + d];
      const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
      for (let d = 0; d < dim; d++) x[o + d] *= inv;
    }
  }
  return compiled.apply(x, dim);
}
