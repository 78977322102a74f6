/** The contract between the training loop and a head's network (linear or MLP). */

/** Feature standardisation ((x − mean) · invStd) that `toWeights` folds back into the first layer. */
export interface Standardizer {
  mean: Float32Array;
  invStd: Float32Array;
}

/** Weights as a head file stores them: `weights`/`bias` are the output layer; `hidden` the MLP's ReLU layer. */
export interface HeadWeights {
  weights: number[][];
  bias: number[];
  hidden?: { weights: number[][]; bias: number[] };
}

export interface HeadNet {
  /** Every trainable number, flat; the optimiser updates it in place. */
  readonly params: Float32Array;
  /** 1 where L2 applies (weights), 0 where not (biases). */
  readonly decay: Uint8Array;
  /** Logits of `rows` contiguous input rows `x` [rows × dim] into `out` [rows × classes]. */
  forward(x: Float32Array, rows: number, out: Float32Array): void;
  /** Adds d(loss)/d(params) into `grad`, given d(loss)/d(logits) of the rows of the last `forward`. */
  backward(x: Float32Array, rows: number, dLogits: Float32Array, grad: Float32Array): void;
  /** The weights in the raw input space: the standardisation folded into the first layer. */
  toWeights(std: Standardizer): HeadWeights;
}

/** y[rows × outDim] = x[rows × inDim] · W[outDim × inDim]ᵀ + b, reading W and b from `p` at `wAt` / `bAt`. */
export function affineForward(
  x: Float32Array,
  rows: number,
  inDim: number,
  p: Float32Array,
  wAt: number,
  bAt: number,
  outDim: number,
  y: Float32Array,
): void {
  for (let r = 0; r < rows; r++) {
    const xo = r * inDim;
    for (let o = 0; o < outDim; o++) {
      let s = p[bAt + o];
      const wo = wAt + o * inDim;
      for (let d = 0; d < inDim; d++) s += x[xo + d] * p[wo + d];
      y[r * outDim + o] = s;
    }
  }
}

/** Adds dY's gradient into g (same offsets as `affineForward`'s W and b). */
export function affineBackward(
  x: Float32Array,
  rows: number,
  inDim: number,
  dy: Float32Array,
  outDim: number,
  g: Float32Array,
  wAt: number,
  bAt: number,
): void {
  for (let r = 0; r < rows; r++) {
    const xo = r * inDim;
    for (let o = 0; o < outDim; o++) {
      const d = dy[r * outDim + o];
      if (d === 0) continue;
      g[bAt + o] += d;
      const wo = wAt + o * inDim;
      for (let k = 0; k < inDim; k++) g[wo + k] += d * x[xo + k];
    }
  }
}

/** Rows of a flat [outDim × inDim] block as arrays; with `std`, folded: W/σ and b − W·μ/σ. */
export function exportAffine(
  p: Float32Array,
  wAt: number,
  bAt: number,
  outDim: number,
  inDim: number,
  std?: Standardizer,
): { weights: number[][]; bias: number[] } {
  const weights: number[][] = [];
  const bias: number[] = [];
  for (let o = 0; o < outDim; o++) {
    const row = new Array<number>(inDim);
    let b = p[bAt + o];
    for (let d = 0; d < inDim; d++) {
      const w = p[wAt + o * inDim + d];
      row[d] = std ? w * std.invStd[d] : w;
      if (std) b -= w * std.invStd[d] * std.mean[d];
    }
    weights.push(row);
    bias.push(b);
  }
  return { weights, bias };
}
