/**
 * Training worker: wiring only. Exposes fitHead and LoRA training over comlink with per-job cancel flags; progress proxies are released
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
  async trainLora(jobId, set, request, onProgress, onEncode, onCheckpoint) {
    const isCancelled = () => cancelled.has(jobId);
    try {
      // LoRA (kernels, model loading, tokenizer, ORT) is loaded on first use: head training alone stays small.
      const [{ trainLoraAdapter }, { loadModelFiles }, { remoteSource }] = await Promise.all([
        import('../src/lora/train-job.js'),
        import('../src/model/load-model.js'),
        import('../src/model/resolve-source.js'),
      ]);
      const { model, hubUrl, revision, cache, offline } = request;
      const files = await loadModelFiles(remoteSource({ model, hubUrl, revision, cache, offline }), ['fp32'], { split: true, isCancelled });
      // One thread: the training loop is single-threaded JS, and a pthread pool would only idle beside it.
      const ort = await import('onnxruntime-web/wasm');
      ort.env.logLevel = 'error';
      ort.env.wasm.numThreads = 1;
      return await trainLoraAdapter(ort, files, set, { ...request.options, onProgress, onCheckpoint }, { isCancelled, onEncode });
    } finally {
      cancelled.delete(jobId);
      for (const cb of [onProgress, onEncode, onCheckpoint]) (cb as Remote<unknown> | undefined)?.[releaseProxy]?.();
    }
  },
  cancel(jobId) {
    cancelled.add(jobId);
  },
};
expose(api);
