/**
 * `importRows` in browsers: an IndexedDB dataset is imported by a module worker (workers/data.worker.ts), which opens
 * the same database, so parsing and writing 100k rows never block the page. Other storages import in-process.
 */
import { proxy } from 'comlink';
import { defaultDataset, type Dataset } from './data/dataset.js';
import { reviveDataError } from './data/errors.js';
import { importInto, type ImportOptions } from './data/import.js';
import type { ImportProgress, ImportReport } from './data/types.js';
import type { DataResult, DataWorkerApi } from './data-protocol.js';
import { deserializeError } from './errors.js';
import { Job } from './job.js';
import { lazyWorker } from './lazy-worker.js';
import type { WorkerFactory } from './worker-client.js';

export interface BrowserImportOptions extends ImportOptions {
  onProgress?: (p: ImportProgress) => void;
  /** Creates the data worker. Default: the bundled `workers/data.worker.ts`. Read on first use only. */
  workerFactory?: WorkerFactory;
}

const defaultWorker: WorkerFactory = () =>
  new Worker(new URL('../workers/data.worker.ts', import.meta.url), { type: 'module', name: 'inpage-classifier-data' });

const dataWorker = lazyWorker<DataWorkerApi>('data');
let nextJob = 1;

/**
 * Imports a JSONL or CSV file (a `File`/`Blob`, or text) into the dataset, streamed, with a report of the rows
 * accepted and rejected and why. `job.cancel()` stops it and rolls back what it wrote.
 * @example
 * const report = await importRows(input.files[0], { onProgress: (p) => bar.value = p.loaded / p.total }, ds);
 * console.log(report.accepted, report.reasons); // 99 870 { duplicate: 120, 'empty text': 10 }
 */
export function importRows(input: string | Blob, options: BrowserImportOptions = {}, ds?: Dataset): Job<ImportReport> {
  const id = nextJob++;
  const d = ds ?? defaultDataset();
  const { onProgress, workerFactory, ...wire } = options;
  const inWorker = d.storage.kind === 'indexeddb' && typeof Worker !== 'undefined';
  let cancelled = false;
  const t = inWorker ? dataWorker(workerFactory ?? defaultWorker) : null;
  const work = t
    ? t
        .track(
          d.ready.then(
            () =>
              t.remote.importRows(id, d.name, input, wire, onProgress ? proxy(onProgress) : undefined) as Promise<
                DataResult<ImportReport>
              >,
          ),
        )
        .then((r: DataResult<ImportReport>) => {
          if (!r.ok) throw reviveDataError(r.error) ?? deserializeError(r.error);
          return r.value;
        })
    : importInto(input, wire, d, { onProgress, isCancelled: () => cancelled });
  return new Job(id, work, (jobId) => {
    cancelled = true;
    t?.remote.cancel(jobId).catch(() => undefined);
  });
}
