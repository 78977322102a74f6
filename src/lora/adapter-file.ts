/**
 * The adapter file: a LoRA adapter plus the head trained with it, as one JSON record like a head file. It applies
 * only to the encoder it was trained on (model id, revision when recorded, hidden size, layer count), so a mismatch
 * is refused with HeadMismatchError, as heads are.
 */
import { HeadMismatchError, InvalidHeadError } from '../errors.js';
import type { HeadFile } from '../types.js';
import type { LoraMatrices } from './types.js';

export const ADAPTER_FORMAT = 'inpage-classifier/lora-adapter@1';

/** One layer's adapter as stored: A matrices [r × hidden], B matrices [hidden × r], row-major number arrays. */
export interface AdapterLayerFile {
  A_q: number[][];
  B_q: number[][];
  A_v: number[][];
  B_v: number[][];
}

export interface AdapterFile {
  format: typeof ADAPTER_FORMAT;
  /** The encoder (`config.json` `_name_or_path`) whose `top.onnx` takes these matrices. */
  modelId: string;
  modelRevision?: string;
  model?: string;
  hidden: number;
  /** Top layers adapted (top.onnx's layer count); `layers[i]` feeds `lora_*_i`. */
  k: number;
  r: number;
  targets: ('query' | 'value')[];
  layers: AdapterLayerFile[];
  /** The head over the adapted encoder's pooled vector. */
  head: HeadFile;
  metrics?: Record<string, unknown>;
  trainingData?: Record<string, unknown>;
  createdAt?: string;
}

const rows = (v: ArrayLike<number>, r: number, c: number): number[][] =>
  Array.from({ length: r }, (_, i) => Array.from({ length: c }, (_, j) => Math.fround(v[i * c + j])));

/**
 * @example const file = buildAdapterFile({ modelId, hidden: 256, adapters, head });
 */
export function buildAdapterFile(p: {
  modelId: string;
  modelRevision?: string;
  model?: string;
  hidden: number;
  adapters: LoraMatrices[];
  head: HeadFile;
  metrics?: Record<string, unknown>;
  trainingData?: Record<string, unknown>;
  createdAt?: Date;
}): AdapterFile {
  const H = p.hidden;
  const r = p.adapters[0]?.r ?? 0;
  const file: AdapterFile = {
    format: ADAPTER_FORMAT,
    modelId: p.modelId,
    hidden: H,
    k: p.adapters.length,
    r,
    targets: ['query', 'value'],
    layers: p.adapters.map((a) => ({ A_q: rows(a.aq, r, H), B_q: rows(a.bq, H, r), A_v: rows(a.av, r, H), B_v: rows(a.bv, H, r) })),
    head: p.head,
    createdAt: (p.createdAt ?? new Date()).toISOString(),
  };
  if (p.modelRevision) file.modelRevision = p.modelRevision;
  if (p.model) file.model = p.model;
  if (p.metrics) file.metrics = p.metrics;
  if (p.trainingData) file.trainingData = p.trainingData;
  return file;
}

/** Whether a parsed JSON value claims to be an adapter file (checked fully by `readAdapterFile`). */
export function isAdapterFile(raw: unknown): raw is { format: typeof ADAPTER_FORMAT } {
  return !!raw && typeof raw === 'object' && (raw as { format?: unknown }).format === ADAPTER_FORMAT;
}

function matrix(m: unknown, r: number, c: number, what: string): Float32Array {
  if (!Array.isArray(m) || m.length !== r) throw new InvalidHeadError(`${what} must have ${r} rows`);
  const out = new Float32Array(r * c);
  m.forEach((row: unknown, i) => {
    if (!Array.isArray(row) || row.length !== c || !row.every((x) => typeof x === 'number' && Number.isFinite(x))) {
      throw new InvalidHeadError(`${what}[${i}] must be ${c} finite numbers`);
    }
    out.set(row as number[], i * c);
  });
  return out;
}

/** The encoder an adapter is checked against. */
export interface AdapterTarget {
  modelId: string;
  /** Checked only when both sides record one. */
  modelRevision?: string;
  hidden: number;
  /** Layers in the encoder's top.onnx. */
  k: number;
}

/**
 * Checks a parsed adapter file and that it fits the encoder; returns its matrices in the kernels' layout.
 * @example const { adapters, head } = readAdapterFile(JSON.parse(text), { modelId, hidden: 256, k: 1 });
 */
export function readAdapterFile(raw: unknown, target: AdapterTarget): { file: AdapterFile; adapters: LoraMatrices[] } {
  const f = raw as Partial<AdapterFile> | null;
  if (!f || typeof f !== 'object' || f.format !== ADAPTER_FORMAT) {
    throw new InvalidHeadError(`not an adapter file: format must be "${ADAPTER_FORMAT}"`);
  }
  if (f.modelId !== target.modelId) {
    throw new HeadMismatchError(`the adapter was trained on "${f.modelId}", but the model is "${target.modelId}"`);
  }
  if (f.modelRevision && target.modelRevision && f.modelRevision !== target.modelRevision) {
    throw new HeadMismatchError(`the adapter was trained on revision ${f.modelRevision} of "${f.modelId}", but the model is ${target.modelRevision}`);
  }
  if (f.hidden !== target.hidden) throw new HeadMismatchError(`the adapter is for hidden size ${f.hidden}, the model has ${target.hidden}`);
  if (f.k !== target.k) throw new HeadMismatchError(`the adapter adapts ${f.k} top layers, the model's top.onnx has ${target.k}`);
  const r = f.r;
  if (!Number.isInteger(r) || (r as number) < 1) throw new InvalidHeadError('r must be a positive integer');
  if (!Array.isArray(f.layers) || f.layers.length !== f.k) throw new InvalidHeadError(`layers must hold ${f.k} entries`);
  if (!f.head || f.head.dims !== target.hidden || f.head.modelId !== target.modelId) {
    throw new HeadMismatchError('the adapter\'s head does not fit the model');
  }
  const H = target.hidden;
  const adapters = f.layers.map((l, i) => ({
    r: r as number,
    aq: matrix(l.A_q, r as number, H, `layers[${i}].A_q`),
    bq: matrix(l.B_q, H, r as number, `layers[${i}].B_q`),
    av: matrix(l.A_v, r as number, H, `layers[${i}].A_v`),
    bv: matrix(l.B_v, H, r as number, `layers[${i}].B_v`),
  }));
  return { file: f as AdapterFile, adapters };
}
