/**
 * The subset of `onnx.proto3` the exporter reads and writes (field numbers as in ONNX), as protobufjs types, with
 * plain-data interfaces for them. Only new entries are encoded with these types and only small ones (graph inputs and
 * outputs, opsets) are decoded: the encoder's own graph is spliced at the wire level (see `onnx-wire.ts`).
 */
import protobuf from 'protobufjs/light.js';

/** `TensorProto.DataType` values used here. */
export const DataType = Object.freeze({ FLOAT: 1, INT64: 7, FLOAT16: 10 } as const);

/** `AttributeProto.AttributeType` values used here. */
export const AttributeType = Object.freeze({ FLOAT: 1, INT: 2, INTS: 7 } as const);

export interface OnnxDimension {
  dimValue?: number;
  dimParam?: string;
}

export interface OnnxValueInfo {
  name: string;
  type?: { tensorType?: { elemType?: number; shape?: { dim?: OnnxDimension[] } } };
}

export interface OnnxAttribute {
  name: string;
  type: number;
  f?: number;
  i?: number;
  ints?: number[];
}

export interface OnnxNode {
  name: string;
  opType: string;
  input: string[];
  output: string[];
  attribute?: OnnxAttribute[];
}

export interface OnnxTensor {
  name: string;
  dims: number[];
  dataType: number;
  /** Little-endian element bytes. */
  rawData: Uint8Array;
}

export interface OnnxOpset {
  domain?: string;
  version?: number;
}

const dimension = {
  fields: { dimValue: { type: 'int64', id: 1 }, dimParam: { type: 'string', id: 2 }, denotation: { type: 'string', id: 3 } },
};

const root = protobuf.Root.fromJSON({
  nested: {
    onnx: {
      nested: {
        OperatorSetIdProto: { fields: { domain: { type: 'string', id: 1 }, version: { type: 'int64', id: 2 } } },
        TensorShapeProto: {
          fields: { dim: { rule: 'repeated', type: 'Dimension', id: 1 } },
          nested: { Dimension: dimension },
        },
        TypeProto: {
          fields: { tensorType: { type: 'Tensor', id: 1 }, denotation: { type: 'string', id: 6 } },
          nested: {
            Tensor: { fields: { elemType: { type: 'int32', id: 1 }, shape: { type: 'TensorShapeProto', id: 2 } } },
          },
        },
        ValueInfoProto: {
          fields: {
            name: { type: 'string', id: 1 },
            type: { type: 'TypeProto', id: 2 },
            docString: { type: 'string', id: 3 },
          },
        },
        TensorProto: {
          fields: {
            dims: { rule: 'repeated', type: 'int64', id: 1 },
            dataType: { type: 'int32', id: 2 },
            name: { type: 'string', id: 8 },
            rawData: { type: 'bytes', id: 9 },
            docString: { type: 'string', id: 12 },
          },
        },
        AttributeProto: {
          fields: {
            name: { type: 'string', id: 1 },
            f: { type: 'float', id: 2 },
            i: { type: 'int64', id: 3 },
            ints: { rule: 'repeated', type: 'int64', id: 8 },
            docString: { type: 'string', id: 13 },
            type: { type: 'int32', id: 20 },
          },
        },
        NodeProto: {
          fields: {
            input: { rule: 'repeated', type: 'string', id: 1 },
            output: { rule: 'repeated', type: 'string', id: 2 },
            name: { type: 'string', id: 3 },
            opType: { type: 'string', id: 4 },
            attribute: { rule: 'repeated', type: 'AttributeProto', id: 5 },
            docString: { type: 'string', id: 6 },
            domain: { type: 'string', id: 7 },
          },
        },
      },
    },
  },
});

const type = (name: string): protobuf.Type => root.lookupType(`onnx.${name}`);
const NodeProto = type('NodeProto');
const TensorProto = type('TensorProto');
const ValueInfoProto = type('ValueInfoProto');
const OperatorSetIdProto = type('OperatorSetIdProto');

const encode = (t: protobuf.Type, value: object): Uint8Array => t.encode(t.fromObject(value)).finish();
const decode = <T>(t: protobuf.Type, bytes: Uint8Array): T =>
  t.toObject(t.decode(bytes), { longs: Number, arrays: true }) as T;

/** @example lengthDelimited(1, encodeNode({ name: 'n', opType: 'Relu', input: ['x'], output: ['y'] })) */
export const encodeNode = (node: OnnxNode): Uint8Array => encode(NodeProto, node);
export const encodeTensor = (tensor: OnnxTensor): Uint8Array => encode(TensorProto, tensor);
export const encodeValueInfo = (info: OnnxValueInfo): Uint8Array => encode(ValueInfoProto, info);
/** Graph inputs and outputs (names, element types, symbolic shapes); unknown fields are dropped, so never re-encode. */
export const decodeValueInfo = (bytes: Uint8Array): OnnxValueInfo => decode(ValueInfoProto, bytes);
export const decodeOpset = (bytes: Uint8Array): OnnxOpset => decode(OperatorSetIdProto, bytes);
