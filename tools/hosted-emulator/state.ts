/**
 * The emulator's world: users → apps → inputs, datasets (+ versions), concepts, models (+ versions), pipelines (+ runs).
 * Time-driven states (input processing, dataset versions, training, runs) are computed from timestamps on read, so
 * nothing needs timers and a stopped emulator leaves nothing running.
 */
import type { NbModel } from './model.js';

export interface Timings {
  /** Input 30001 → 30000. */
  inputMs: number;
  /** Deleted inputs disappear (GET → 11101) after this. */
  deleteMs: number;
  /** Dataset version 64005 → 64010 → 64015: each phase. */
  datasetVersionMs: number;
  /** Model version 21103 (queued) and 21101 (training) phases. */
  queueMs: number;
  trainMs: number;
  /** Pipeline-made versions stay 21107 (building) this long. */
  buildMs: number;
  /** Pipeline run 64000 and 64001 phases. */
  runQueueMs: number;
  runMs: number;
}

export const DEFAULT_TIMINGS: Timings = {
  inputMs: 50,
  deleteMs: 50,
  datasetVersionMs: 50,
  queueMs: 300,
  trainMs: 300,
  buildMs: 100,
  runQueueMs: 300,
  runMs: 300,
};

export interface Hooks {
  /** Template path: `refuse` answers PostModelVersions with `templateRefusal`; `fail-queued` fails the version (21106) from the queue. */
  templatePath: 'ok' | 'refuse' | 'fail-queued';
  templateRefusal: { code: number; description: string };
  /** The next N template versions end 21106 after training. */
  failVersions: number;
  /** The next N pipeline runs end with this code (64003 or 64006). */
  failRuns: number;
  failRunCode: number;
  /** Pipeline-made versions name concepts by label (`labels`) or by index ids with names (`index`, like the resnet step). */
  pipelineConceptIds: 'labels' | 'index';
  /** Inputs whose text contains this are refused per input (30104). */
  rejectTextContaining: string | null;
  /** Inputs whose text contains this are stored but fail processing (30002). */
  failTextContaining: string | null;
}

export const DEFAULT_HOOKS: Hooks = {
  templatePath: 'ok',
  templateRefusal: {
    code: 21202,
    description: 'Legacy training template API has been deprecated server-side. Use the pipelines-based training path instead.',
  },
  failVersions: 0,
  failRuns: 0,
  failRunCode: 64003,
  pipelineConceptIds: 'labels',
  rejectTextContaining: null,
  failTextContaining: null,
};

export interface EConcept {
  id: string;
  name?: string;
  value: number;
}

export interface EInput {
  id: string;
  text: string;
  concepts: EConcept[];
  datasetIds: string[];
  createdAt: number;
  failed: boolean;
  deletedAt?: number;
}

export interface EDatasetVersion {
  id: string;
  createdAt: number;
  description: string;
  snapshot: { id: string; text: string; concepts: EConcept[] }[];
}

export interface EDataset {
  id: string;
  createdAt: number;
  description: string;
  versions: Map<string, EDatasetVersion>;
}

export interface EVersion {
  id: string;
  createdAt: number;
  description: string;
  concepts: { id: string; name: string }[];
  trainInfo: Record<string, unknown>;
  /** Timeline: queued until, training until; then `outcome`. `building` versions (pipelines) skip the queue. */
  queuedUntil: number;
  trainingUntil: number;
  building: boolean;
  outcome: { code: number; description: string };
  model: NbModel | null;
  summary: Record<string, number> | null;
}

export interface EModel {
  id: string;
  typeId: string;
  createdAt: number;
  description: string;
  versions: EVersion[];
}

export interface ERun {
  id: string;
  pipelineId: string;
  pipelineVersionId: string;
  createdAt: number;
  queuedUntil: number;
  runningUntil: number;
  outcome: { code: number; description: string };
  params: Record<string, string>;
  nodepools: unknown[];
  /** Filled when the run completes and its step "uploads" a model version. */
  producedVersion: boolean;
  logs: { code: number; message: string; at: number }[];
}

export interface EPipeline {
  id: string;
  createdAt: number;
  versions: Map<string, { id: string; createdAt: number; spec: unknown; runs: Map<string, ERun> }>;
}

export interface EApp {
  id: string;
  userId: string;
  createdAt: number;
  inputs: Map<string, EInput>;
  datasets: Map<string, EDataset>;
  concepts: Set<string>;
  models: Map<string, EModel>;
  pipelines: Map<string, EPipeline>;
  addJobs: Map<string, { id: string; inputIds: string[]; createdAt: number }>;
}

let seq = 0;
/** Server-made ids: 32 hex-ish chars like Clarifai's. */
export function newId(): string {
  seq++;
  return (Date.now().toString(16) + seq.toString(16).padStart(6, '0') + Math.random().toString(16).slice(2)).slice(0, 32);
}

export const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
