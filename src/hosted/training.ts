/**
 * One training interface over the two paths of contract §9: `startTraining` picks the path (`auto`: a configured
 * pipeline first, else the template path), `pollTraining` reads its state, `waitForTraining` polls with back-off.
 */
import { InvalidInputError } from '../errors.js';
import type { HostedClient } from './client.js';
import { PIPELINE_FALLBACK_CODES, TRAINING_POLL, UNTRAINED_GRACE_MS } from './contract.js';
import { TrainingFailedError, TrainingPathUnavailableError } from './errors.js';
import { pollPipelineTraining, startPipelineTraining } from './pipeline-path.js';
import { sleep } from './retry.js';
import { pollTemplateTraining, startTemplateTraining } from './template-path.js';
import type { TrainingHandle, TrainingPath, TrainingRequest, TrainingStatus } from './training-types.js';
import { Status } from './codes.js';

/** The path that last worked per app (this session only), so `auto` does not re-try a refused one each time. */
const worked = new Map<string, TrainingPath>();

const newToken = (): string => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;

/**
 * Starts training. A refused start throws TrainingPathUnavailableError carrying the server's status.
 * @example const handle = await startTraining(client, { modelId: 'm', datasetId: 'd', datasetVersionId: v.id, concepts });
 */
export async function startTraining(client: HostedClient, req: TrainingRequest): Promise<TrainingHandle> {
  if (!req.concepts.length) throw new InvalidInputError('startTraining: no concepts to train');
  const path = req.path ?? 'auto';
  const appKey = `${client.root}|${client.userId}|${client.appId}`;
  if (path === 'pipeline' && !req.pipeline) throw new InvalidInputError('startTraining: path "pipeline" needs a pipeline config');
  const token = newToken();
  const usePipeline = path === 'pipeline' || (path === 'auto' && !!req.pipeline && worked.get(appKey) !== 'template');
  if (usePipeline) {
    try {
      const h = await startPipelineTraining(client, req, token);
      worked.set(appKey, 'pipeline');
      return h;
    } catch (err) {
      const fallback = path === 'auto' && err instanceof TrainingPathUnavailableError && PIPELINE_FALLBACK_CODES.includes(err.status!.code);
      if (!fallback) throw err;
      const h = await startTemplateTraining(client, req, token);
      worked.set(appKey, 'template');
      return { ...h, note: `pipeline refused (${err.status!.code} ${err.status!.description}); used the template path` };
    }
  }
  const h = await startTemplateTraining(client, req, token);
  worked.set(appKey, 'template');
  return h;
}

/**
 * One look at a training's state.
 * @example const s = await pollTraining(client, handle); if (s.state === 'succeeded') use(s.modelVersionId);
 */
export function pollTraining(client: HostedClient, handle: TrainingHandle, signal?: AbortSignal): Promise<TrainingStatus> {
  return handle.path === 'pipeline' ? pollPipelineTraining(client, handle, signal) : pollTemplateTraining(client, handle, signal);
}

export interface WaitOptions {
  signal?: AbortSignal;
  onStatus?: (s: TrainingStatus) => void;
  /** First poll interval (default 10 s, growing ×1.5 to `maxIntervalMs`). */
  intervalMs?: number;
  maxIntervalMs?: number;
  /** Default 6 hours. */
  timeoutMs?: number;
}

/**
 * Polls until the training succeeds (resolves with the status) or fails (throws TrainingFailedError; a template
 * version that failed without ever leaving the queue throws TrainingPathUnavailableError).
 * @example const done = await waitForTraining(client, handle, { onStatus: (s) => show(s.description) });
 */
export async function waitForTraining(client: HostedClient, handle: TrainingHandle, options: WaitOptions = {}): Promise<TrainingStatus> {
  let wait = options.intervalMs ?? TRAINING_POLL.firstMs;
  const maxWait = options.maxIntervalMs ?? TRAINING_POLL.maxMs;
  const deadline = Date.now() + (options.timeoutMs ?? 6 * 3600_000);
  let leftQueue = false;
  let untrainedSince: number | undefined;
  for (;;) {
    const s = await pollTraining(client, handle, options.signal);
    options.onStatus?.(s);
    if (s.state === 'succeeded') return s;
    if (s.state === 'failed' || s.state === 'cancelled') {
      if (handle.path === 'template' && !leftQueue) throw new TrainingPathUnavailableError('template', s.raw, 'The version failed while still queued.');
      throw new TrainingFailedError(s.state, s.raw);
    }
    if (s.state !== 'queued') leftQueue = true;
    if (s.statusCode === Status.ModelUntrained) {
      untrainedSince ??= Date.now();
      if (Date.now() - untrainedSince > UNTRAINED_GRACE_MS) throw new TrainingFailedError('failed', s.raw);
    }
    if (Date.now() > deadline) throw new TrainingFailedError('timed out', s.raw);
    await sleep(wait, options.signal);
    wait = Math.min(maxWait, wait * TRAINING_POLL.factor);
  }
}
