/**
 * Pooling token states into one vector per row, and L2 normalisation. Pure Float32Array math.
 */

export type Pooling = 'mean' | 'cls';

/**
 * Pools [rows × length × dim] hidden states into [rows × dim] using the attention mask (mean) or the first token (cls).
 * @example pool(hidden, mask, 2, 5, 384, 'mean')
 */
export function pool(
  hidden: Float32Array,
  mask: Uint8Array,
  rows: number,
  length: number,
  dim: number,
  mode: Pooling,
): Float32Array {
  const out = new Float32Array(rows * dim);
  for (let r = 0; r < rows; r++) {
    const o = r * dim;
    if (mode === 'cls') {
      out.set(hidden.subarray(r * length * dim, r * length * dim + dim), o);
      continue;
    }
    let count = 0;
    for (let t = 0; t < length; t++) {
      if (!mask[r * length + t]) continue;
      count++;
      const h = (r * length + t) * dim;
      for (let d = 0; d < dim; d++) out[o + d] += hidden[h + d];
    }
    const inv = 1 / Math.max(count, 1e-9);
    for (let d = 0; d < dim; d++) out[o + d] *= inv;
  }
  return out;
}

/** L2-normalises each row of a [rows × dim] matrix in place (zero rows stay zero). */
export function normalizeRows(m: Float32Array, dim: number): Float32Array {
  for (let o = 0; o < m.length; o += dim) {
    let s = 0;
    for (let d = 0; d < dim; d++) s += m[o + d] * m[o + d];
    const inv = 1 / Math.max(Math.sqrt(s), 1e-12);
    for (let d = 0; d < dim; d++) m[o + d] *= inv;
  }
  return m;
}
