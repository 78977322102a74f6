/**
 * The head as ONNX nodes over an encoder's `last_hidden_state`: masked mean (or CLS) pooling → optional L2
 * normalisation → (MLP: MatMul + Add + Relu) → MatMul + Add → ÷ temperature → `logits` [batch, concepts]. The same
 * math as `pool`, `normalizeRows` and `compileHead`, in float32. Pure.
 */
import type { HeadFile } from '../types.js';
import { AttributeType, DataType, type OnnxAttribute, type OnnxDimension, type OnnxNode, type OnnxTensor, type OnnxValueInfo } from './onnx-schema.js';

/** The new output's name: what transformers.js and our engine look for. */
export const LOGITS = 'logits';

export interface HeadGraphIo {
  /** Name of the encoder's [batch, sequence, dim] float output. */
  hidden: string;
  /** Name of the [batch, sequence] int attention-mask input. */
  mask: string;
  /** The batch dimension of the hidden output, reused for `logits`. */
  batchDim: OnnxDimension;
  /** The graph's default-domain opset: ReduceSum takes `axes` as an input from 13 on, an attribute before. */
  opset: number;
  /** Prefix of every new node, tensor and initializer name, unused by the encoder graph. */
  prefix: string;
}

export interface HeadGraph {
  nodes: OnnxNode[];
  initializers: OnnxTensor[];
  output: OnnxValueInfo;
}

// ONNX raw_data is little-endian; so is every platform ORT-web runs on, but say so rather than assume.
function floatBytes(a: Float32Array): Uint8Array {
  const view = new DataView(new ArrayBuffer(a.length * 4));
  a.forEach((x, k) => view.setFloat32(k * 4, x, true));
  return new Uint8Array(view.buffer);
}

function int64Bytes(a: readonly number[]): Uint8Array {
  const view = new DataView(new ArrayBuffer(a.length * 8));
  a.forEach((x, k) => view.setBigInt64(k * 8, BigInt(x), true));
  return new Uint8Array(view.buffer);
}

/** [out × in] rows as a row-major [in × out] float tensor, so that MatMul(x, Wᵀ) needs no Transpose node. */
function transposed(m: number[][]): Float32Array {
  const rows = m.length;
  const cols = m[0].length;
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = m[r][c];
  return out;
}

/**
 * Nodes, initializers and the `logits` output that put `head` on the encoder graph.
 * @example const g = buildHeadGraph(head, { hidden: 'last_hidden_state', mask: 'attention_mask', batchDim: { dimParam: 'batch' }, opset: 14, prefix: 'inpage_head/' });
 */
export function buildHeadGraph(head: HeadFile, io: HeadGraphIo): HeadGraph {
  const nodes: OnnxNode[] = [];
  const initializers: OnnxTensor[] = [];
  const name = (what: string): string => `${io.prefix}${what}`;
  const node = (opType: string, out: string, input: string[], attribute?: OnnxAttribute[]): string => {
    nodes.push({ name: name(out), opType, input, output: [name(out)], ...(attribute ? { attribute } : {}) });
    return name(out);
  };
  const floats = (what: string, dims: number[], data: Float32Array): string => {
    initializers.push({ name: name(what), dims, dataType: DataType.FLOAT, rawData: floatBytes(data) });
    return name(what);
  };
  const int64s = (what: string, dims: number[], data: number[]): string => {
    initializers.push({ name: name(what), dims, dataType: DataType.INT64, rawData: int64Bytes(data) });
    return name(what);
  };
  const int = (attr: string, i: number): OnnxAttribute => ({ name: attr, type: AttributeType.INT, i });
  const sumOverAxis1 = (out: string, x: string, keepdims: number): string =>
    io.opset >= 13
      ? node('ReduceSum', out, [x, int64s(`${out}_axes`, [1], [1])], [int('keepdims', keepdims)])
      : node('ReduceSum', out, [x], [{ name: 'axes', type: AttributeType.INTS, ints: [1] }, int('keepdims', keepdims)]);

  let x: string;
  if ((head.pooling ?? 'mean') === 'cls') {
    x = node('Gather', 'pooled', [io.hidden, int64s('cls_index', [], [0])], [int('axis', 1)]);
  } else {
    // Σ_t h[b,t,:]·m[b,t] / max(Σ_t m[b,t], 1e-9), as `pool` does.
    const mask = node('Cast', 'mask', [io.mask], [int('to', DataType.FLOAT)]);
    const mask3 = node('Reshape', 'mask3', [mask, int64s('mask3_shape', [3], [0, -1, 1])]);
    const sum = sumOverAxis1('sum', node('Mul', 'masked', [io.hidden, mask3]), 0);
    const count = node('Max', 'count', [sumOverAxis1('tokens', mask3, 0), floats('min_count', [], Float32Array.of(1e-9))]);
    x = node('Div', 'pooled', [sum, count]);
  }
  if (head.normalize ?? true) {
    // x / max(‖x‖, 1e-12), as `normalizeRows` does.
    const squares = sumOverAxis1('squares', node('Mul', 'squared', [x, x]), 1);
    const norm = node('Max', 'norm', [node('Sqrt', 'length', [squares]), floats('min_norm', [], Float32Array.of(1e-12))]);
    x = node('Div', 'normalized', [x, norm]);
  }
  if (head.type === 'mlp' && head.hidden) {
    const { weights, bias } = head.hidden;
    const w = floats('hidden_weight', [weights[0].length, weights.length], transposed(weights));
    const b = floats('hidden_bias', [bias.length], Float32Array.from(bias));
    x = node('Relu', 'hidden', [node('Add', 'hidden_affine', [node('MatMul', 'hidden_matmul', [x, w]), b])]);
  }
  const w = floats('weight', [head.weights[0].length, head.weights.length], transposed(head.weights));
  const b = floats('bias', [head.bias.length], Float32Array.from(head.bias));
  const temperature = head.calibration?.temperature ?? 1;
  const logitsInput = [node('MatMul', 'matmul', [x, w]), b];
  if (temperature === 1) {
    nodes.push({ name: name('logits'), opType: 'Add', input: logitsInput, output: [LOGITS] });
  } else {
    const raw = node('Add', 'raw_logits', logitsInput);
    nodes.push({ name: name('logits'), opType: 'Div', input: [raw, floats('temperature', [], Float32Array.of(temperature))], output: [LOGITS] });
  }
  const dim = [io.batchDim, { dimValue: head.concepts.length }];
  const output: OnnxValueInfo = { name: LOGITS, type: { tensorType: { elemType: DataType.FLOAT, shape: { dim } } } };
  return { nodes, initializers, output };
}
