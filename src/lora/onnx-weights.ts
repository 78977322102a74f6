/**
 * The frozen weights of the top k layers, read straight from `top.onnx`'s initializers (protobufjs, already a
 * dependency through onnxruntime-web), so the TypeScript forward runs on exactly the numbers ORT runs.
 *
 * torch's export names biases and layer norms after their modules (`layers.0.attn.query.bias`, `layers.0.ln1.weight`)
 * but projection weights `onnx::MatMul_N`, stored transposed ([in × out]). Each weight is found through the graph:
 * the named bias is added to the output of a MatMul, whose second input is the weight.
 */
import protobuf from 'protobufjs/light.js';
import { ModelLoadError } from '../errors.js';
import type { LayerWeights } from './types.js';

const root = protobuf.Root.fromJSON({
  nested: {
    onnx: {
      nested: {
        TensorProto: {
          fields: {
            dims: { rule: 'repeated', type: 'int64', id: 1 },
            dataType: { type: 'int32', id: 2 },
            floatData: { rule: 'repeated', type: 'float', id: 4 },
            int64Data: { rule: 'repeated', type: 'int64', id: 7 },
            name: { type: 'string', id: 8 },
            rawData: { type: 'bytes', id: 9 },
          },
        },
        AttributeProto: { fields: { name: { type: 'string', id: 1 }, t: { type: 'TensorProto', id: 5 } } },
        NodeProto: {
          fields: {
            input: { rule: 'repeated', type: 'string', id: 1 },
            output: { rule: 'repeated', type: 'string', id: 2 },
            opType: { type: 'string', id: 4 },
            attribute: { rule: 'repeated', type: 'AttributeProto', id: 5 },
          },
        },
        ValueInfoProto: { fields: { name: { type: 'string', id: 1 } } },
        GraphProto: {
          fields: {
            node: { rule: 'repeated', type: 'NodeProto', id: 1 },
            initializer: { rule: 'repeated', type: 'TensorProto', id: 5 },
            input: { rule: 'repeated', type: 'ValueInfoProto', id: 11 },
            output: { rule: 'repeated', type: 'ValueInfoProto', id: 12 },
          },
        },
        ModelProto: { fields: { graph: { type: 'GraphProto', id: 7 } } },
      },
    },
  },
});

interface Tensor {
  dims?: number[];
  dataType?: number;
  floatData?: number[];
  int64Data?: number[];
  name?: string;
  rawData?: Uint8Array;
}
interface Node {
  input?: string[];
  output?: string[];
  opType?: string;
  attribute?: { name?: string; t?: Tensor }[];
}
interface Graph {
  node?: Node[];
  initializer?: Tensor[];
  input?: { name?: string }[];
}

const FLOAT = 1;
const INT64 = 7;

/** A float tensor's values, from `raw_data` (little-endian) or `float_data`. */
function floats(t: Tensor, file: string): Float32Array {
  if (t.dataType !== FLOAT) throw new ModelLoadError(`${t.name}: expected float32 weights, got data type ${t.dataType}`, file);
  if (t.rawData && t.rawData.length) {
    const raw = t.rawData;
    // Copy: the bytes may sit at an unaligned offset inside the file buffer.
    const out = new Float32Array(raw.length / 4);
    new Uint8Array(out.buffer).set(raw);
    return out;
  }
  return Float32Array.from(t.floatData ?? []);
}

function int64s(t: Tensor): number[] {
  if (t.rawData && t.rawData.length) {
    const dv = new DataView(t.rawData.buffer, t.rawData.byteOffset, t.rawData.byteLength);
    return Array.from({ length: t.rawData.length / 8 }, (_, i) => Number(dv.getBigInt64(i * 8, true)));
  }
  return (t.int64Data ?? []).map(Number);
}

/** What `top.onnx` holds: the layers' weights, in order, and the LoRA inputs it expects. */
export interface TopWeights {
  layers: LayerWeights[];
  hidden: number;
  heads: number;
  ff: number;
  /** Graph input names of the adapters, per layer: [A_q, B_q, A_v, B_v]. */
  loraInputs: [string, string, string, string][];
}

export interface ReadTopOptions {
  /** Attention heads (`config.json` `num_attention_heads`); default: read from the graph's reshape constants. */
  heads?: number;
  /** `config.json` `layer_norm_eps`; default 1e-12. */
  eps?: number;
  /** File name for error messages; default `onnx/top.onnx`. */
  file?: string;
}

/**
 * Decodes `top.onnx` bytes into per-layer weights.
 * @example const top = readTopWeights(await readFile('model/onnx/top.onnx'), { heads: config.num_attention_heads });
 */
export function readTopWeights(bytes: Uint8Array, options: ReadTopOptions = {}): TopWeights {
  const file = options.file ?? 'onnx/top.onnx';
  let graph: Graph;
  try {
    const ModelProto = root.lookupType('onnx.ModelProto');
    const model = ModelProto.toObject(ModelProto.decode(bytes), { longs: Number, arrays: true }) as { graph?: Graph };
    graph = model.graph ?? {};
  } catch (e) {
    throw new ModelLoadError(`not a readable ONNX file (${(e as Error).message})`, file, { cause: e });
  }
  const inits = new Map((graph.initializer ?? []).map((t) => [t.name ?? '', t]));
  const producer = new Map<string, Node>();
  for (const n of graph.node ?? []) for (const o of n.output ?? []) producer.set(o, n);
  const get = (name: string): Float32Array => {
    const t = inits.get(name);
    if (!t) throw new ModelLoadError(`no initializer ${name}: not a top.onnx of tools/default-model`, file);
    return floats(t, file);
  };
  // bias name → the weight of the MatMul whose output it is added to
  const weightOf = new Map<string, Float32Array>();
  for (const n of graph.node ?? []) {
    if (n.opType !== 'Add') continue;
    const [a, b] = n.input ?? [];
    const [bias, other] = inits.has(a) ? [a, b] : [b, a];
    if (!/\.bias$/.test(bias ?? '') || !inits.has(bias)) continue;
    const mm = producer.get(other);
    const w = mm?.opType === 'MatMul' ? mm.input?.[1] : undefined;
    if (w && inits.has(w)) weightOf.set(bias, floats(inits.get(w)!, file));
  }
  const weight = (prefix: string): Float32Array => {
    const w = weightOf.get(`${prefix}.bias`);
    if (!w) throw new ModelLoadError(`no MatMul weight found for ${prefix}`, file);
    return w;
  };
  const k = new Set([...inits.keys()].map((n) => /^layers\.(\d+)\./.exec(n)?.[1]).filter((i) => i !== undefined)).size;
  if (k === 0) throw new ModelLoadError('no layers.<i>.* initializers: not a top.onnx of tools/default-model', file);
  const heads = options.heads ?? headsFromGraph(graph);
  const eps = options.eps ?? 1e-12;
  const layers: LayerWeights[] = [];
  for (let i = 0; i < k; i++) {
    const p = `layers.${i}`;
    const bq = get(`${p}.attn.query.bias`);
    const b1 = get(`${p}.fc1.bias`);
    const hidden = bq.length;
    const ff = b1.length;
    if (hidden % heads) throw new ModelLoadError(`hidden size ${hidden} is not a multiple of ${heads} heads`, file);
    layers.push({
      hidden, heads, ff, eps,
      wq: weight(`${p}.attn.query`), bq,
      wk: weight(`${p}.attn.key`), bk: get(`${p}.attn.key.bias`),
      wv: weight(`${p}.attn.value`), bv: get(`${p}.attn.value.bias`),
      wo: weight(`${p}.attn.out`), bo: get(`${p}.attn.out.bias`),
      ln1g: get(`${p}.ln1.weight`), ln1b: get(`${p}.ln1.bias`),
      w1: weight(`${p}.fc1`), b1, w2: weight(`${p}.fc2`), b2: get(`${p}.fc2.bias`),
      ln2g: get(`${p}.ln2.weight`), ln2b: get(`${p}.ln2.bias`),
    });
    const l = layers[i];
    if (l.wq.length !== hidden * hidden || l.w1.length !== hidden * ff || l.w2.length !== ff * hidden) {
      throw new ModelLoadError(`${p}: weight shapes do not match hidden ${hidden}, ff ${ff}`, file);
    }
  }
  const inputs = new Set((graph.input ?? []).map((v) => v.name));
  const loraInputs = layers.map((_, i) => {
    const names: [string, string, string, string] = [`lora_A_q_${i}`, `lora_B_q_${i}`, `lora_A_v_${i}`, `lora_B_v_${i}`];
    const missing = names.find((n) => !inputs.has(n));
    if (missing) throw new ModelLoadError(`graph input ${missing} is missing: this top.onnx takes no adapters`, file);
    return names;
  });
  return { layers, hidden: layers[0].hidden, heads, ff: layers[0].ff, loraInputs };
}

/** The head count in the [batch, seq, heads, dh] reshape target: a Concat whose third input is a constant. */
function headsFromGraph(graph: Graph): number {
  const consts = new Map<string, Tensor>();
  for (const n of graph.node ?? []) {
    const t = n.opType === 'Constant' ? n.attribute?.find((a) => a.name === 'value')?.t : undefined;
    if (t && n.output?.[0]) consts.set(n.output[0], t);
  }
  for (const n of graph.node ?? []) {
    if (n.opType !== 'Concat' || n.input?.length !== 4) continue;
    const t = consts.get(n.input[2]);
    if (t && t.dataType === INT64) {
      const v = int64s(t);
      if (v.length === 1 && v[0] > 0) return v[0];
    }
  }
  throw new ModelLoadError('cannot find the attention head count in the graph; pass `heads`', 'onnx/top.onnx');
}
