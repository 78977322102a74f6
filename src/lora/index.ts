/**
 * LoRA fine-tuning of the encoder's top layers ([G]): CPU kernels, weights from top.onnx, training, adapter files and
 * ORT inference with adapter inputs. Pure (no DOM): the training worker and Node import it alike.
 */
export { ADAPTER_FORMAT, buildAdapterFile, readAdapterFile } from './adapter-file.js';
export type { AdapterFile, AdapterLayerFile, AdapterTarget } from './adapter-file.js';
export { AdamW } from './adamw.js';
export type { AdamWOptions, AdamWState } from './adamw.js';
export { pooledVectors } from './embed.js';
export type { LoraExample } from './embed.js';
export { readTopWeights } from './onnx-weights.js';
export type { ReadTopOptions, TopWeights } from './onnx-weights.js';
export { LayerStack } from './stack.js';
export { createTopRunner } from './top-session.js';
export type { TopRunner } from './top-session.js';
export { fitLora } from './train-lora.js';
export type { LoraCheckpoint, LoraControl, LoraProgress, LoraTrainingSet, LoraTrainOptions, LoraTrainResult } from './train-lora.js';
export { zeroLora } from './types.js';
export type { LayerWeights, LoraMatrices, Vec } from './types.js';
export type { LoraBackend } from './stack.js';
export { GpuLayerStack } from './webgpu/layer.js';
export { bottomStates } from './bottom-states.js';
export { trainLoraAdapter } from './train-job.js';
