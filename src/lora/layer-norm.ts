/** Layer normalisation over the last axis (`nn.LayerNorm(h, eps)`), forward and backward. */
import type { Vec } from './types.js';

/**
 * y = (x − mean) / √(var + eps) · g + b per row of x [rows × n]. Keeps x̂ and 1/σ (per row) for the backward pass.
 * @example layerNorm(z, T, H, g, b, eps, xhat, rstd, y)
 */
export function layerNorm(x: Vec, rows: number, n: number, g: Vec, b: Vec, eps: number, xhat: Vec, rstd: Vec, y: Vec): void {
  for (let r = 0; r < rows; r++) {
    const o = r * n;
    let mean = 0;
    for (let j = 0; j < n; j++) mean += x[o + j];
    mean /= n;
    let v = 0;
    for (let j = 0; j < n; j++) v += (x[o + j] - mean) ** 2;
    const s = 1 / Math.sqrt(v / n + eps);
    rstd[r] = s;
    for (let j = 0; j < n; j++) {
      const h = (x[o + j] - mean) * s;
      xhat[o + j] = h;
      y[o + j] = h * g[j] + b[j];
    }
  }
}

/**
 * dx from dy, given the forward's x̂ and 1/σ: dx = (1/σ) · (dx̂ − mean(dx̂) − x̂ · mean(dx̂ · x̂)), dx̂ = dy · g.
 * Writes (or, with `accumulate`, adds) into dx. The frozen g and b get no gradient.
 */
export function layerNormBackward(dy: Vec, rows: number, n: number, g: Vec, xhat: Vec, rstd: Vec, dx: Vec, accumulate: boolean): void {
  for (let r = 0; r < rows; r++) {
    const o = r * n;
    let m1 = 0;
    let m2 = 0;
    for (let j = 0; j < n; j++) {
      const d = dy[o + j] * g[j];
      m1 += d;
      m2 += d * xhat[o + j];
    }
    m1 /= n;
    m2 /= n;
    const s = rstd[r];
    for (let j = 0; j < n; j++) {
      const v = s * (dy[o + j] * g[j] - m1 - xhat[o + j] * m2);
      dx[o + j] = accumulate ? dx[o + j] + v : v;
    }
  }
}
