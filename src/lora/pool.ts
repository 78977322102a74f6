/** Mean pooling over the real tokens and optional L2 normalisation (model.py `mean_pool`), forward and backward. */
import type { Vec } from './types.js';

/**
 * pooled[H] = mean of the rows of h [T × H] whose mask is 1 (all rows when mask is null); normalised to unit length
 * when `normalize`. Returns the pre-normalisation norm (needed by the backward pass).
 * @example const norm = meanPool(out, T, H, null, true, pooled);
 */
export function meanPool(h: Vec, T: number, H: number, mask: ArrayLike<number> | null, normalize: boolean, pooled: Vec): number {
  pooled.fill(0);
  let count = 0;
  for (let t = 0; t < T; t++) {
    if (mask && !mask[t]) continue;
    count++;
    for (let j = 0; j < H; j++) pooled[j] += h[t * H + j];
  }
  const inv = 1 / Math.max(count, 1e-9);
  let sq = 0;
  for (let j = 0; j < H; j++) {
    pooled[j] *= inv;
    sq += pooled[j] * pooled[j];
  }
  const norm = Math.sqrt(sq);
  if (normalize) {
    const s = 1 / Math.max(norm, 1e-12);
    for (let j = 0; j < H; j++) pooled[j] *= s;
  }
  return norm;
}

/**
 * dh [T × H] from d(pooled). `pooled` is the forward output (normalised when `normalize`), `norm` its return value.
 * Unit normalisation's Jacobian: (d − n (n · d)) / ‖p‖.
 */
export function meanPoolBackward(
  dPooled: Vec, pooled: Vec, norm: number, T: number, H: number, mask: ArrayLike<number> | null, normalize: boolean, dh: Vec,
): void {
  let count = 0;
  for (let t = 0; t < T; t++) if (!mask || mask[t]) count++;
  const inv = 1 / Math.max(count, 1e-9);
  let dot = 0;
  if (normalize) for (let j = 0; j < H; j++) dot += pooled[j] * dPooled[j];
  const s = normalize ? inv / Math.max(norm, 1e-12) : inv;
  for (let t = 0; t < T; t++) {
    const o = t * H;
    if (mask && !mask[t]) {
      dh.fill(0, o, o + H);
      continue;
    }
    for (let j = 0; j < H; j++) dh[o + j] = s * (normalize ? dPooled[j] - pooled[j] * dot : dPooled[j]);
  }
}
