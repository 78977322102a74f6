/** What the training worker exposes over comlink. Plain data and functions only. */
import type { TrainingSet, TrainOptions, TrainProgress, TrainResult } from './learn/types.js';

/** Training options that cross the boundary: everything but the progress callback, which travels as a proxy. */
export type WireTrainOptions = Omit<TrainOptions, 'onProgress'>;

export interface TrainerApi {
  train(
    jobId: number,
    set: TrainingSet,
    options: WireTrainOptions,
    onProgress?: (p: TrainProgress) => void,
  ): Promise<TrainResult>;
  /** Marks a job cancelled; the worker stops it at the next epoch boundary. */
  cancel(jobId: number): void;
}
