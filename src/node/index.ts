/**
 * inpage-classifier for Node: the same API as the browser entry (`src/common-api.ts`), running in-process (ORT's WASM
 * build); here is what differs from the browser.
 */
export * from '../common-api.js';
export { createClassifier, defaultModelDir } from './create-classifier.js';
// Learning ([C1]): in-process here, the same code the browser runs in its training worker.
export { trainHead } from '../learn/train-job.js';
// LoRA ([G]): an adapter on the encoder's top layers, trained in-process on the CPU kernels.
export { trainLora, type NodeLoraOptions } from './train-lora.js';
// Export ([C1]) straight to a folder.
export { exportHeadModelToFolder, type ExportFolderOptions, type ExportFolderResult } from './export-folder.js';
// The labelled dataset ([C2]) over files: pass `{ storage: fileStorage(dir) }` to openDataset / openEmbeddingCache.
export { fileStorage } from './file-store.js';
export { importInto as importRows, type ImportOptions, type ImportControl } from '../data/import.js';
