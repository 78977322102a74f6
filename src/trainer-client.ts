/**
 * `trainHead` in browsers: training runs in a module worker (workers/training.worker.ts) behind comlink, so a long
 * run never blocks the page. One worker is shared by every run and started on first use; if it dies, pending runs
 * reject with WorkerCrashedError and the next run starts a new one.
 */
import { proxy } from 'comlink';
import { installErrorTransfer } from './comlink-errors.js';
import { Job } from './job.js';
import { lazyWorker } from './lazy-worker.js';
import type { TrainingSet, TrainOptions, TrainResult } from './learn/types.js';
import type { TrainerApi, WireLoraRequest } from './training-protocol.js';
import { modelLocation } from './create-classifier.js';
import type { LoraTextSet } from './lora/train-job.js';
import type { LoraCheckpoint, LoraProgress, LoraTrainOptions, LoraTrainResult } from './lora/train-lora.js';
import type { WorkerFactory } from './worker-client.js';

export interface BrowserTrainOptions extends TrainOptions {
  /** Creates the training worker. Default: the bundled `workers/training.worker.ts`. Read on first use only. */
  workerFactory?: WorkerFactory;
}

const defaultWorker: WorkerFactory = () =>
  new Worker(new URL('../workers/training.worker.js', import.meta.url), {
    type: 'module',
    name: 'inpage-classifier-training',
  });

const trainer = lazyWorker<TrainerApi>('training');
let nextJob = 1;

/**
 * Trains a head on labelled vectors in a web worker. The vectors are copied to the worker (the caller keeps its
 * array); progress arrives per epoch; `job.cancel()` rejects at once and stops the worker's loop at the next epoch.
 * @example
 * const emb = await clf.embed(texts);
 * const job = trainHead({ ...emb, labels }, { modelId: clf.info.modelId, onProgress: (p) => console.log(p.epoch) });
 * const { head } = await job;
 * const tuned = await createClassifier({ head });
 */
export function trainHead(set: TrainingSet, options: BrowserTrainOptions): Job<TrainResult> {
  const id = nextJob++;
  const { onProgress, workerFactory, ...wire } = options;
  installErrorTransfer();
  const t = trainer(workerFactory ?? defaultWorker);
  const plain: TrainingSet = { data: set.data, dim: set.dim, labels: set.labels, ids: set.ids };
  const work = t.track(t.remote.train(id, plain, wire, onProgress ? proxy(onProgress) : undefined));
  return new Job(id, work, (jobId) => {
    t.remote.cancel(jobId).catch(() => undefined);
  });
}

export interface BrowserLoraOptions extends Omit<LoraTrainOptions, 'modelId' | 'onProgress' | 'onCheckpoint'> {
  /** A model with `onnx/bottom.onnx` + `onnx/top.onnx` (URL, path or hub id); default the shipped model. */
  model?: string;
  hubUrl?: string;
  revision?: string;
  cache?: boolean;
  offline?: boolean;
  /** Longest sequence used in training (tokens, special ones included); default 128. */
  maxLength?: number;
  onProgress?: (p: LoraProgress) => void;
  /** Bottom hidden states computed so far (the first phase, before the epochs). */
  onEncode?: (done: number, total: number) => void;
  /** After each epoch: everything needed to `resume` (e.g. after the worker was lost). */
  onCheckpoint?: (c: LoraCheckpoint) => void;
  workerFactory?: WorkerFactory;
}

/**
 * Trains a LoRA adapter on the model's top layers and a head with it, in the training worker ([G]). The result's
 * `adapter` is an adapter file: pass it to `createClassifier({ head: adapter })`, or save it like a head.
 * @example
 * const { adapter } = await trainLora({ texts, labels }, { rank: 8, onProgress: (p) => console.log(p.epoch) });
 * const tuned = await createClassifier({ head: adapter });
 */
export function trainLora(set: LoraTextSet, options: BrowserLoraOptions = {}): Job<LoraTrainResult> {
  const id = nextJob++;
  const { onProgress, onEncode, onCheckpoint, workerFactory, model, hubUrl, revision, cache, offline, ...rest } = options;
  installErrorTransfer();
  const t = trainer(workerFactory ?? defaultWorker);
  const request: WireLoraRequest = { model: modelLocation(model), hubUrl, revision, cache, offline, options: rest };
  const plain: LoraTextSet = { texts: set.texts, labels: set.labels, ids: set.ids };
  const cb = <F extends (...a: never[]) => void>(f: F | undefined) => (f ? proxy(f) : undefined);
  const work = t.track(t.remote.trainLora(id, plain, request, cb(onProgress), cb(onEncode), cb(onCheckpoint)));
  return new Job(id, work, (jobId) => {
    t.remote.cancel(jobId).catch(() => undefined);
  });
}
