/**
 * The LoRA kernel layer against finite differences, in float64: every adapter entry of a two-layer stack (and the
 * stack's input) through mean pooling, L2 normalisation, a linear head and softmax cross-entropy, with a padded
 * sequence so the additive mask is exercised. Plus the pieces one by one (GELU, erf, layer norm).
 */
import { describe, expect, it } from 'vitest';
import { erf, gelu, geluGrad } from '../../src/lora/gelu.js';
import { layerNorm, layerNormBackward } from '../../src/lora/layer-norm.js';
import { meanPool, meanPoolBackward } from '../../src/lora/pool.js';
import { LayerStack } from '../../src/lora/stack.js';
import { zeroLora, type LayerWeights, type LoraMatrices, type Vec } from '../../src/lora/types.js';
import { gaussian, seededRandom, type Rng } from '../../src/learn/random.js';

const f64 = (n: number) => new Float64Array(n);
const randn = (n: number, rng: Rng, s = 1, mu = 0) => Float64Array.from({ length: n }, () => mu + s * gaussian(rng));

function randomLayer(H: number, heads: number, ff: number, rng: Rng): LayerWeights {
  const m = (a: number, b: number) => randn(a * b, rng, 0.4);
  const b = (n: number) => randn(n, rng, 0.1);
  return {
    hidden: H, heads, ff, eps: 1e-12,
    wq: m(H, H), bq: b(H), wk: m(H, H), bk: b(H), wv: m(H, H), bv: b(H), wo: m(H, H), bo: b(H),
    ln1g: randn(H, rng, 0.2, 1), ln1b: b(H), w1: m(H, ff), b1: b(ff), w2: m(ff, H), b2: b(H),
    ln2g: randn(H, rng, 0.2, 1), ln2b: b(H),
  };
}

function randomLora(H: number, r: number, rng: Rng): LoraMatrices {
  return { r, aq: randn(r * H, rng, 0.3), bq: randn(H * r, rng, 0.3), av: randn(r * H, rng, 0.3), bv: randn(H * r, rng, 0.3) };
}

describe('LoRA kernels: finite differences (float64)', () => {
  const H = 8, heads = 2, ff = 12, T = 5, r = 3, C = 3;
  const rng = seededRandom(11);
  const layers = [randomLayer(H, heads, ff, rng), randomLayer(H, heads, ff, rng)];
  const lora = layers.map(() => randomLora(H, r, rng));
  const x = randn(T * H, rng);
  const tokenMask = [1, 1, 1, 0, 0];
  const addMask = Float64Array.from(tokenMask, (m) => (1 - m) * -10000);
  const head = randn(C * H, rng, 1);
  const label = 1;
  const stack = new LayerStack(layers, r, f64);

  /** Loss of the whole path; with `grads`, also the analytic gradients. */
  function loss(grads?: LoraMatrices[], dInput?: Vec): number {
    const out = stack.forward(x, T, addMask, lora);
    const pooled = f64(H);
    const norm = meanPool(out, T, H, tokenMask, true, pooled);
    const z = Array.from({ length: C }, (_, c) => pooled.reduce((s, p, j) => s + p * head[c * H + j], 0));
    const max = Math.max(...z);
    const lse = Math.log(z.reduce((s, v) => s + Math.exp(v - max), 0)) + max;
    if (grads) {
      const dz = z.map((v, c) => Math.exp(v - lse) - (c === label ? 1 : 0));
      const dPooled = f64(H).map((_, j) => dz.reduce((s, d, c) => s + d * head[c * H + j], 0));
      const dOut = f64(T * H);
      meanPoolBackward(dPooled, pooled, norm, T, H, tokenMask, true, dOut);
      stack.backward(T, dOut, lora, grads, dInput ?? null);
    }
    return lse - z[label];
  }

  it('adapter gradients of both layers match central differences', () => {
    const grads = layers.map(() => zeroLora(H, r, f64));
    loss(grads);
    let worst = 0;
    for (let l = 0; l < layers.length; l++) {
      for (const key of ['aq', 'bq', 'av', 'bv'] as const) {
        const p = lora[l][key];
        for (let i = 0; i < p.length; i++) {
          const keep = p[i];
          const h = 1e-6;
          p[i] = keep + h;
          const up = loss();
          p[i] = keep - h;
          const down = loss();
          p[i] = keep;
          const fd = (up - down) / (2 * h);
          const err = Math.abs(fd - grads[l][key][i]) / Math.max(1e-3, Math.abs(fd));
          worst = Math.max(worst, err);
          expect(err, `layer ${l} ${key}[${i}]: fd ${fd} vs ${grads[l][key][i]}`).toBeLessThan(1e-5);
        }
      }
    }
    expect(worst).toBeLessThan(1e-5);
  });

  it('the input gradient matches central differences; padded tokens get none', () => {
    const dInput = f64(T * H);
    loss(layers.map(() => zeroLora(H, r, f64)), dInput);
    for (let i = 0; i < x.length; i++) {
      const keep = x[i];
      x[i] = keep + 1e-6;
      const up = loss();
      x[i] = keep - 1e-6;
      const down = loss();
      x[i] = keep;
      const fd = (up - down) / 2e-6;
      expect(Math.abs(fd - dInput[i]), `x[${i}]`).toBeLessThan(1e-6 + 1e-5 * Math.abs(fd));
    }
    // Padded positions only act as keys with a −1e4 mask: their influence is e^−1e4 = 0.
    for (let i = 3 * H; i < T * H; i++) expect(Math.abs(dInput[i])).toBeLessThan(1e-12);
  });

  it('zero adapters give the base layer, whatever the gradient buffers hold', () => {
    const base = stack.forward(x, T, addMask, [null, null]).slice(0, T * H);
    const zero = stack.forward(x, T, addMask, layers.map(() => zeroLora(H, r, f64))).slice(0, T * H);
    expect(Array.from(zero)).toEqual(Array.from(base));
  });
});

describe('LoRA kernels: the pieces', () => {
  it('erf matches known values to 1e-13', () => {
    const known: [number, number][] = [
      [0, 0], [0.1, 0.1124629160182849], [0.5, 0.5204998778130465], [1, 0.8427007929497149],
      [2, 0.9953222650189527], [2.5, 0.9995930479825550], [3, 0.9999779095030014], [-1.5, -0.9661051464753108],
    ];
    for (const [x, y] of known) expect(Math.abs(erf(x) - y), `erf(${x})`).toBeLessThan(1e-13);
  });

  it('GELU derivative matches finite differences across the range', () => {
    for (let x = -7; x <= 7; x += 0.173) {
      const fd = (gelu(x + 1e-6) - gelu(x - 1e-6)) / 2e-6;
      expect(Math.abs(fd - geluGrad(x)), `x=${x}`).toBeLessThan(1e-8);
    }
  });

  it('layer norm backward matches finite differences', () => {
    const rng = seededRandom(3);
    const rows = 3, n = 6;
    const x = randn(rows * n, rng), g = randn(n, rng, 0.3, 1), b = randn(n, rng), w = randn(rows * n, rng);
    const xhat = f64(rows * n), rstd = f64(rows), y = f64(rows * n);
    const f = () => {
      layerNorm(x, rows, n, g, b, 1e-12, xhat, rstd, y);
      return y.reduce((s, v, i) => s + v * w[i], 0);
    };
    f();
    const dx = f64(rows * n);
    layerNormBackward(w, rows, n, g, xhat, rstd, dx, false);
    for (let i = 0; i < x.length; i++) {
      const keep = x[i];
      x[i] = keep + 1e-6;
      const up = f();
      x[i] = keep - 1e-6;
      const down = f();
      x[i] = keep;
      expect(Math.abs((up - down) / 2e-6 - dx[i])).toBeLessThan(1e-7);
    }
  });
});
