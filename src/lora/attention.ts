/**
 * Multi-head scaled dot-product attention with an additive key mask, forward and backward. q, k, v are [T × H] with
 * head h in columns h·dh … (h+1)·dh − 1, as the model's reshape lays them out; nothing is transposed or copied.
 */
import { gemmNN, gemmNT, gemmTN, view } from './gemm.js';
import type { Vec } from './types.js';

/**
 * ctx = softmax(q kᵀ / √dh + mask) · v per head. `mask` holds one additive term per key ((1 − m) · −1e4, as the
 * graph builds it) or is null for "attend to all". Keeps the probabilities in `p` [heads × T × T] for backward.
 * @example attention(q, k, v, T, H, heads, null, p, ctx)
 */
export function attention(q: Vec, k: Vec, v: Vec, T: number, H: number, heads: number, mask: Vec | null, p: Vec, ctx: Vec): void {
  const dh = H / heads;
  const scale = 1 / Math.sqrt(dh);
  for (let h = 0; h < heads; h++) {
    const po = h * T * T;
    gemmNT(T, T, dh, view(q, h * dh, H), view(k, h * dh, H), view(p, po, T), false);
    for (let i = 0; i < T; i++) {
      const o = po + i * T;
      let max = -Infinity;
      for (let j = 0; j < T; j++) {
        const s = p[o + j] * scale + (mask ? mask[j] : 0);
        p[o + j] = s;
        if (s > max) max = s;
      }
      let sum = 0;
      for (let j = 0; j < T; j++) {
        const e = Math.exp(p[o + j] - max);
        p[o + j] = e;
        sum += e;
      }
      const inv = 1 / sum;
      for (let j = 0; j < T; j++) p[o + j] *= inv;
    }
    gemmNN(T, dh, T, view(p, po, T), view(v, h * dh, H), view(ctx, h * dh, H), false);
  }
}

/**
 * Given d(ctx), writes dq, dk, dv (each [T × H]). `dp` is scratch of T × T. The mask is a constant: no gradient.
 * dS = P ⊙ (dP − rowsum(dP ⊙ P)) is the softmax Jacobian applied row by row.
 */
export function attentionBackward(
  q: Vec, k: Vec, v: Vec, p: Vec, dctx: Vec, T: number, H: number, heads: number, dp: Vec, dq: Vec, dk: Vec, dv: Vec,
): void {
  const dh = H / heads;
  const scale = 1 / Math.sqrt(dh);
  for (let h = 0; h < heads; h++) {
    const po = h * T * T;
    const c = h * dh;
    // dv_h = Pᵀ · dctx_h ; dP = dctx_h · v_hᵀ
    gemmTN(T, dh, T, view(p, po, T), view(dctx, c, H), view(dv, c, H), false);
    gemmNT(T, T, dh, view(dctx, c, H), view(v, c, H), view(dp, 0, T), false);
    for (let i = 0; i < T; i++) {
      const o = i * T;
      let dot = 0;
      for (let j = 0; j < T; j++) dot += dp[o + j] * p[po + o + j];
      for (let j = 0; j < T; j++) dp[o + j] = p[po + o + j] * (dp[o + j] - dot) * scale;
    }
    // dq_h = dS · k_h ; dk_h = dSᵀ · q_h (scale already folded into dS)
    gemmNN(T, dh, T, view(dp, 0, T), view(k, c, H), view(dq, c, H), false);
    gemmTN(T, dh, T, view(dp, 0, T), view(q, c, H), view(dk, c, H), false);
  }
}
