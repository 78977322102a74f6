/** The float32 training path's fast erf/GELU against the exact series the float64 gradient checks use. */
import { describe, expect, it } from 'vitest';
import { erf, erfFast, gelu, geluGrad, geluGradMul, geluInto } from '../../src/lora/gelu.js';

describe('fast GELU (float32 path)', () => {
  it('erfFast is within 2e-7 of erf on [-7, 7], and GELU / GELU′ buffers agree within 1e-6', () => {
    const xs = Float32Array.from({ length: 14001 }, (_, i) => -7 + i / 1000);
    let worst = 0;
    for (const x of xs) worst = Math.max(worst, Math.abs(erfFast(x) - erf(x)));
    expect(worst).toBeLessThan(2e-7);
    const g = new Float32Array(xs.length);
    geluInto(xs, xs.length, g);
    const d = new Float32Array(xs.length).fill(1);
    geluGradMul(xs, xs.length, d);
    xs.forEach((x, i) => {
      expect(Math.abs(g[i] - gelu(x))).toBeLessThan(1e-6 * Math.max(1, Math.abs(x)));
      expect(Math.abs(d[i] - geluGrad(x))).toBeLessThan(1e-6);
    });
  });
});
