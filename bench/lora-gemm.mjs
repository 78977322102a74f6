#!/usr/bin/env node
/**
 * Microbenchmark and correctness check of the LoRA matrix products (src/lora/gemm.ts): the plain triple loops they
 * replaced (copied below as references), the 2×4 register-blocked JS kernels, and the WebAssembly SIMD backend
 * (src/lora/gemm-wasm.ts; operands copied into wasm memory per call). All variants run interleaved in one process, several times, and medians are printed, so
 * background load skews them alike. The JS/wasm switch is gemm.ts's `setGemmWasm`.
 *
 * Usage (Node 20 cannot import TypeScript, so compile gemm.ts to a temporary directory first):
 *   npx tsc src/lora/gemm.ts src/lora/types.ts --outDir /tmp/gemm-build --target es2022 --module nodenext \
 *     --moduleResolution nodenext --skipLibCheck
 *   node bench/lora-gemm.mjs [--build /tmp/gemm-build] [--reps 7] [--T 32]
 *
 * Timing runs first on Float32Array only (what training uses), so the kernels are not made polymorphic by the
 * float64 correctness pass that follows.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    build: { type: 'string', default: '/tmp/gemm-build' },
    reps: { type: 'string', default: '7' },
    T: { type: 'string', default: '32' },
  },
});
const neu = await import(pathToFileURL(resolve(values.build, 'gemm.js')).href);
const reps = Number(values.reps);
const T = Number(values.T);

// ---- Reference kernels: the previous src/lora/gemm.ts, verbatim apart from types. ----
const TILE = 64;
function oldNN(m, n, k, a, b, c, accumulate) {
  const A = a.data, B = b.data, C = c.data;
  if (!accumulate) for (let i = 0; i < m; i++) C.fill(0, c.off + i * c.ld, c.off + i * c.ld + n);
  for (let p0 = 0; p0 < k; p0 += TILE) {
    const p1 = Math.min(k, p0 + TILE);
    for (let i = 0; i < m; i++) {
      const ci = c.off + i * c.ld, ai = a.off + i * a.ld;
      for (let p = p0; p < p1; p++) {
        const av = A[ai + p];
        if (av === 0) continue;
        const bp = b.off + p * b.ld;
        for (let j = 0; j < n; j++) C[ci + j] += av * B[bp + j];
      }
    }
  }
}
function oldNT(m, n, k, a, b, c, accumulate) {
  const A = a.data, B = b.data, C = c.data;
  for (let i = 0; i < m; i++) {
    const ai = a.off + i * a.ld, ci = c.off + i * c.ld;
    for (let j = 0; j < n; j++) {
      const bj = b.off + j * b.ld;
      let s = 0;
      for (let p = 0; p < k; p++) s += A[ai + p] * B[bj + p];
      C[ci + j] = accumulate ? C[ci + j] + s : s;
    }
  }
}
function oldTN(m, n, k, a, b, c, accumulate) {
  const A = a.data, B = b.data, C = c.data;
  if (!accumulate) for (let i = 0; i < m; i++) C.fill(0, c.off + i * c.ld, c.off + i * c.ld + n);
  for (let p = 0; p < k; p++) {
    const ap = a.off + p * a.ld, bp = b.off + p * b.ld;
    for (let i = 0; i < m; i++) {
      const av = A[ap + i];
      if (av === 0) continue;
      const ci = c.off + i * c.ld;
      for (let j = 0; j < n; j++) C[ci + j] += av * B[bp + j];
    }
  }
}
const old = { NN: oldNN, NT: oldNT, TN: oldTN };
const cur = { NN: neu.gemmNN, NT: neu.gemmNT, TN: neu.gemmTN };

/** Row and column counts of A and B for C[m × n] = op(A) op(B) with shared dimension k. */
const dims = (kind, m, n, k) => ({ a: kind === 'TN' ? [k, m] : [m, k], b: kind === 'NT' ? [n, k] : [k, n] });

function random(Arr, len) {
  const x = new Arr(len);
  for (let i = 0; i < len; i++) x[i] = Math.random() * 2 - 1;
  return x;
}

/** Operands as sub-views: `pad` extra columns on each side and `off` leading elements, as attention's head slices. */
function operands(Arr, kind, m, n, k, pad = 0, off = 0) {
  const d = dims(kind, m, n, k);
  const mat = ([r, cols]) => {
    const ld = cols + 2 * pad;
    return { data: random(Arr, off + r * ld), off: off + pad, ld };
  };
  return { a: mat(d.a), b: mat(d.b), c: mat([m, n]) };
}

// ---- Timing ----
const H = 256, FF = 1024, R = 8, DH = 64;
const shapes = [
  ['NN', T, H, H, 'x·W (q/k/v/o)'],
  ['NN', T, FF, H, 'h1·W1'],
  ['NN', T, H, FF, 'g·W2'],
  ['NN', T, R, H, 'dy·B (du)'],
  ['NN', T, H, R, 'du·A (dx)'],
  ['NN', T, DH, T, 'P·v (ctx)'],
  ['NT', T, FF, H, 'dz2·W2ᵀ'],
  ['NT', T, H, FF, 'dg·W1ᵀ'],
  ['NT', T, H, H, 'dz1·Woᵀ'],
  ['NT', T, T, DH, 'q·kᵀ (scores)'],
  ['NT', T, R, H, 'x·Aᵀ (u)'],
  ['NT', T, H, R, 'u·Bᵀ'],
  ['TN', H, R, T, 'dyᵀ·u (dB)'],
  ['TN', R, H, T, 'duᵀ·x (dA)'],
  ['TN', T, DH, T, 'Pᵀ·dctx (dv)'],
];

function gflops(f, m, n, k, x, wasm) {
  neu.setGemmWasm(wasm);
  const flop = 2 * m * n * k;
  const iters = Math.max(1, Math.round(3e7 / flop));
  const t0 = performance.now();
  for (let r = 0; r < iters; r++) f(m, n, k, x.a, x.b, x.c, false);
  return (flop * iters) / ((performance.now() - t0) * 1e6);
}
const median = (xs) => [...xs].sort((p, q) => p - q)[xs.length >> 1];

/** The variants timed: [label, operands → GFLOP/s]. */
const variants = (kind, m, n, k, x) => [
  ['loops', () => gflops(old[kind], m, n, k, x, false)],
  ['js', () => gflops(cur[kind], m, n, k, x, false)],
  ['wasm', () => gflops(cur[kind], m, n, k, x, true)],
];

if (!neu.gemmWasmActive()) console.log('WebAssembly SIMD backend NOT available: wasm columns time the JS fallback');
// Warm every variant on every shape so none is timed while still in the interpreter.
for (const [kind, m, n, k] of shapes) {
  const x = operands(Float32Array, kind, m, n, k);
  for (let r = 0; r < 3; r++) for (const [, run] of variants(kind, m, n, k, x)) run();
}
console.log(`GFLOP/s, Float32Array, median of ${reps} interleaved runs (T = ${T})`);
console.log('kind  m×n×k             product          loops      js    wasm  wasm/js');
const rows = [];
for (const [kind, m, n, k, what] of shapes) {
  const x = operands(Float32Array, kind, m, n, k);
  const vs = variants(kind, m, n, k, x);
  const t = vs.map(() => []);
  for (let r = 0; r < reps; r++) vs.forEach(([, run], i) => t[i].push(run()));
  const med = t.map(median);
  rows.push(med[2] / med[1]);
  console.log(`${kind}    ${`${m}×${n}×${k}`.padEnd(16)}  ${what.padEnd(15)} ${med.map((v) => v.toFixed(2).padStart(6)).join('  ')}  ${(med[2] / med[1]).toFixed(2).padStart(6)}×`);
}
console.log(`geometric mean wasm/js ${Math.exp(rows.reduce((s, r) => s + Math.log(r), 0) / rows.length).toFixed(2)}×`);
neu.setGemmWasm(true);

// ---- Correctness: new vs old on odd shapes, sub-views, accumulate, both precisions ----
const sizes = [1, 3, 7, 8, 13, 64, 65, 256, 1024];
const pick = () => sizes[Math.floor(Math.random() * sizes.length)];
let worst = { Float32Array: 0, Float64Array: 0 };
let cases = 0;
for (const Arr of [Float32Array, Float64Array]) {
  for (let t = 0; t < 150; t++) {
    for (const kind of ['NN', 'NT', 'TN']) {
      let [m, n, k] = [pick(), pick(), pick()];
      while (m * n * k > 2e6) [m, n, k] = [pick(), pick(), pick()];
      const pad = t % 3 === 0 ? 0 : 1 + (t % 5);
      const x = operands(Arr, kind, m, n, k, pad, t % 2 ? 3 : 0);
      const accumulate = t % 2 === 1;
      const cOld = { ...x.c, data: x.c.data.slice() };
      const cNew = { ...x.c, data: x.c.data.slice() };
      old[kind](m, n, k, x.a, x.b, cOld, accumulate);
      cur[kind](m, n, k, x.a, x.b, cNew, accumulate);
      // Whole buffers compared: elements outside the m × n view must be untouched by both.
      let err = 0;
      for (let i = 0; i < cOld.data.length; i++) err = Math.max(err, Math.abs(cOld.data[i] - cNew.data[i]) / Math.sqrt(k + 1));
      worst[Arr.name] = Math.max(worst[Arr.name], err);
      cases++;
    }
  }
}
// Entries are sums of k products of numbers in [-1, 1] (typical size √k), hence the √k scaling of the error.
const ok = worst.Float32Array < 1e-5 && worst.Float64Array < 1e-13;
console.log(`correctness: ${cases} cases, max |new − old| / √k: float32 ${worst.Float32Array.toExponential(2)}, float64 ${worst.Float64Array.toExponential(2)} → ${ok ? 'OK' : 'MISMATCH'}`);
process.exitCode = ok ? 0 : 1;
