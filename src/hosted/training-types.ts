/** Shapes shared by the two training paths (contract §9.4). Plain data: a handle can be stored and polled later. */
import type { ApiStatus } from './errors.js';

export type TrainingPath = 'template' | 'pipeline';

/** A user-configured training pipeline (uploaded once with Clarifai's CLI) and the compute it runs on. */
export interface PipelineConfig {
  pipelineId: string;
  pipelineVersionId: string;
  computeClusterId: string;
  nodepoolId: string;
  /** Owner of the compute cluster; default the client's user. */
  computeUserId?: string;
  /** Extra run parameters; stringified ("Argo parameters are always strings"). */
  params?: Record<string, string | number | boolean>;
}

export interface TemplateConfig {
  /** Default `HuggingFace_AdvancedConfig`. */
  name?: string;
  /** Merged over the template's defaults (one level deep: `trainer_config: { num_train_epochs: 3 }` keeps the rest). */
  params?: Record<string, unknown>;
}

export interface TrainingRequest {
  modelId: string;
  datasetId: string;
  /** A READY (64015) dataset version. */
  datasetVersionId: string;
  /** Concepts to train, from the local dataset. */
  concepts: readonly string[];
  /** Default `auto`: a configured pipeline first, else the template path. */
  path?: 'auto' | TrainingPath;
  template?: TemplateConfig;
  pipeline?: PipelineConfig;
  description?: string;
  signal?: AbortSignal;
}

export interface TrainingHandle {
  path: TrainingPath;
  modelId: string;
  /** Template path: known at once. Pipeline path: found after the run completes. */
  modelVersionId?: string;
  pipelineId?: string;
  pipelineVersionId?: string;
  runId?: string;
  /** ISO time the start was sent; a pipeline's model version is the newest created after it. */
  startedAt: string;
  /** Why `auto` chose this path (e.g. the pipeline was refused). */
  note?: string;
}

export type TrainingState = 'queued' | 'running' | 'paused' | 'succeeded' | 'failed' | 'cancelled';

export interface TrainingStatus {
  state: TrainingState;
  modelVersionId?: string;
  statusCode: number;
  description: string;
  /** The status object as the server sent it (version or run). */
  raw: ApiStatus;
}
