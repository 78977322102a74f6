/**
 * Shapes shared by the LoRA kernels. Everything is a flat row-major array; the kernels take either precision so the
 * gradient checks can run in float64 while training runs in float32.
 */

/** A flat numeric array: Float32Array in training, Float64Array in the finite-difference tests. */
export type Vec = Float32Array | Float64Array;

/**
 * The frozen weights of one post-LN BERT layer (tools/default-model/model.py `Layer`). Projections are stored as ONNX
 * MatMul holds them, `[in × out]`, so `y = x · W + b`.
 */
export interface LayerWeights {
  hidden: number;
  heads: number;
  ff: number;
  /** Layer-norm epsilon (config `layer_norm_eps`, 1e-12 in our models). */
  eps: number;
  wq: Vec;
  bq: Vec;
  wk: Vec;
  bk: Vec;
  wv: Vec;
  bv: Vec;
  wo: Vec;
  bo: Vec;
  ln1g: Vec;
  ln1b: Vec;
  /** [hidden × ff] */
  w1: Vec;
  b1: Vec;
  /** [ff × hidden] */
  w2: Vec;
  b2: Vec;
  ln2g: Vec;
  ln2b: Vec;
}

/**
 * Low-rank adapters of one layer, as top.onnx takes them: `q += x · Aqᵀ · Bqᵀ` with A `[r × hidden]`, B `[hidden × r]`
 * (likewise for the value projection). All zeros is the base model.
 */
export interface LoraMatrices {
  r: number;
  aq: Vec;
  bq: Vec;
  av: Vec;
  bv: Vec;
}

/** Zero adapters (or zero gradient buffers) of rank r for a hidden size. */
export function zeroLora(hidden: number, r: number, make: (n: number) => Vec = (n) => new Float32Array(n)): LoraMatrices {
  return { r, aq: make(r * hidden), bq: make(hidden * r), av: make(r * hidden), bv: make(hidden * r) };
}
