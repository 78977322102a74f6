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
