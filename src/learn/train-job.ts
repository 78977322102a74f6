/**
 * `trainHead` in-process (Node, or any thread that may block): fitHead wrapped in a cancellable Job.
 */
import { Job } from '../job.js';
import { fitHead } from './train-head.js';
import type { TrainingSet, TrainOptions, TrainResult } from './types.js';

let nextJob = 1;

/**
 * Trains a head on labelled vectors; `job.cancel()` rejects at once and stops training at the next epoch.
 * @example
 * const { data, dim } = await clf.embed(texts);
 * const { head } = await trainHead({ data, dim, labels }, { modelId: clf.info.modelId, type: 'linear' });
 */
export function trainHead(set: TrainingSet, options: TrainOptions): Job<TrainResult> {
  let cancelled = false;
  // Deferred one tick so a synchronous input error rejects the Job instead of throwing from this call.
  const work = Promise.resolve().then(() => fitHead(set, options, { isCancelled: () => cancelled }));
  return new Job(nextJob++, work, () => {
    cancelled = true;
  });
}
