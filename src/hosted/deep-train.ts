/**
 * The one call behind "Deep training on Clarifai": app and dataset ensured, labelled examples synced, a READY dataset
 * version snapshotted, a `text-classifier` trained on the chosen path, progress reported all along.
 */
import { Job } from '../job.js';
import { ensureApp, ensureDataset, createReadyDatasetVersion } from './apps.js';
import { HostedClient, type HostedClientOptions } from './client.js';
import { syncDataset, type SyncOptions, type SyncProgress, type SyncReport } from './sync.js';
import { startTraining, waitForTraining, type WaitOptions } from './training.js';
import type { PipelineConfig, TemplateConfig, TrainingHandle, TrainingPath, TrainingStatus } from './training-types.js';
import { getEvalMetrics, type HostedEvalSummary } from './models.js';

export interface DeepTrainOptions extends HostedClientOptions {
  source: SyncOptions['source'];
  /** Default `inpage-labelled-texts`. */
  datasetId?: string;
  /** Default `inpage-text-classifier`. */
  modelId?: string;
  trainingPath?: 'auto' | TrainingPath;
  template?: TemplateConfig;
  pipeline?: PipelineConfig;
  /** Sync settings (state store, id prefix, negatives). */
  sync?: Pick<SyncOptions, 'store' | 'idPrefix' | 'negatives' | 'batchSize' | 'verify'>;
  poll?: Pick<WaitOptions, 'intervalMs' | 'maxIntervalMs' | 'timeoutMs'>;
  onProgress?: (p: DeepTrainProgress) => void;
  signal?: AbortSignal;
}

export type DeepTrainProgress =
  | { step: 'app' | 'dataset' | 'snapshot' | 'start' }
  | { step: 'sync'; sync: SyncProgress }
  | { step: 'training'; training: TrainingStatus; handle: TrainingHandle };

export interface DeepTrainResult {
  modelId: string;
  modelVersionId: string;
  datasetId: string;
  datasetVersionId: string;
  handle: TrainingHandle;
  sync: SyncReport;
  final: TrainingStatus;
  /** The server's own evaluation, when it has one. */
  metrics: HostedEvalSummary | null;
}

let nextJob = 1;

/**
 * @example
 * const job = deepTrain({ pat, appId: 'reviews', source: { listExamples: () => listExamples({}, ds) }, onProgress: show });
 * const { modelId, modelVersionId } = await job; // then createClassifier({ hosted: { pat, appId, modelId, versionId: modelVersionId } })
 */
export function deepTrain(options: DeepTrainOptions): Job<DeepTrainResult> {
  const controller = new AbortController();
  options.signal?.addEventListener('abort', () => controller.abort(), { once: true });
  return new Job(nextJob++, run(options, controller.signal), () => controller.abort());
}

async function run(o: DeepTrainOptions, signal: AbortSignal): Promise<DeepTrainResult> {
  const client = new HostedClient(o);
  const datasetId = o.datasetId ?? 'inpage-labelled-texts';
  const modelId = o.modelId ?? 'inpage-text-classifier';
  const say = (p: DeepTrainProgress) => o.onProgress?.(p);
  say({ step: 'app' });
  await ensureApp(client, signal);
  say({ step: 'dataset' });
  await ensureDataset(client, datasetId, signal);
  const sync = await syncDataset({ ...o.sync, client, source: o.source, datasetId, signal, onProgress: (s) => say({ step: 'sync', sync: s }) });
  say({ step: 'snapshot' });
  const version = await createReadyDatasetVersion(client, datasetId, `inpage-classifier sync ${new Date().toISOString()}`, {
    signal,
    pollMs: o.poll?.intervalMs,
  });
  say({ step: 'start' });
  const handle = await startTraining(client, {
    modelId,
    datasetId,
    datasetVersionId: version.id,
    concepts: sync.concepts,
    path: o.trainingPath,
    template: o.template,
    pipeline: o.pipeline,
    signal,
  });
  const final = await waitForTraining(client, handle, { ...o.poll, signal, onStatus: (training) => say({ step: 'training', training, handle }) });
  const modelVersionId = final.modelVersionId ?? handle.modelVersionId!;
  const metrics = await getEvalMetrics(client, modelId, modelVersionId, signal).catch(() => null);
  return { modelId, modelVersionId, datasetId, datasetVersionId: version.id, handle, sync, final, metrics };
}
