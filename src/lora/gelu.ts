/** The exact (erf) GELU that torch's `F.gelu` and the exported ONNX graph compute, and its derivative. */

const SQRT1_2 = Math.SQRT1_2;
const INV_SQRT_PI = 1 / Math.sqrt(Math.PI);
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/**
 * erf to about 1e-14: Maclaurin series near 0, Lentz continued fraction for erfc in the tails. JavaScript has no
 * built-in erf, and the float64 gradient checks need one far better than the usual 1e-7 approximations.
 * @example erf(1) // 0.8427007929497149
 */
export function erf(x: number): number {
  const ax = Math.abs(x);
  if (ax < 2.5) {
    // erf(x) = 2/√π Σ (−1)ⁿ x^(2n+1) / (n! (2n+1))
    const x2 = x * x;
    let term = x;
    let sum = x;
    for (let n = 1; n < 60; n++) {
      term *= -x2 / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    return 2 * INV_SQRT_PI * sum;
  }
  if (ax > 6) return Math.sign(x);
  // erfc(x) = e^(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))), evaluated bottom-up.
  let f = ax;
  for (let n = 40; n >= 1; n--) f = ax + n / 2 / f;
  const erfc = (Math.exp(-ax * ax) * INV_SQRT_PI) / f;
  return Math.sign(x) * (1 - erfc);
}

/** GELU(x) = x · Φ(x). @example gelu(1) // 0.8413447460685429 */
export const gelu = (x: number): number => 0.5 * x * (1 + erf(x * SQRT1_2));

/** d GELU / dx = Φ(x) + x · φ(x). @example geluGrad(0) // 0.5 */
export const geluGrad = (x: number): number =>
  0.5 * (1 + erf(x * SQRT1_2)) + x * INV_SQRT_2PI * Math.exp(-0.5 * x * x);

/**
 * erf to ~1.5e-7 (Abramowitz & Stegun 7.1.26): one exp and a division instead of a series. Far below float32's
 * resolution of GELU's output, and the series above was the training loop's largest cost after the GEMMs.
 * @example erfFast(1) // 0.84270…
 */
export function erfFast(x: number): number {
  const ax = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * ax);
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-ax * ax);
  return x < 0 ? -y : y;
}

/** GELU and its derivative over a float32 buffer (the training path): out[i] = GELU(x[i]). */
export function geluInto(x: ArrayLike<number>, n: number, out: { [i: number]: number }): void {
  for (let i = 0; i < n; i++) {
    const v = x[i];
    out[i] = 0.5 * v * (1 + erfFast(v * SQRT1_2));
  }
}

/** d[i] *= GELU'(x[i]), float32 path. */
export function geluGradMul(x: ArrayLike<number>, n: number, d: { [i: number]: number }): void {
  for (let i = 0; i < n; i++) {
    const v = x[i];
    d[i] *= 0.5 * (1 + erfFast(v * SQRT1_2)) + v * INV_SQRT_2PI * Math.exp(-0.5 * v * v);
  }
}
