/**
 * Exporting a head with its encoder as a transformers.js `text-classification` model folder: the encoder's files
 * with a new `config.json` and the head folded into each ONNX graph as a `logits` output. Pure: files in, files out
 * (a Map of path → bytes), so Node writes them to a folder and a page can offer them as downloads.
 */
import { ModelLoadError } from '../errors.js';
import { validateHead } from '../infer/head.js';
import { parseModelConfig } from '../model/config.js';
import { DTYPE_FILES } from '../model/dtypes.js';
import { parseJsonFile } from '../model/load-model.js';
import { appendHeadToOnnx } from './append-head.js';
import { exportedConfig } from './export-config.js';

/** Files an export reads from the encoder's folder: all of `required`, and those of `optional` it has. */
export const EXPORT_INPUT_FILES = Object.freeze({
  required: Object.freeze(['config.json', 'tokenizer.json', DTYPE_FILES.fp32]),
  optional: Object.freeze([
    'tokenizer_config.json',
    'special_tokens_map.json',
    'vocab.txt',
    '1_Pooling/config.json',
    // The golden check compares embeddings, which the export leaves as they are.
    'golden.json',
    DTYPE_FILES.q8,
  ]),
});

/** ONNX graphs that get the head; other precisions (fp16) are not exported. */
const GRAPHS: readonly string[] = [DTYPE_FILES.fp32, DTYPE_FILES.q8];

export interface ExportOptions {
  /** The new model's id (`config.json` `_name_or_path`); default `<encoder id>-classifier`. */
  modelId?: string;
}

/**
 * Folds `head` into the encoder whose files are given (paths as in `EXPORT_INPUT_FILES`). The head is checked against
 * the encoder (`HeadMismatchError`, `InvalidHeadError`); a missing or unusable file is a `ModelLoadError` naming it.
 * @example
 * const files = exportHeadModel(new Map([['config.json', …], ['tokenizer.json', …], ['onnx/model.onnx', …]]), head);
 * files.get('onnx/model.onnx'); // the graph with a `logits` [batch, concepts] output
 */
export function exportHeadModel(
  files: ReadonlyMap<string, Uint8Array>,
  head: unknown,
  options: ExportOptions = {},
): Map<string, Uint8Array> {
  for (const file of EXPORT_INPUT_FILES.required) {
    if (!files.has(file)) throw new ModelLoadError('is needed to export a head but was not given', file);
  }
  const config = parseJsonFile(files.get('config.json')!, 'config.json');
  const tokenizerBytes = files.get('tokenizer_config.json');
  const tokenizerConfig = tokenizerBytes ? parseJsonFile(tokenizerBytes, 'tokenizer_config.json') : {};
  const encoder = parseModelConfig(config, tokenizerConfig, 'local-model');
  const checked = validateHead(head, { modelId: encoder.modelId, dim: encoder.dim });
  const modelId = options.modelId ?? `${encoder.modelId}-classifier`;

  const out = new Map<string, Uint8Array>();
  out.set('config.json', new TextEncoder().encode(`${JSON.stringify(exportedConfig(config, checked, modelId), null, 2)}\n`));
  for (const file of [...EXPORT_INPUT_FILES.required, ...EXPORT_INPUT_FILES.optional]) {
    const bytes = files.get(file);
    if (!bytes || out.has(file)) continue;
    out.set(file, GRAPHS.includes(file) ? appendHeadToOnnx(bytes, checked, file) : bytes);
  }
  return out;
}
