/**
 * Row-major matrix products on flat arrays, each with an offset and a row stride so that attention can work on one
 * head's columns in place.
 *
 * All three products are register-blocked: each pass over the shared dimension p computes a 2 × 4 tile of C in eight
 * local accumulators (6 loads per 8 multiply-adds, 8 independent dependency chains instead of one). In V8 every
 * typed-array load carries an index computation and a bounds check, so loads, not arithmetic, are the cost; 2 × 4 is
 * the largest tile that stays in the 16 x64 float registers (a 4 × 4 tile spills and measures no faster). Leftover
 * rows (m odd) use a 1 × 4 tile, leftover columns (n not a multiple of 4) plain dot products. C is zeroed first when
 * not accumulating, so every tile simply adds into it. Tiling over k measured no gain at our sizes (T ≤ 64 rows, a
 * weight matrix ≤ 1 MB), so there is none. bench/lora-gemm.mjs checks these against the plain loops and times them.
 *
 * When all three arrays are Float32Arrays and m·n·k ≥ 4096, the products run in WebAssembly SIMD instead
 * (gemm-wasm.ts, ~8× these kernels); the JS kernels remain for float64 (the gradient checks), small products, and
 * engines without WebAssembly SIMD.
 */
import { gemmWasm } from './gemm-wasm.js';
import type { Vec } from './types.js';

export { gemmWasmActive, setGemmWasm } from './gemm-wasm.js';

/** A matrix view: `data[off + i * ld + j]` is element (i, j). */
export interface Mat {
  data: Vec;
  off: number;
  ld: number;
}

/** @example view(q, 0, H) — the whole [T × H] matrix `q`; view(q, h * dh, H) — head h's columns. */
export const view = (data: Vec, off: number, ld: number): Mat => ({ data, off, ld });

function zero(m: number, n: number, c: Mat): void {
  for (let i = 0; i < m; i++) c.data.fill(0, c.off + i * c.ld, c.off + i * c.ld + n);
}

/**
 * C(i, j) += Σ_p A(i, p) · B(p, j) with A(i, p) = A[ao + i·ai + p·ap] (so it serves both A and Aᵀ) and B row-major,
 * B(p, j) = B[bo + p·bld + j]: the shared kernel of gemmNN and gemmTN. Each tile reads 2 values of A and 4
 * contiguous values of B per step of p.
 */
function rowsTimesRows(
  m: number, n: number, k: number, A: Vec, ao: number, ai: number, ap: number, B: Vec, bo: number, bld: number, c: Mat,
): void {
  const C = c.data;
  const cld = c.ld;
  const m2 = m & ~1;
  const n4 = n & ~3;
  for (let j = 0; j < n4; j += 4) {
    let i = 0;
    for (; i < m2; i += 2) {
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
      let pa = ao + i * ai;
      let pb = bo + j;
      for (let p = 0; p < k; p++, pa += ap, pb += bld) {
        const x0 = A[pa], x1 = A[pa + ai];
        const y0 = B[pb], y1 = B[pb + 1], y2 = B[pb + 2], y3 = B[pb + 3];
        c00 += x0 * y0; c01 += x0 * y1; c02 += x0 * y2; c03 += x0 * y3;
        c10 += x1 * y0; c11 += x1 * y1; c12 += x1 * y2; c13 += x1 * y3;
      }
      const q0 = c.off + i * cld + j;
      const q1 = q0 + cld;
      C[q0] += c00; C[q0 + 1] += c01; C[q0 + 2] += c02; C[q0 + 3] += c03;
      C[q1] += c10; C[q1 + 1] += c11; C[q1 + 2] += c12; C[q1 + 3] += c13;
    }
    if (i < m) {
      // Last row when m is odd: a 1 × 4 tile.
      let c0 = 0, c1 = 0, c2 = 0, c3 = 0;
      let pa = ao + i * ai;
      let pb = bo + j;
      for (let p = 0; p < k; p++, pa += ap, pb += bld) {
        const x = A[pa];
        c0 += x * B[pb]; c1 += x * B[pb + 1]; c2 += x * B[pb + 2]; c3 += x * B[pb + 3];
      }
      const q = c.off + i * cld + j;
      C[q] += c0; C[q + 1] += c1; C[q + 2] += c2; C[q + 3] += c3;
    }
  }
  // Leftover columns (n % 4 of them).
  for (let j = n4; j < n; j++) {
    for (let i = 0; i < m; i++) {
      let s = 0;
      let pa = ao + i * ai;
      let pb = bo + j;
      for (let p = 0; p < k; p++, pa += ap, pb += bld) s += A[pa] * B[pb];
      C[c.off + i * cld + j] += s;
    }
  }
}

/**
 * C[m × n] (+)= A[m × k] · B[k × n]. With `accumulate` false C is overwritten.
 * @example gemmNN(T, H, H, view(x, 0, H), view(w, 0, H), view(y, 0, H), false)
 */
export function gemmNN(m: number, n: number, k: number, a: Mat, b: Mat, c: Mat, accumulate: boolean): void {
  if (gemmWasm('NN', m, n, k, a, b, c, accumulate)) return;
  if (!accumulate) zero(m, n, c);
  rowsTimesRows(m, n, k, a.data, a.off, a.ld, 1, b.data, b.off, b.ld, c);
}

/**
 * C[m × n] (+)= A[m × k] · B[n × k]ᵀ (dot products of rows). Both operands are read along contiguous rows; the tile
 * walks column blocks of C in the outer loop so the 4 rows of B in flight stay in L1 while A's rows stream past.
 * @example gemmNT(T, T, dh, view(q, h * dh, H), view(k, h * dh, H), view(s, 0, T), false) // scores of head h
 */
export function gemmNT(m: number, n: number, k: number, a: Mat, b: Mat, c: Mat, accumulate: boolean): void {
  if (gemmWasm('NT', m, n, k, a, b, c, accumulate)) return;
  if (!accumulate) zero(m, n, c);
  const A = a.data;
  const B = b.data;
  const C = c.data;
  const ald = a.ld;
  const bld = b.ld;
  const cld = c.ld;
  const m2 = m & ~1;
  const n4 = n & ~3;
  for (let j = 0; j < n4; j += 4) {
    const b0 = b.off + j * bld, b1 = b0 + bld, b2 = b1 + bld, b3 = b2 + bld;
    let i = 0;
    for (; i < m2; i += 2) {
      const a0 = a.off + i * ald, a1 = a0 + ald;
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
      for (let p = 0; p < k; p++) {
        const x0 = A[a0 + p], x1 = A[a1 + p];
        const y0 = B[b0 + p], y1 = B[b1 + p], y2 = B[b2 + p], y3 = B[b3 + p];
        c00 += x0 * y0; c01 += x0 * y1; c02 += x0 * y2; c03 += x0 * y3;
        c10 += x1 * y0; c11 += x1 * y1; c12 += x1 * y2; c13 += x1 * y3;
      }
      const q0 = c.off + i * cld + j;
      const q1 = q0 + cld;
      C[q0] += c00; C[q0 + 1] += c01; C[q0 + 2] += c02; C[q0 + 3] += c03;
      C[q1] += c10; C[q1 + 1] += c11; C[q1 + 2] += c12; C[q1 + 3] += c13;
    }
    if (i < m) {
      // Last row when m is odd: a 1 × 4 tile.
      const a0 = a.off + i * ald;
      let c0 = 0, c1 = 0, c2 = 0, c3 = 0;
      for (let p = 0; p < k; p++) {
        const x = A[a0 + p];
        c0 += x * B[b0 + p]; c1 += x * B[b1 + p]; c2 += x * B[b2 + p]; c3 += x * B[b3 + p];
      }
      const q = c.off + i * cld + j;
      C[q] += c0; C[q + 1] += c1; C[q + 2] += c2; C[q + 3] += c3;
    }
  }
  // Leftover columns (n % 4 of them).
  for (let j = n4; j < n; j++) {
    const bj = b.off + j * bld;
    for (let i = 0; i < m; i++) {
      const ai = a.off + i * ald;
      let s = 0;
      for (let p = 0; p < k; p++) s += A[ai + p] * B[bj + p];
      C[c.off + i * cld + j] += s;
    }
  }
}

/**
 * C[m × n] (+)= A[k × m]ᵀ · B[k × n] (sums of outer products of rows: weight gradients).
 * @example gemmTN(H, r, T, view(dq, 0, H), view(u, 0, r), view(gB, 0, r), true) // dB += dqᵀ · u
 */
export function gemmTN(m: number, n: number, k: number, a: Mat, b: Mat, c: Mat, accumulate: boolean): void {
  if (gemmWasm('TN', m, n, k, a, b, c, accumulate)) return;
  if (!accumulate) zero(m, n, c);
  rowsTimesRows(m, n, k, a.data, a.off, 1, a.ld, b.data, b.off, b.ld, c);
}

/** Adds a bias row to each of the m rows of C. */
export function addBias(m: number, n: number, c: Mat, bias: Vec): void {
  const C = c.data;
  for (let i = 0; i < m; i++) {
    const ci = c.off + i * c.ld;
    for (let j = 0; j < n; j++) C[ci + j] += bias[j];
  }
}
