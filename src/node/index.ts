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
