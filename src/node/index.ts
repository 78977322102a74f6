/**
 * inpage-classifier for Node: the same API as the browser entry, running in-process (ORT's WASM build).
 */
export { createClassifier, defaultModelDir } from './create-classifier.js';
export { Classifier } from '../classifier.js';
export { Job } from '../job.js';
export type { ClassifierOptions } from '../options.js';
export { DEFAULT_MODEL_NAME } from '../model/default-model.js';
export { getModelCacheInfo, clearModelCache, type CacheInfo } from '../model/cache-admin.js';
export { DEFAULT_HUB_URL } from '../model/hub.js';
export * from '../errors.js';
export type * from '../types.js';
// Learning ([C1]): in-process here, the same code the browser runs in its training worker.
export { trainHead } from '../learn/train-job.js';
export { evaluate, rocAuc, prCurve, type EvalReport, type EvaluateOptions, type ConceptMetrics } from '../learn/metrics.js';
export { crossValidate, type CrossValidationResult } from '../learn/cross-validate.js';
export { stratifiedSplit, kFold, isHeldOut, heldOutSplit, type Split } from '../learn/split.js';
export { applyHead } from '../learn/apply.js';
export type { TrainingSet, TrainOptions, TrainProgress, TrainResult } from '../learn/types.js';
