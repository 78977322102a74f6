/**
 * A whole LoRA training job on a loaded split model ([G]): texts → bottom hidden states (ORT, once per text) →
 * `fitLora` over the top layers' weights read from `top.onnx` → an adapter file. No DOM and no file system: Node's
 * CLI and a browser worker hand it the model files and an ORT module.
 */
import { InvalidInputError, ModelLoadError } from '../errors.js';
import { OnnxSession, type Ort } from '../infer/session.js';
import { parseModelConfig } from '../model/config.js';
import type { ModelFiles } from '../model/load-model.js';
import { createTokenizer } from '../text/tokenizer.js';
import { bottomStates } from './bottom-states.js';
import { readTopWeights } from './onnx-weights.js';
import { fitLora, type LoraControl, type LoraTrainOptions, type LoraTrainResult } from './train-lora.js';

export interface LoraTextSet {
  texts: string[];
  labels: string[][];
  ids?: string[];
}

export interface LoraJobControl extends LoraControl {
  /** Bottom states computed so far (the first phase, before epochs start). */
  onEncode?: (done: number, total: number) => void;
}

/**
 * @example
 * const files = await loadModelFiles(source, ['fp32'], { split: true });
 * const { adapter } = await trainLoraAdapter(ort, files, { texts, labels }, { rank: 8, seed: 1 });
 */
export async function trainLoraAdapter(
  ort: Ort,
  files: ModelFiles,
  set: LoraTextSet,
  options: Omit<LoraTrainOptions, 'modelId'> & { modelId?: string; maxLength?: number },
  control: LoraJobControl = {},
): Promise<LoraTrainResult> {
  if (!files.top) throw new ModelLoadError('LoRA training needs the split graphs (bottom.onnx + top.onnx)', 'onnx/top.onnx');
  if (!Array.isArray(set.texts) || set.texts.length !== set.labels?.length) {
    throw new InvalidInputError('texts and labels must be arrays of the same length');
  }
  set.texts.forEach((t, i) => {
    if (typeof t !== 'string') throw new InvalidInputError(`texts[${i}] must be a string`, i);
  });
  const cfg = parseModelConfig(files.config, files.tokenizerConfig, 'local-model');
  const tokenizer = createTokenizer(files.tokenizer, files.tokenizerConfig);
  const top = readTopWeights(files.top, {
    heads: Number(files.config.num_attention_heads) || undefined,
    eps: Number(files.config.layer_norm_eps) || undefined,
  });
  if (top.hidden !== cfg.dim) throw new ModelLoadError(`has hidden size ${top.hidden}, config.json says ${cfg.dim}`, 'onnx/top.onnx');
  const bottom = await OnnxSession.create(ort, files.onnx, files.onnxFile, { executionProviders: ['wasm'] });
  let examples;
  try {
    examples = await bottomStates(
      (inputs, dims) => bottom.runInt64(inputs, dims, 'hidden_states').then((r) => r.data),
      tokenizer,
      set.texts,
      cfg.dim,
      { maxLength: Math.min(options.maxLength ?? 128, cfg.maxLength), isCancelled: control.isCancelled, onProgress: control.onEncode },
    );
  } finally {
    await bottom.dispose();
  }
  const { maxLength: _unused, ...rest } = options;
  return fitLora({ examples, labels: set.labels, ids: set.ids }, top, { ...rest, modelId: options.modelId ?? cfg.modelId }, control);
}
