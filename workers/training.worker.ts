/**
 * Training worker: wiring only. Exposes fitHead over comlink with per-job cancel flags; progress proxies are released
 * when a job ends.
 */
import { expose, releaseProxy, type Remote } from 'comlink';
import { installErrorTransfer } from '../src/comlink-errors.js';
import { fitHead } from '../src/learn/train-head.js';
import type { TrainerApi } from '../src/training-protocol.js';

installErrorTransfer();
const cancelled = new Set<number>();

const api: TrainerApi = {
  async train(jobId, set, options, onProgress) {
    try {
      return await fitHead(set, { ...options, onProgress }, { isCancelled: () => cancelled.has(jobId) });
    } finally {
      cancelled.delete(jobId);
      (onProgress as Remote<unknown> | undefined)?.[releaseProxy]?.();
    }
  },
  cancel(jobId) {
    cancelled.add(jobId);
  },
};
expose(api);
