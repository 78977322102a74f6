/**
 * Graph surgery: appends a head's nodes, initializers and `logits` output to an encoder's ONNX ModelProto. The
 * encoder's bytes are kept as they are (new repeated-field entries are appended to the GraphProto), so nothing the
 * exporter does not model is lost. Pure.
 */
import { ModelLoadError } from '../errors.js';
import type { HeadFile } from '../types.js';
import { buildHeadGraph, LOGITS } from './head-graph.js';
import {
  DataType,
  decodeOpset,
  decodeValueInfo,
  encodeNode,
  encodeTensor,
  encodeValueInfo,
  type OnnxValueInfo,
} from './onnx-schema.js';
import { concatBytes, lengthDelimited, scanFields, wireString, type WireField } from './onnx-wire.js';

// Field numbers from onnx.proto3.
const MODEL = { opsetImport: 8, graph: 7 } as const;
const GRAPH = { node: 1, initializer: 5, input: 11, output: 12, valueInfo: 13 } as const;
const NODE_OUTPUT = 2;
const TENSOR_NAME = 8;
const VALUE_INFO_NAME = 1;

/** Max with broadcasting needs 8 (ReduceSum's form, `axes` input or attribute, is picked per opset). */
const MIN_OPSET = 8;
const PREFIX = 'inpage_head';

const payloads = (fields: readonly WireField[], field: number): Uint8Array[] =>
  fields.filter((f) => f.field === field && f.data).map((f) => f.data!);

/** The default-domain opset version the model imports. */
function defaultOpset(model: readonly WireField[], file: string): number {
  for (const bytes of payloads(model, MODEL.opsetImport)) {
    const { domain, version } = decodeOpset(bytes);
    if (!domain || domain === 'ai.onnx') return Number(version ?? 0);
  }
  throw new ModelLoadError('imports no default-domain opset: not an ONNX model this exporter can extend', file);
}

/** Every value and initializer name the graph uses, so new names cannot collide. */
function usedNames(graph: readonly WireField[]): Set<string> {
  const names = new Set<string>();
  const nameFields = (bytes: Uint8Array, field: number) => {
    for (const f of scanFields(bytes)) if (f.field === field) names.add(wireString(f.data));
  };
  for (const node of payloads(graph, GRAPH.node)) nameFields(node, NODE_OUTPUT);
  for (const tensor of payloads(graph, GRAPH.initializer)) nameFields(tensor, TENSOR_NAME);
  for (const field of [GRAPH.input, GRAPH.output, GRAPH.valueInfo]) {
    for (const info of payloads(graph, field)) nameFields(info, VALUE_INFO_NAME);
  }
  return names;
}

function freePrefix(names: Set<string>): string {
  const taken = [...names];
  for (let k = 1; ; k++) {
    const prefix = k === 1 ? `${PREFIX}/` : `${PREFIX}_${k}/`;
    if (!taken.some((n) => n.startsWith(prefix))) return prefix;
  }
}

const shapeOf = (v: OnnxValueInfo) => v.type?.tensorType?.shape?.dim ?? [];

/**
 * The encoder graph with `head` appended: `logits` [batch, concepts] becomes an output next to the hidden states.
 * `file` names the graph in errors.
 * @example const withHead = appendHeadToOnnx(await read('onnx/model.onnx'), head, 'onnx/model.onnx');
 */
export function appendHeadToOnnx(onnx: Uint8Array, head: HeadFile, file: string): Uint8Array {
  let model: WireField[];
  let graph: WireField[];
  try {
    model = scanFields(onnx);
    const graphs = payloads(model, MODEL.graph);
    if (graphs.length !== 1) throw new Error(`${graphs.length} graphs`);
    graph = scanFields(graphs[0]);
  } catch (err) {
    throw new ModelLoadError(`is not a readable ONNX model (${(err as Error).message})`, file, { cause: err });
  }
  const opset = defaultOpset(model, file);
  if (opset < MIN_OPSET) throw new ModelLoadError(`uses opset ${opset}; exporting a head needs opset ${MIN_OPSET} or later`, file);
  const inputs = payloads(graph, GRAPH.input).map(decodeValueInfo);
  const outputs = payloads(graph, GRAPH.output).map(decodeValueInfo);
  const names = usedNames(graph);
  if (names.has(LOGITS)) throw new ModelLoadError(`already has a "${LOGITS}" value: it is a classifier, not an encoder`, file);
  const hidden = outputs.find((o) => o.name === 'last_hidden_state') ?? outputs[0];
  if (!hidden) throw new ModelLoadError('has no output to put a head on', file);
  const elemType = hidden.type?.tensorType?.elemType;
  if (elemType !== DataType.FLOAT) {
    throw new ModelLoadError(`output "${hidden.name}" has element type ${elemType}; exporting a head needs float32`, file);
  }
  const dims = shapeOf(hidden);
  const width = dims[2]?.dimValue;
  if (dims.length && (dims.length !== 3 || (width && width !== head.dims))) {
    throw new ModelLoadError(`output "${hidden.name}" is not [batch, sequence, ${head.dims}]`, file);
  }
  const mask = inputs.find((i) => i.name === 'attention_mask');
  if (!mask && (head.pooling ?? 'mean') === 'mean') {
    throw new ModelLoadError('has no attention_mask input, which mean pooling needs', file);
  }
  const built = buildHeadGraph(head, {
    hidden: hidden.name,
    mask: mask?.name ?? 'attention_mask',
    batchDim: dims[0] ?? { dimParam: 'batch' },
    opset,
    prefix: freePrefix(names),
  });
  const extra = [
    ...built.nodes.map((n) => lengthDelimited(GRAPH.node, encodeNode(n))),
    ...built.initializers.map((t) => lengthDelimited(GRAPH.initializer, encodeTensor(t))),
    lengthDelimited(GRAPH.output, encodeValueInfo(built.output)),
  ];
  const graphBytes = concatBytes([payloads(model, MODEL.graph)[0], ...extra]);
  return concatBytes(
    model.map((f) => (f.field === MODEL.graph ? lengthDelimited(MODEL.graph, graphBytes) : onnx.subarray(f.start, f.end))),
  );
}
