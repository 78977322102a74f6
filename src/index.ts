/**
 * inpage-classifier: text in, concepts out, in the browser. Public API (browser entry; Node resolves `src/node/index.ts`).
 */
export { createClassifier, type BrowserClassifierOptions } from './create-classifier.js';
export { Classifier } from './classifier.js';
export { Job } from './job.js';
export type { ClassifierOptions } from './options.js';
export type { WorkerFactory } from './worker-client.js';
export { DEFAULT_MODEL_NAME } from './model/default-model.js';
export { getModelCacheInfo, clearModelCache, type CacheInfo } from './model/cache-admin.js';
export { DEFAULT_HUB_URL } from './model/hub.js';
export * from './errors.js';
export type * from './types.js';
// Learning ([C1]): training runs in a worker; evaluation and splits are pure and run where they are called.
export { trainHead, type BrowserTrainOptions } from './trainer-client.js';
export { evaluate, rocAuc, prCurve, type EvalReport, type EvaluateOptions, type ConceptMetrics } from './learn/metrics.js';
export { crossValidate, type CrossValidationResult } from './learn/cross-validate.js';
export { stratifiedSplit, kFold, isHeldOut, heldOutSplit, type Split } from './learn/split.js';
export { applyHead } from './learn/apply.js';
export type { TrainingSet, TrainOptions, TrainProgress, TrainResult } from './learn/types.js';
