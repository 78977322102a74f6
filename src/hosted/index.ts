/** The hosted (Clarifai) path: client, sync, training, hosted classifier, comparison. Browser and Node. */
export { HostedClient, type HostedClientOptions, type RetryInfo, type RequestOptions } from './client.js';
export { Status, statusNumber } from './codes.js';
export * as hostedContract from './contract.js';
export { SESSION_PAT_KEY, type PatStorage } from './credentials.js';
export {
  HostedError,
  HostedApiError,
  HostedTransportError,
  TrainingPathUnavailableError,
  TrainingFailedError,
  HostedErrorCode,
  type ApiStatus,
} from './errors.js';
export { backoffDelay, parseRetryAfter, type RetryPolicy } from './retry.js';
export { ensureApp, ensureDataset, createReadyDatasetVersion } from './apps.js';
export { postInputs, listInputsByIds, listAllInputs, deleteInputs, type TextInput, type ListedInput } from './inputs.js';
export { ensureModel, listTemplates, getModelVersion, listModelVersions, predictTexts, getEvalMetrics, type HostedEvalSummary } from './models.js';
export { startTraining, pollTraining, waitForTraining, type WaitOptions } from './training.js';
export type { TrainingRequest, TrainingHandle, TrainingStatus, TrainingState, TrainingPath, PipelineConfig, TemplateConfig } from './training-types.js';
export { syncDataset, syncTarget, type SyncSource, type SyncExample, type SyncOptions, type SyncReport, type SyncProgress, type RejectedInput } from './sync.js';
export { idbSyncState, memorySyncState, defaultSyncState, clearAllSyncState, SYNC_DB, SYNC_STORE, type SyncStateStore } from './sync-state.js';
export { inputIdFor } from './input-ids.js';
export { HostedBackend, type HostedModelOptions } from './backend.js';
export { createHostedClassifier } from './create-hosted.js';
export { compareOnHeldOut, type ComparisonReport, type CompareOptions } from './compare.js';
export { deepTrain, type DeepTrainOptions, type DeepTrainProgress, type DeepTrainResult } from './deep-train.js';
