/**
 * Fetching the files of a transformers.js-layout model folder and parsing them, with errors that name the file.
 */
import { CancelledError, ModelLoadError } from '../errors.js';
import type { ProgressCallback } from '../types.js';
import { DTYPE_FILES, type ResolvedDtype } from './dtypes.js';
import type { ModelSource } from './source.js';

type Json = Record<string, unknown>;

export interface ModelFiles {
  config: Json;
  tokenizer: Json;
  tokenizerConfig: Json;
  pooling: Json | null;
  /** The model's own head, `head.json`, when the folder ships one. */
  head: Json | null;
  /** Reference embeddings for the golden check, when the folder ships `golden.json`. */
  golden: Json | null;
  onnx: Uint8Array;
  onnxFile: string;
  /** The dtype whose file was loaded (the first of the candidates the folder has). */
  dtype: ResolvedDtype;
  /** `onnx/top.onnx` when the split graphs were asked for (`onnx` then holds `onnx/bottom.onnx`). */
  top?: Uint8Array;
}

export interface LoadFilesOptions {
  onProgress?: ProgressCallback;
  isCancelled?: () => boolean;
  /** Load the LoRA split (`onnx/bottom.onnx` + `onnx/top.onnx`, fp32) instead of the whole-model graph. */
  split?: boolean;
}

const decoder = new TextDecoder();

/** The LoRA split of [B]: frozen bottom layers, and the top layers that take adapter matrices as inputs. */
export const SPLIT_FILES = { bottom: 'onnx/bottom.onnx', top: 'onnx/top.onnx' } as const;

function looksLikeHtml(bytes: Uint8Array): boolean {
  const head = decoder.decode(bytes.subarray(0, 256)).trimStart().toLowerCase();
  return head.startsWith('<!doctype') || head.startsWith('<html');
}

/** Parses JSON bytes; HTML (a dev server's fallback page, a login wall) gets its own message. */
export function parseJsonFile(bytes: Uint8Array, file: string): Json {
  if (looksLikeHtml(bytes)) throw new ModelLoadError('got an HTML page instead of JSON (wrong URL?)', file);
  let value: unknown;
  try {
    value = JSON.parse(decoder.decode(bytes));
  } catch (err) {
    throw new ModelLoadError(`is not valid JSON (${(err as Error).message})`, file, { cause: err });
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new ModelLoadError('must hold a JSON object', file);
  return value as Json;
}

/** ONNX files are protobuf; reject what is obviously something else before ORT gives a cryptic error. */
export function checkOnnxBytes(bytes: Uint8Array, file: string): void {
  if (bytes.byteLength < 16) throw new ModelLoadError(`is ${bytes.byteLength} bytes: not an ONNX model`, file);
  if (looksLikeHtml(bytes)) throw new ModelLoadError('got an HTML page instead of an ONNX model (wrong URL?)', file);
  // A ModelProto starts with field 1 (ir_version, varint: 0x08) in every exporter we know of.
  if (bytes[0] !== 0x08) throw new ModelLoadError('does not start like an ONNX ModelProto: corrupt or not ONNX', file);
}

/**
 * Loads config, tokenizer, pooling config, optional head and golden file, and the ONNX graph of the first dtype in
 * `dtypes` that the folder has (e.g. ['fp16', 'fp32'] prefers half precision where the model ships it).
 * @example const files = await loadModelFiles(urlSource('/models/inpage-sentiment-mini/'), ['q8']);
 */
export async function loadModelFiles(
  source: ModelSource,
  dtypes: readonly ResolvedDtype[],
  { onProgress, isCancelled, split }: LoadFilesOptions = {},
): Promise<ModelFiles> {
  const get = async (file: string, required: boolean): Promise<Uint8Array | null> => {
    if (isCancelled?.()) throw new CancelledError('Model loading was cancelled.');
    const bytes = await source.read(file, {
      isCancelled,
      onBytes: (loaded, total) => onProgress?.({ phase: 'download', file, loaded, total }),
    });
    if (isCancelled?.()) throw new CancelledError('Model loading was cancelled.');
    if (!bytes && required) throw new ModelLoadError(`not found in ${source.location}`, file);
    return bytes;
  };
  const json = async (file: string, required: boolean): Promise<Json | null> => {
    const bytes = await get(file, required);
    // Static hosts with an SPA fallback answer a missing file with index.html: for an optional file that means absent.
    if (!bytes || (!required && looksLikeHtml(bytes))) return null;
    return parseJsonFile(bytes, file);
  };
  // Fetched together, but the error reported is the first file's in this order (config.json first), not whichever
  // request happened to fail first.
  const settled = await Promise.allSettled([
    json('config.json', true),
    json('tokenizer.json', true),
    json('tokenizer_config.json', false),
    json('1_Pooling/config.json', false),
    json('head.json', false),
    json('golden.json', false),
  ]);
  const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  const [config, tokenizer, tokenizerConfig, pooling, head, golden] = settled.map((r) => (r as PromiseFulfilledResult<Json | null>).value);
  const base = {
    config: config as Json,
    tokenizer: tokenizer as Json,
    tokenizerConfig: tokenizerConfig ?? {},
    pooling,
    head,
    golden,
  };
  if (split) {
    const [bottom, top] = await Promise.all([get(SPLIT_FILES.bottom, false), get(SPLIT_FILES.top, false)]);
    for (const [bytes, file] of [[bottom, SPLIT_FILES.bottom], [top, SPLIT_FILES.top]] as const) {
      if (!bytes || looksLikeHtml(bytes)) {
        throw new ModelLoadError(`not found in ${source.location}: a LoRA adapter needs the model's split export (bottom.onnx + top.onnx)`, file);
      }
      checkOnnxBytes(bytes, file);
    }
    return { ...base, onnx: bottom!, onnxFile: SPLIT_FILES.bottom, dtype: 'fp32', top: top! };
  }
  let onnx: Uint8Array | null = null;
  let dtype = dtypes[0];
  for (const [i, candidate] of dtypes.entries()) {
    dtype = candidate;
    onnx = await get(DTYPE_FILES[candidate], false);
    if (onnx && i < dtypes.length - 1 && looksLikeHtml(onnx)) onnx = null; // SPA fallback: try the next dtype
    if (onnx) break;
  }
  const onnxFile = DTYPE_FILES[dtype];
  if (!onnx) {
    throw new ModelLoadError(`dtype "${dtype}" needs ${onnxFile}, which is not in ${source.location}`, onnxFile);
  }
  checkOnnxBytes(onnx, onnxFile);
  return {
    ...base,
    onnx,
    onnxFile,
    dtype,
  };
}
