/**
 * inpage-classifier: text in, concepts out, in the browser. Public API (browser entry; Node resolves `src/node/index.ts`).
 * What is the same in both entries lives in `src/common-api.ts`; here is what runs in workers in a browser.
 */
export * from './common-api.js';
export { createClassifier, type BrowserClassifierOptions } from './create-classifier.js';
export type { WorkerFactory } from './worker-client.js';
// Learning ([C1]): training runs in a worker.
export { trainHead, trainLora, type BrowserTrainOptions, type BrowserLoraOptions } from './trainer-client.js';
// The labelled dataset ([C2]) in IndexedDB; imports run in a data worker.
export { defaultDataset } from './data/dataset.js';
export { importRows, type BrowserImportOptions } from './data-client.js';
export type { ImportOptions } from './data/import.js';
export { requestPersistence, storageInfo } from './data/storage-info.js';
export { idbStorage } from './data/idb-store.js';
