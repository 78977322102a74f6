/**
 * LoRA training in Node ([G]): the model's split graphs from a folder, URL or hub id, ORT's WASM build in-process,
 * then the same job the browser's training worker runs.
 */
import { loadModelFiles } from '../model/load-model.js';
import { trainLoraAdapter, type LoraJobControl, type LoraTextSet } from '../lora/train-job.js';
import type { LoraTrainOptions, LoraTrainResult } from '../lora/train-lora.js';
import { isRemoteModel, modelSource } from './file-source.js';
import { defaultModelDir } from './create-classifier.js';
import { modelRefFor, readModelRevision } from './model-ref.js';

export interface NodeLoraOptions extends Omit<LoraTrainOptions, 'modelId'> {
  /** Folder, URL or hub id of a model with `onnx/bottom.onnx` + `onnx/top.onnx`; default the shipped model. */
  model?: string;
  hubUrl?: string;
  revision?: string;
  maxLength?: number;
}

/**
 * @example
 * const { adapter } = await trainLora({ texts, labels }, { rank: 8, seed: 1 });
 * await writeFile('adapter.json', JSON.stringify(adapter));
 */
export async function trainLora(set: LoraTextSet, options: NodeLoraOptions = {}, control: LoraJobControl = {}): Promise<LoraTrainResult> {
  const model = options.model ?? defaultModelDir();
  const remote = isRemoteModel(model);
  const source = modelSource({ model, hubUrl: options.hubUrl, revision: options.revision, cache: false });
  const files = await loadModelFiles(source, ['fp32'], { split: true, isCancelled: control.isCancelled });
  const ort = await import('onnxruntime-web');
  ort.env.logLevel = 'error';
  ort.env.wasm.numThreads = 1;
  const { model: _m, hubUrl: _h, revision: _r, ...rest } = options;
  return trainLoraAdapter(
    ort,
    files,
    set,
    {
      ...rest,
      model: modelRefFor(model),
      modelRevision: rest.modelRevision ?? (remote ? options.revision : await readModelRevision(model)),
    },
    control,
  );
}
