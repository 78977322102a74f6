/**
 * Row-major matrix products on flat arrays, each with an offset and a row stride so that attention can work on one
 * head's columns in place. Loops are ordered so the innermost one walks memory contiguously, and tiled over the
 * shared dimension so the rows in flight stay in cache.
 */
import type { Vec } from './types.js';

/** A matrix view: `data[off + i * ld + j]` is element (i, j). */
export interface Mat {
  data: Vec;
  off: number;
  ld: number;
}

/** @example view(q, 0, H) — the whole [T × H] matrix `q`; view(q, h * dh, H) — head h's columns. */
export const view = (data: Vec, off: number, ld: number): Mat => ({ data, off, ld });

const TILE = 64;

/**
 * C[m × n] (+)= A[m × k] · B[k × n]. With `accumulate` false C is overwritten.
 * @example gemmNN(T, H, H, view(x, 0, H), view(w, 0, H), view(y, 0, H), false)
 */
export function gemmNN(m: number, n: number, k: number, a: Mat, b: Mat, c: Mat, accumulate: boolean): void {
  const A = a.data;
  const B = b.data;
  const C = c.data;
  if (!accumulate) for (let i = 0; i < m; i++) C.fill(0, c.off + i * c.ld, c.off + i * c.ld + n);
  for (let p0 = 0; p0 < k; p0 += TILE) {
    const p1 = Math.min(k, p0 + TILE);
    for (let i = 0; i < m; i++) {
      const ci = c.off + i * c.ld;
      const ai = a.off + i * a.ld;
      for (let p = p0; p < p1; p++) {
        const av = A[ai + p];
        if (av === 0) continue;
        const bp = b.off + p * b.ld;
        for (let j = 0; j < n; j++) C[ci + j] += av * B[bp + j];
      }
    }
  }
}

/**
 * C[m × n] (+)= A[m × k] · B[n × k]ᵀ (dot products of rows).
 * @example gemmNT(T, T, dh, view(q, h * dh, H), view(k, h * dh, H), view(s, 0, T), false) // scores of head h
 */
export function gemmNT(m: number, n: number, k: number, a: Mat, b: Mat, c: Mat, accumulate: boolean): void {
  const A = a.data;
  const B = b.data;
  const C = c.data;
  for (let i = 0; i < m; i++) {
    const ai = a.off + i * a.ld;
    const ci = c.off + i * c.ld;
    for (let j = 0; j < n; j++) {
      const bj = b.off + j * b.ld;
      let s = 0;
      for (let p = 0; p < k; p++) s += A[ai + p] * B[bj + p];
      C[ci + j] = accumulate ? C[ci + j] + s : s;
    }
  }
}

/**
 * C[m × n] (+)= A[k × m]ᵀ · B[k × n] (sums of outer products of rows: weight gradients).
 * @example gemmTN(H, r, T, view(dq, 0, H), view(u, 0, r), view(gB, 0, r), true) // dB += dqᵀ · u
 */
export function gemmTN(m: number, n: number, k: number, a: Mat, b: Mat, c: Mat, accumulate: boolean): void {
  const A = a.data;
  const B = b.data;
  const C = c.data;
  if (!accumulate) for (let i = 0; i < m; i++) C.fill(0, c.off + i * c.ld, c.off + i * c.ld + n);
  for (let p = 0; p < k; p++) {
    const ap = a.off + p * a.ld;
    const bp = b.off + p * b.ld;
    for (let i = 0; i < m; i++) {
      const av = A[ap + i];
      if (av === 0) continue;
      const ci = c.off + i * c.ld;
      for (let j = 0; j < n; j++) C[ci + j] += av * B[bp + j];
    }
  }
}

/** Adds a bias row to each of the m rows of C. */
export function addBias(m: number, n: number, c: Mat, bias: Vec): void {
  for (let i = 0; i < m; i++) {
    const ci = c.off + i * c.ld;
    for (let j = 0; j < n; j++) c.data[ci + j] += bias[j];
  }
}
