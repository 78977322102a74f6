/**
 * The part of the public API that is the same in browsers and in Node. Both entries (`src/index.ts`,
 * `src/node/index.ts`) re-export it and add what differs: how classifiers, training and imports run there.
 */
export { Classifier } from './classifier.js';
export { Job } from './job.js';
export type { ClassifierOptions } from './options.js';
export { DEFAULT_MODEL_NAME } from './model/default-model.js';
export { getModelCacheInfo, clearModelCache, type CacheInfo } from './model/cache-admin.js';
export { DEFAULT_HUB_URL } from './model/hub.js';
export * from './errors.js';
export type * from './types.js';
// Learning ([C1]): evaluation and splits are pure and run where they are called.
export { evaluate, rocAuc, prCurve, type EvalReport, type EvaluateOptions, type ConceptMetrics } from './learn/metrics.js';
export { crossValidate, type CrossValidationResult } from './learn/cross-validate.js';
export { stratifiedSplit, kFold, isHeldOut, heldOutSplit, type Split } from './learn/split.js';
export { applyHead } from './learn/apply.js';
export type { TrainingSet, TrainOptions, TrainProgress, TrainResult } from './learn/types.js';
// Export ([C1]): a head folded into its encoder as a transformers.js text-classification folder (pure: files in, files out).
export { exportHeadModel, EXPORT_INPUT_FILES, type ExportOptions } from './export/export-model.js';
// The labelled dataset ([C2]): store, concepts, head versions, export, embedding cache, "label next".
export { openDataset, type Dataset, type OpenDatasetOptions } from './data/dataset.js';
export { addExamples, setLabels, removeExamples, getExample, listExamples, countExamples, type ExampleFilter } from './data/examples.js';
export { setConcept, listConcepts, renameConcept, mergeConcepts, deleteConcept, type ConceptChange } from './data/concepts.js';
export { saveHead, listHeads, loadHead, headOf, getHeadRecord, deleteHead, exportHead, importHead } from './data/heads.js';
export { exportExamples, exportPredictions, type ExportFormat } from './data/export.js';
export {
  openEmbeddingCache,
  embedCached,
  embeddingKey,
  embeddingCacheInfo,
  clearEmbeddingCache,
  type Embedder,
  type EmbeddingCache,
  type EmbeddingCacheOptions,
  type CachedEmbeddings,
} from './data/embedding-cache.js';
export { suggestNext, zeroShotHead, trainingSet, type SuggestOptions, type Suggestion, type SuggestResult, type EmbedOptions } from './data/suggest.js';
export { uncertainty, pickNext, type UncertaintyStrategy } from './data/active.js';
export { prototypeHead, conceptPrompt, PROTOTYPE_TEMPERATURE } from './data/prototype.js';
export { normalizeText, textId } from './data/text-id.js';
export { KEEP, type KeyValueStore, type StorageProvider, type Updater } from './data/kv.js';
export { DataError, QuotaExceededError, DataErrorCode } from './data/errors.js';
export { SCHEMA_VERSION } from './data/migrations.js';
export type * from './data/types.js';
// Hosted deep training ([D]): sync the labelled dataset to Clarifai, train a text-classifier there, classify and compare.
export * from './hosted/index.js';
// LoRA adapters ([G]): the adapter file format (an adapter file is passed as `head`), pure and DOM-free.
export { ADAPTER_FORMAT, isAdapterFile, readAdapterFile, type AdapterFile, type AdapterTarget } from './lora/adapter-file.js';
export type { LoraTrainOptions, LoraTrainResult, LoraProgress, LoraCheckpoint } from './lora/train-lora.js';
export type { LoraTextSet, LoraJobControl } from './lora/train-job.js';
