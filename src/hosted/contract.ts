/**
 * Every choice this library makes where the Clarifai contract (../shared/docs/hosted-api.md) says UNCONFIRMED, in one
 * place. Each constant names its contract item (§7 list, §9 notes). Change a default here when the live service is
 * known to differ; nothing else in src/hosted hard-codes these.
 */
import { Status } from './codes.js';

/** §2: public API root. Emulators and proxies replace it with `baseUrl` / `proxyUrl`. */
export const DEFAULT_BASE_URL = 'https://api.clarifai.com';

/** §2/§7.7: inputs per PostInputs (confirmed 128), ids per DeleteInputs (UNCONFIRMED → 128), per predict (128). */
export const MAX_UPLOAD_BATCH = 128;
export const MAX_DELETE_BATCH = 128;
export const MAX_PREDICT_BATCH = 128;
/** §2: list page size (max 1000 per the proto comment). Listing by ids uses the batch size of the ids. */
export const LIST_PAGE_SIZE = 1000;

/** §7.7: our id rule for inputs, datasets, models, runs (the live rules are unknown). */
export const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** §7.5: per-input codes that mean "this id is already stored" under SKIP semantics (candidates 40010, 30100, 39999). */
export const DUPLICATE_INPUT_CODES: readonly number[] = [Status.DuplicateKey, 30100, Status.InputInvalidRequest];

/**
 * §4.3/§7.6: reconcile by listing ids WITHOUT a `status.code=30000` filter. The SDK filters to processed inputs, but an
 * id still processing is stored too (re-posting it only yields a duplicate), so we count it as synced; ids listed with
 * a failed status (30002…) are reported as rejected.
 */
export const RECONCILE_WITH_STATUS_FILTER = false;
/** Per-input statuses that mean "stored, fine or on its way". */
export const INPUT_OK_CODES: readonly number[] = [Status.InputSuccess, Status.InputPending, Status.InputInProgress];

/** §7.4: codes for a missing app / dataset / model / version (11101 vs 21200), plus HTTP 404. */
export const NOT_FOUND_CODES: readonly number[] = [Status.DoesNotExist, Status.ModelDoesNotExist];

/** §2/§7.2: codes retried with back-off. HTTP 429/5xx and network errors are retried too. */
export const RETRYABLE_CODES: readonly number[] = [
  Status.Throttled,
  Status.TryAgain,
  Status.ModelBusy,
  Status.QueueFull,
  40031,
  40032,
];
/** 98xxx/99xxx internal errors are retried as well. */
export const isInternalCode = (code: number): boolean => code >= 98000 && code < 100000;
/** Auth failures: never retried. */
export const AUTH_CODES: readonly number[] = [Status.CredentialsInvalid, Status.InsufficientScopes, Status.KeyInvalid, Status.KeyNotFound];

/** §7.2: Retry-After is honoured when present (seconds or an HTTP date), capped so a bad header cannot stall us. */
export const MAX_RETRY_AFTER_MS = 60_000;

/** §7.10: base workflow of an app we create (SDK default "Empty"; the notebook used "Universal"). */
export const DEFAULT_BASE_WORKFLOW = 'Empty';

/** §4.10/§7.11: the template we train with by default, and its documented defaults (DOCS-tc-out s.txt). */
export const DEFAULT_TEMPLATE = 'HuggingFace_AdvancedConfig';
export const DEFAULT_TEMPLATE_PARAMS: Readonly<Record<string, unknown>> = Object.freeze({
  invalid_data_tolerance_percent: 5.0,
  model_config: {
    problem_type: 'multi_label_classification',
    pretrained_model_name_or_path: 'bert-base-cased',
    torch_dtype: 'torch.float32',
  },
  tokenizer_config: {},
  trainer_config: { num_train_epochs: 1.0, auto_find_batch_size: true, output_dir: 'checkpoint' },
});

/** §7.9: we wait for the dataset version to be READY (64015) before training; failure codes end the wait. */
export const DATASET_VERSION_FAILED_CODES: readonly number[] = [Status.DatasetVersionFailure, Status.DatasetVersionUnexpectedError];

/** §4.11/§7.12: model-version states. Any other 211xx/2135x is "waiting", capped by the caller's timeout. */
export const VERSION_TRAINED_CODES: readonly number[] = [Status.ModelTrained];
export const VERSION_FAILED_CODES: readonly number[] = [
  Status.ModelUploadingFailed,
  Status.ModelTrainingFailed,
  21110, 21111, 21112, 21113, 21114, 21115, 21116, 21117, 21118, 21119,
];
export const VERSION_QUEUED_CODES: readonly number[] = [Status.ModelQueued];
/** §7.12: a persistent 21102 (untrained) after a start counts as failed once this long has passed. */
export const UNTRAINED_GRACE_MS = 120_000;

/** §9.2: pipeline run states (Generic Job codes). 10000 counts as success ("legacy", per the SDK). */
export const RUN_QUEUED_CODES: readonly number[] = [Status.JobQueued];
export const RUN_RUNNING_CODES: readonly number[] = [Status.JobRunning];
export const RUN_PAUSED_CODES: readonly number[] = [Status.JobPaused];
export const RUN_SUCCEEDED_CODES: readonly number[] = [Status.JobCompleted, Status.Success];
export const RUN_FAILED_CODES: readonly number[] = [Status.JobFailed, Status.JobUnexpectedError, Status.JobConflict];
export const RUN_CANCELLED_CODES: readonly number[] = [Status.JobCancelled];

/** §9.4: codes on a pipeline start that make `auto` fall back to the template path (not found / not allowed). */
export const PIPELINE_FALLBACK_CODES: readonly number[] = [Status.DoesNotExist, Status.PipelineDoesNotExist, Status.InsufficientScopes];

/**
 * §9.2: pipeline parameter names our text step receives (ours to define: no text pipeline is published). Values are
 * strings ("Argo parameters are always strings").
 */
export const PIPELINE_PARAM_NAMES = Object.freeze({
  userId: 'user_id',
  appId: 'app_id',
  modelId: 'model_id',
  datasetId: 'dataset_id',
  datasetVersionId: 'dataset_version_id',
  concepts: 'concepts',
});

/**
 * §9.2/§7.13: predictions are mapped to concepts by `name` (pipeline steps may use index ids), falling back to `id`;
 * concept order in a response is not relied on.
 */
export const conceptKey = (c: { id?: string; name?: string }): string => c.name || c.id || '';

/** §4.11: polling cadence for training (the notebook slept 120 s; we start at 10 s and back off to 60 s). */
export const TRAINING_POLL = Object.freeze({ firstMs: 10_000, maxMs: 60_000, factor: 1.5 });
/** §4.6: dataset-version polling cadence. */
export const DATASET_VERSION_POLL = Object.freeze({ firstMs: 1_000, maxMs: 10_000, factor: 1.5 });

/** §7.14: key inside `eval_info.params` asking for evaluation after training (UNCONFIRMED; not sent by default). */
export const EVALUATE_AFTER_TRAINING_KEY = 'evaluate_after_training';
