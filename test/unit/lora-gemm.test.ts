/**
 * The LoRA matrix products (src/lora/gemm.ts) on both backends, the WebAssembly SIMD one (Float32Array, big enough
 * products) and the JS kernels (everything else), against a float64 triple loop: odd sizes, sub-views with offsets
 * and row strides, accumulate on and off. Elements of C outside the view must
 * stay untouched.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/learn/random.js';
import { gemmNN, gemmNT, gemmTN, gemmWasmActive, setGemmWasm, type Mat } from '../../src/lora/gemm.js';
import type { Vec } from '../../src/lora/types.js';

type Kind = 'NN' | 'NT' | 'TN';
const kernels = { NN: gemmNN, NT: gemmNT, TN: gemmTN };
const rng = seededRandom(12345);
const sizes = [1, 3, 7, 8, 13, 64, 65, 256, 1024];
const pick = (): number => sizes[Math.floor(rng() * sizes.length)];

/** A [rows × cols] view with `pad` spare columns each side and `off` leading elements, filled with U(−1, 1). */
function mat(make: (n: number) => Vec, rows: number, cols: number, pad: number, off: number): Mat {
  const ld = cols + 2 * pad;
  const data = make(off + rows * ld + pad);
  for (let i = 0; i < data.length; i++) data[i] = rng() * 2 - 1;
  return { data, off: off + pad, ld };
}

function operands(make: (n: number) => Vec, kind: Kind, m: number, n: number, k: number, pad: number, off: number) {
  const [ar, ac] = kind === 'TN' ? [k, m] : [m, k];
  const [br, bc] = kind === 'NT' ? [n, k] : [k, n];
  return { a: mat(make, ar, ac, pad, off), b: mat(make, br, bc, pad, off), c: mat(make, m, n, pad, off) };
}

/** Float64 reference of C (+)= op(A) op(B) on a copy of C's whole buffer. */
function reference(kind: Kind, m: number, n: number, k: number, a: Mat, b: Mat, c: Mat, accumulate: boolean): Float64Array {
  const out = Float64Array.from(c.data);
  const A = (i: number, p: number) => (kind === 'TN' ? a.data[a.off + p * a.ld + i] : a.data[a.off + i * a.ld + p]);
  const B = (p: number, j: number) => (kind === 'NT' ? b.data[b.off + j * b.ld + p] : b.data[b.off + p * b.ld + j]);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += A(i, p) * B(p, j);
      const q = c.off + i * c.ld + j;
      out[q] = accumulate ? out[q] + s : s;
    }
  }
  return out;
}

/** max |got − want| / √(k + 1) over the whole buffer (entries are sums of k products of U(−1, 1): size ~√k). */
function error(got: Vec, want: Float64Array, k: number): number {
  let e = 0;
  for (let i = 0; i < got.length; i++) e = Math.max(e, Math.abs(got[i] - want[i]) / Math.sqrt(k + 1));
  return e;
}

function randomShape(): [number, number, number] {
  for (;;) {
    const s: [number, number, number] = [pick(), pick(), pick()];
    if (s[0] * s[1] * s[2] <= 1 << 20) return s;
  }
}

describe('LoRA GEMM kernels', () => {
  afterAll(() => setGemmWasm(true));

  it('loads the WebAssembly SIMD backend in Node', () => {
    setGemmWasm(true);
    expect(gemmWasmActive()).toBe(true);
  });

  for (const [label, wasm] of [['wasm', true], ['js', false]] as const) {
    it(`float32 on ${label}: random shapes, sub-views, accumulate`, () => {
      setGemmWasm(wasm);
      let worst = 0;
      for (let t = 0; t < 60; t++) {
        for (const kind of ['NN', 'NT', 'TN'] as const) {
          const [m, n, k] = randomShape();
          const pad = t % 3 === 0 ? 0 : 1 + (t % 5);
          const x = operands((len) => new Float32Array(len), kind, m, n, k, pad, t % 2 ? 3 : 0);
          const accumulate = t % 2 === 1;
          const want = reference(kind, m, n, k, x.a, x.b, x.c, accumulate);
          kernels[kind](m, n, k, x.a, x.b, x.c, accumulate);
          const e = error(x.c.data, want, k);
          if (e > 1e-5) throw new Error(`${kind} ${m}×${n}×${k} pad ${pad} acc ${accumulate}: error ${e}`);
          worst = Math.max(worst, e);
        }
      }
      expect(worst).toBeLessThan(1e-5);
    });
  }

  it('float64 stays on the JS kernels at full precision', () => {
    setGemmWasm(true);
    for (let t = 0; t < 30; t++) {
      for (const kind of ['NN', 'NT', 'TN'] as const) {
        const [m, n, k] = randomShape();
        const x = operands((len) => new Float64Array(len), kind, m, n, k, t % 2, t % 3);
        const want = reference(kind, m, n, k, x.a, x.b, x.c, t % 2 === 1);
        kernels[kind](m, n, k, x.a, x.b, x.c, t % 2 === 1);
        expect(error(x.c.data, want, k)).toBeLessThan(1e-13);
      }
    }
  });

  it('the shapes of one LoRA layer (T = 13, hidden 256, ffn 1024, rank 8) are accurate and deterministic', () => {
    setGemmWasm(true);
    const T = 13, H = 256, F = 1024, r = 8;
    const shapes: [Kind, number, number, number][] = [
      ['NN', T, H, H], ['NN', T, F, H], ['NN', T, H, F], ['NN', T, r, H], ['NN', T, H, r],
      ['NT', T, F, H], ['NT', T, H, F], ['NT', T, H, H], ['NT', T, r, H], ['NT', T, H, r],
      ['TN', H, r, T], ['TN', r, H, T],
    ];
    for (const [kind, m, n, k] of shapes) {
      for (const accumulate of [false, true]) {
        const x = operands((len) => new Float32Array(len), kind, m, n, k, 0, 0);
        const want = reference(kind, m, n, k, x.a, x.b, x.c, accumulate);
        const c0 = x.c.data.slice();
        const run = (b: Mat): Vec => {
          const c = { ...x.c, data: c0.slice() };
          kernels[kind](m, n, k, x.a, b, c, accumulate);
          return c.data;
        };
        const plain = run(x.b);
        expect(error(plain, want, k)).toBeLessThan(1e-5);
        expect(run(x.b)).toEqual(plain);
      }
    }
  });

  it('the committed module bytes are what tools/lora/gemm.wat assembles to', async () => {
    const { execFileSync } = await import('node:child_process');
    expect(execFileSync(process.execPath, ['tools/lora/build-gemm-wasm.mjs', '--check'], { encoding: 'utf8' })).toMatch(/up to date/);
  });
});
