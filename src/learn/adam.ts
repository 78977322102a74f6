/** Adam with decoupled-from-bias L2: the optimiser every head trains with. Pure, in place on Float32Arrays. */

export interface AdamOptions {
  learningRate: number;
  /** L2 penalty on the parameters where `decay[i]` is 1 (weights, not biases). */
  l2: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

export class Adam {
  private readonly m: Float32Array;
  private readonly v: Float32Array;
  private t = 0;

  constructor(
    private readonly params: Float32Array,
    private readonly decay: Uint8Array,
    private readonly options: AdamOptions,
  ) {
    this.m = new Float32Array(params.length);
    this.v = new Float32Array(params.length);
  }

  /** One update from `grad` (the gradient of the mean batch loss, without the L2 term). */
  step(grad: Float32Array): void {
    const { learningRate: lr, l2, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8 } = this.options;
    this.t++;
    const c1 = 1 - beta1 ** this.t;
    const c2 = 1 - beta2 ** this.t;
    const p = this.params;
    const { m, v, decay } = this;
    for (let i = 0; i < p.length; i++) {
      const g = grad[i] + (decay[i] ? l2 * p[i] : 0);
      m[i] = beta1 * m[i] + (1 - beta1) * g;
      v[i] = beta2 * v[i] + (1 - beta2) * g * g;
      p[i] -= (lr * (m[i] / c1)) / (Math.sqrt(v[i] / c2) + epsilon);
    }
  }
}
