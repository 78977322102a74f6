/**
 * Data worker: wiring only. Parses and writes imports off the page's thread, so 100k rows never freeze it.
 */
import { expose, releaseProxy, type Remote } from 'comlink';
import { openDataset } from '../src/data/dataset.js';
import { importInto } from '../src/data/import.js';
import type { DataWorkerApi } from '../src/data-protocol.js';
import { serializeError } from '../src/errors.js';

const cancelled = new Set<number>();

const api: DataWorkerApi = {
  async importRows(jobId, dataset, input, options, onProgress) {
    try {
      const value = await importInto(input, options, openDataset(dataset), {
        onProgress,
        isCancelled: () => cancelled.has(jobId),
      });
      return { ok: true, value };
    } catch (e) {
      return { ok: false, error: serializeError(e) };
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
