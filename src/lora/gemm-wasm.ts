/**
 * WebAssembly SIMD backend of the LoRA matrix products (src/lora/gemm.ts) for the Float32Array case. The kernels are
 * tools/lora/gemm.wat, embedded as bytes in gemm-wasm-bytes.ts; this file owns their memory.
 *
 * Each call copies the operand views into wasm memory (rows packed contiguous), runs a tile kernel and copies C back.
 * (Keeping the frozen weights resident instead was measured at ~5 % of an epoch: not worth a cache that callers must
 * invalidate.) The module is compiled and instantiated synchronously on first use (fine in
 * workers and Node, where LoRA runs); if WebAssembly SIMD is missing or anything fails, `gemmWasm` returns false
 * for good and gemm.ts keeps its JS kernels. Under Node, INPAGE_LORA_NO_WASM=1 turns the backend off.
 */
import { GEMM_WASM_BASE64 } from './gemm-wasm-bytes.js';
import type { Mat } from './gemm.js';

interface Kernels {
  mem: WebAssembly.Memory;
  /** C(i, j) (+)= Σ_p A(i, p) B(p, j); A(i, p) at a + i·ai + p·ap; m % 4 = 0, n % 8 = 0; bytes throughout. */
  rr(m: number, n: number, k: number, a: number, ai: number, ap: number, b: number, bld: number, c: number, cld: number, acc: number): void;
  /** C(i, j) (+)= Σ_p A(i, p) B(j, p), rows of A and B contiguous; m % 2 = 0, n % 4 = 0, k % 4 = 0. */
  nt(m: number, n: number, k: number, a: number, ald: number, b: number, bld: number, c: number, cld: number, acc: number): void;
}

/**
 * Products with fewer multiply-adds than this stay in JS, where they cost less than the copies and the call into
 * wasm. Measured (Node 20, x64): the two break even near m·n·k ≈ 500 for tile-aligned shapes and ≈ 2000 for awkward
 * ones (13 × 13 × 13, k not a multiple of 4); from 4096 on wasm won every shape tried, by 1.8–5×.
 */
export const WASM_MIN_MNK = 4096;

let kernels: Kernels | null | undefined;
let enabled = true;
/** Float view of the wasm memory; recreated whenever the memory grows (growing detaches the old buffer). */
let heap = new Float32Array(0);

function nodeOptOut(): boolean {
  // Read through globalThis so that browser bundles never reference `process`.
  const proc = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  const v = proc?.env?.INPAGE_LORA_NO_WASM;
  return v !== undefined && v !== '' && v !== '0';
}

function load(): Kernels | null {
  if (kernels !== undefined) return kernels;
  kernels = null;
  try {
    if (nodeOptOut() || typeof WebAssembly !== 'object') return null;
    const bin = atob(GEMM_WASM_BASE64);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    const exports = new WebAssembly.Instance(new WebAssembly.Module(bytes), {}).exports as unknown as Kernels;
    heap = new Float32Array(exports.mem.buffer);
    kernels = exports;
  } catch {
    kernels = null;
  }
  return kernels;
}

/** Makes the wasm memory at least `bytes` long; false if it cannot grow. */
function reserve(k: Kernels, bytes: number): boolean {
  const have = k.mem.buffer.byteLength;
  if (bytes > have) {
    try {
      k.mem.grow(Math.ceil((bytes - have) / 65536));
    } catch {
      return false;
    }
  }
  if (heap.buffer !== k.mem.buffer) heap = new Float32Array(k.mem.buffer);
  return true;
}

const up = (x: number, to: number): number => Math.ceil(x / to) * to;

/** Turns the wasm backend on or off at run time (benchmarks and tests compare the two in one process). */
export function setGemmWasm(on: boolean): void {
  enabled = on;
}

/** Whether products of Float32Arrays currently run in WebAssembly (loads the module on first call). */
export function gemmWasmActive(): boolean {
  return enabled && load() !== null;
}

/** Rows narrower than this are copied element by element: cheaper than a subarray object and a set() per row. */
const NARROW = 32;

/**
 * Copies `rows × cols` of a view into the heap at float index `dst` with row stride `ld` (floats), zeroing columns
 * cols … ld − 1 when `zeroPad`.
 */
function pack(src: Float32Array, off: number, sld: number, rows: number, cols: number, dst: number, ld: number, zeroPad: boolean): void {
  const h = heap;
  if (sld === cols && ld === cols) {
    h.set(src.subarray(off, off + rows * cols), dst);
    return;
  }
  for (let i = 0; i < rows; i++) {
    const s = off + i * sld, d = dst + i * ld;
    if (cols < NARROW) for (let j = 0; j < cols; j++) h[d + j] = src[s + j];
    else h.set(src.subarray(s, s + cols), d);
    if (zeroPad) for (let j = cols; j < ld; j++) h[d + j] = 0;
  }
}

/** Copies `rows × cols` from the heap (float index `src`, stride `ld`) into a view. */
function unpack(src: number, ld: number, rows: number, cols: number, c: Mat): void {
  const C = c.data, h = heap;
  if (c.ld === cols && ld === cols) {
    C.set(h.subarray(src, src + rows * cols), c.off);
    return;
  }
  for (let i = 0; i < rows; i++) {
    const s = src + i * ld, d = c.off + i * c.ld;
    if (cols < NARROW) for (let j = 0; j < cols; j++) C[d + j] = h[s + j];
    else C.set(h.subarray(s, s + cols), d);
  }
}

/**
 * Runs C (+)= op(A) · op(B) in WebAssembly when all three are Float32Arrays, the product is big enough and the
 * backend loaded; returns false (having touched nothing) when gemm.ts should use its JS kernel instead.
 * `kind` is gemm.ts's NN (A[m × k] · B[k × n]), NT (A[m × k] · B[n × k]ᵀ) or TN (A[k × m]ᵀ · B[k × n]).
 */
export function gemmWasm(kind: 'NN' | 'NT' | 'TN', m: number, n: number, k: number, a: Mat, b: Mat, c: Mat, accumulate: boolean): boolean {
  if (!enabled || m * n * k < WASM_MIN_MNK) return false;
  const A = a.data, B = b.data;
  if (!(A instanceof Float32Array && B instanceof Float32Array && c.data instanceof Float32Array)) return false;
  const w = load();
  if (!w) return false;
  const nt = kind === 'NT';
  // Tile-rounded shape of C and the zero-padded shared dimension (only nt sums over k in blocks of 4).
  const mp = up(m, nt ? 2 : 4), np = up(n, nt ? 4 : 8), kp = nt ? up(k, 4) : k;
  // Operand shapes as stored: A is [k × m] for TN, B is [n × k] for NT.
  const [aRows, aCols] = kind === 'TN' ? [k, m] : [m, k];
  const [bRows, bCols] = nt ? [n, k] : [k, n];
  // Scratch layout (floats, from 0): A, B, C, each in rows of its padded width.
  const aLd = kind === 'TN' ? mp : kp, bLd = nt ? kp : np;
  const aF = 0;
  const bF = up(aF + (kind === 'TN' ? k : mp) * aLd, 16);
  const cF = up(bF + (nt ? np : k) * bLd, 16);
  // Slack past the end: tile rounding reads up to 3 rows / 7 columns past an operand (results discarded).
  const slack = 4 * (4 * Math.max(aLd, bLd, np) + 64);
  if (!reserve(w, (cF + mp * np) * 4 + slack)) return false;
  pack(A, a.off, a.ld, aRows, aCols, aF, aLd, nt);
  pack(B, b.off, b.ld, bRows, bCols, bF, bLd, nt);
  const aAddr = aF * 4, aStride = aLd * 4, bAddr = bF * 4, bStride = bLd * 4;
  if (accumulate) pack(c.data, c.off, c.ld, m, n, cF, np, false);
  const acc = accumulate ? 1 : 0;
  if (nt) w.nt(mp, np, kp, aAddr, aStride, bAddr, bStride, cF * 4, np * 4, acc);
  else if (kind === 'NN') w.rr(mp, np, k, aAddr, aStride, 4, bAddr, bStride, cF * 4, np * 4, acc);
  else w.rr(mp, np, k, aAddr, 4, aStride, bAddr, bStride, cF * 4, np * 4, acc);
  unpack(cF, np, m, n, c);
  return true;
}
