/**
 * AdamW (decoupled weight decay, Loshchilov & Hutter) over one flat parameter array, with its state exportable as
 * plain data: a checkpoint taken after any step resumes bit-for-bit, on this backend or another.
 */

export interface AdamWOptions {
  learningRate: number;
  /** Decoupled decay: p −= lr · weightDecay · p each step, where `decay[i]` is 1. */
  weightDecay: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

/** The optimiser's moments and step count, as numbers (structured-clone and JSON safe). */
export interface AdamWState {
  t: number;
  m: number[];
  v: number[];
}

/**
 * @example
 * const opt = new AdamW(params, null, { learningRate: 2e-3, weightDecay: 0.01 });
 * opt.step(grad); const saved = opt.state(); … opt.restore(saved);
 */
export class AdamW {
  private m: Float32Array;
  private v: Float32Array;
  private t = 0;

  constructor(
    readonly params: Float32Array,
    private readonly decay: Uint8Array | null,
    private readonly options: AdamWOptions,
  ) {
    this.m = new Float32Array(params.length);
    this.v = new Float32Array(params.length);
  }

  /** One update from `grad`, the gradient of the mean batch loss. */
  step(grad: Float32Array): void {
    const { learningRate: lr, weightDecay: wd, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8 } = this.options;
    this.t++;
    const c1 = 1 - beta1 ** this.t;
    const c2 = 1 - beta2 ** this.t;
    const { params: p, m, v, decay } = this;
    for (let i = 0; i < p.length; i++) {
      const g = grad[i];
      m[i] = beta1 * m[i] + (1 - beta1) * g;
      v[i] = beta2 * v[i] + (1 - beta2) * g * g;
      if (!decay || decay[i]) p[i] -= lr * wd * p[i];
      p[i] -= (lr * (m[i] / c1)) / (Math.sqrt(v[i] / c2) + epsilon);
    }
  }

  state(): AdamWState {
    return { t: this.t, m: Array.from(this.m), v: Array.from(this.v) };
  }

  restore(s: AdamWState): void {
    if (s.m.length !== this.m.length || s.v.length !== this.v.length) throw new RangeError('optimizer state has the wrong size');
    this.t = s.t;
    this.m = Float32Array.from(s.m);
    this.v = Float32Array.from(s.v);
  }
}
