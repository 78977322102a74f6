/** What the training worker exposes over comlink. Plain data and functions only. */
import type { TrainingSet, TrainOptions, TrainProgress, TrainResult } from './learn/types.js';
import type { LoraTextSet } from './lora/train-job.js';
import type { LoraCheckpoint, LoraProgress, LoraTrainOptions, LoraTrainResult } from './lora/train-lora.js';

/** Training options that cross the boundary: everything but the progress callback, which travels as a proxy. */
export type WireTrainOptions = Omit<TrainOptions, 'onProgress'>;

/** A LoRA job: where the split model is (absolute URL or hub id) and the training options, minus callbacks. */
export interface WireLoraRequest {
  model: string;
  hubUrl?: string;
  revision?: string;
  cache?: boolean;
  offline?: boolean;
  options: Omit<LoraTrainOptions, 'modelId' | 'onProgress' | 'onCheckpoint'> & { modelId?: string; maxLength?: number };
}

export interface TrainerApi {
  /** Trains a LoRA adapter ([G]): the worker loads the model's split graphs, runs the bottom once per text, trains. */
  trainLora(
    jobId: number,
    set: LoraTextSet,
    request: WireLoraRequest,
    onProgress?: (p: LoraProgress) => void,
    onEncode?: (done: number, total: number) => void,
    onCheckpoint?: (c: LoraCheckpoint) => void,
  ): Promise<LoraTrainResult>;
  train(
    jobId: number,
    set: TrainingSet,
    options: WireTrainOptions,
    onProgress?: (p: TrainProgress) => void,
  ): Promise<TrainResult>;
  /** Marks a job cancelled; the worker stops it at the next epoch boundary. */
  cancel(jobId: number): void;
}
