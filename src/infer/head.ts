/**
 * Head files: validation against the loaded encoder, and applying a head to pooled vectors. Pure.
 */
import { HeadMismatchError, InvalidHeadError } from '../errors.js';
import type { HeadFile } from '../types.js';
import { logitsToScores } from './activations.js';

function isNumArray(a: unknown, len: number): a is number[] {
  return Array.isArray(a) && a.length === len && a.every((x) => typeof x === 'number' && Number.isFinite(x));
}

function checkMatrix(m: unknown, rows: number, cols: number, what: string): void {
  if (!Array.isArray(m) || m.length !== rows || !m.every((row) => isNumArray(row, cols))) {
    throw new InvalidHeadError(`${what} must be ${rows}×${cols} finite numbers`);
  }
}

/**
 * Checks a parsed head file's shape and that it fits the encoder (`modelId`, `dim`); throws a typed error naming the
 * field. Returns the head typed.
 * @example const head = validateHead(JSON.parse(text), { modelId: info.modelId, dim: info.dim });
 */
export function validateHead(raw: unknown, encoder: { modelId: string; dim: number }): HeadFile {
  if (!raw || typeof raw !== 'object') throw new InvalidHeadError('a head file must be a JSON object');
  const h = raw as Partial<HeadFile>;
  if (h.format !== 'inpage-classifier/head@1') {
    throw new InvalidHeadError(`unknown head format ${JSON.stringify(h.format)}; expected "inpage-classifier/head@1"`);
  }
  if (h.type !== 'linear' && h.type !== 'mlp') throw new InvalidHeadError(`unknown head type ${JSON.stringify(h.type)}`);
  if (h.problemType !== 'single_label_classification' && h.problemType !== 'multi_label_classification') {
    throw new InvalidHeadError(`unknown problemType ${JSON.stringify(h.problemType)}`);
  }
  if (typeof h.modelId !== 'string' || !h.modelId) throw new InvalidHeadError('modelId is missing');
  if (typeof h.dims !== 'number' || !Number.isInteger(h.dims) || h.dims < 1) throw new InvalidHeadError('dims is missing');
  if (h.modelId !== encoder.modelId) {
    throw new HeadMismatchError(`head was trained on model "${h.modelId}", but the loaded model is "${encoder.modelId}"`);
  }
  if (h.dims !== encoder.dim) {
    throw new HeadMismatchError(`head expects ${h.dims}-d vectors, but model "${encoder.modelId}" gives ${encoder.dim}-d`);
  }
  const concepts = h.concepts;
  if (!Array.isArray(concepts) || concepts.length < 1 || !concepts.every((c) => typeof c === 'string' && c)) {
    throw new InvalidHeadError('concepts must be a non-empty array of names');
  }
  if (new Set(concepts).size !== concepts.length) throw new InvalidHeadError('concepts must be unique');
  let inDim = h.dims;
  if (h.type === 'mlp') {
    const hid = h.hidden;
    if (!hid || !Array.isArray(hid.weights) || hid.weights.length < 1) throw new InvalidHeadError('mlp head needs hidden');
    checkMatrix(hid.weights, hid.weights.length, h.dims, 'hidden.weights');
    if (!isNumArray(hid.bias, hid.weights.length)) throw new InvalidHeadError('hidden.bias has the wrong length');
    inDim = hid.weights.length;
  }
  checkMatrix(h.weights, concepts.length, inDim, 'weights');
  if (!isNumArray(h.bias, concepts.length)) throw new InvalidHeadError(`bias must have ${concepts.length} numbers`);
  const t = h.calibration?.temperature;
  if (t !== undefined && !(typeof t === 'number' && t > 0 && Number.isFinite(t))) {
    throw new InvalidHeadError('calibration.temperature must be a positive number');
  }
  return h as HeadFile;
}

/** A head compiled to flat Float32Arrays for fast application. */
export interface CompiledHead {
  concepts: string[];
  problemType: HeadFile['problemType'];
  normalize: boolean;
  pooling: 'mean' | 'cls';
  apply(vectors: Float32Array, dim: number): Float32Array;
}

function flat(m: number[][]): Float32Array {
  const cols = m[0]?.length ?? 0;
  const out = new Float32Array(m.length * cols);
  m.forEach((row, r) => out.set(row, r * cols));
  return out;
}

/** y[n × out] = x[n × in] · Wᵀ + b */
function affine(x: Float32Array, inDim: number, w: Float32Array, b: Float32Array): Float32Array {
  const n = x.length / inDim;
  const outDim = b.length;
  const y = new Float32Array(n * outDim);
  for (let i = 0; i < n; i++) {
    for (let o = 0; o < outDim; o++) {
      let s = b[o];
      const wo = o * inDim;
      const xi = i * inDim;
      for (let d = 0; d < inDim; d++) s += x[xi + d] * w[wo + d];
      y[i * outDim + o] = s;
    }
  }
  return y;
}

/** Compiles a validated head. `apply` maps pooled (already normalised if `normalize`) vectors to scores. */
export function compileHead(head: HeadFile): CompiledHead {
  const w = flat(head.weights);
  const b = Float32Array.from(head.bias);
  const hw = head.hidden ? flat(head.hidden.weights) : null;
  const hb = head.hidden ? Float32Array.from(head.hidden.bias) : null;
  const temperature = head.calibration?.temperature ?? 1;
  return {
    concepts: [...head.concepts],
    problemType: head.problemType,
    normalize: head.normalize ?? true,
    pooling: head.pooling ?? 'mean',
    apply(vectors, dim) {
      let x = vectors;
      let inDim = dim;
      if (hw && hb) {
        x = affine(x, dim, hw, hb);
        for (let i = 0; i < x.length; i++) if (x[i] < 0) x[i] = 0;
        inDim = hb.length;
      }
      return logitsToScores(affine(x, inDim, w, b), b.length, head.problemType, temperature);
    },
  };
}
