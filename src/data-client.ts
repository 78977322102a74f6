/**
 * `importRows` in browsers: an IndexedDB dataset is imported by a module worker (workers/data.worker.ts), which opens
 * the same database, so parsing and writing 100k rows never block the page. Other storages import in-process.
 */
import { proxy, wrap, type Remote } from 'comlink';
import { defaultDataset, type Dataset } from './data/dataset.js';
import { reviveDataError } from './data/errors.js';
import { importInto, type ImportOptions } from './data/import.js';
import type { ImportProgress, ImportReport } from './data/types.js';
import type { DataResult, DataWorkerApi } from './data-protocol.js';
import { deserializeError, WorkerCrashedError } from './errors.js';
import { Job } from './job.js';
import type { WorkerFactory } from './worker-client.js';

export interface BrowserImportOptions extends ImportOptions {
  onProgress?: (p: ImportProgress) => void;
  /** Creates the data worker. Default: the bundled `workers/data.worker.ts`. Read on first use only. */
  workerFactory?: WorkerFactory;
}

const defaultWorker: WorkerFactory = () =>
  new Worker(new URL('../workers/data.worker.ts', import.meta.url), { type: 'module', name: 'inpage-classifier-data' });

let current: { worker: Worker; remote: Remote<DataWorkerApi>; pending: Set<(e: Error) => void> } | null = null;
let nextJob = 1;

function dataWorker(factory: WorkerFactory): NonNullable<typeof current> {
  if (current) return current;
  const worker = factory();
  const t = { worker, remote: wrap<DataWorkerApi>(worker), pending: new Set<(e: Error) => void>() };
  const died = (why: string) => {
    if (current !== t) return;
    current = null;
    worker.terminate();
    for (const reject of t.pending) reject(new WorkerCrashedError(why));
  };
  worker.addEventListener('error', (ev) => {
    ev.preventDefault();
    died(`The data worker failed: ${ev.message || 'uncaught error'}.`);
  });
  current = t;
  return t;
}

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
  let t: NonNullable<typeof current> | null = null;
  const work = inWorker
    ? new Promise<ImportReport>((resolve, reject) => {
        t = dataWorker(workerFactory ?? defaultWorker);
        t.pending.add(reject);
        d.ready
          .then(
            () =>
              t!.remote.importRows(id, d.name, input, wire, onProgress ? proxy(onProgress) : undefined) as Promise<
                DataResult<ImportReport>
              >,
          )
          .then((r) => (r.ok ? resolve(r.value) : reject(reviveDataError(r.error) ?? deserializeError(r.error))), reject)
          .finally(() => t?.pending.delete(reject));
      })
    : importInto(input, wire, d, { onProgress, isCancelled: () => cancelled });
  return new Job(id, work, (jobId) => {
    cancelled = true;
    t?.remote.cancel(jobId).catch(() => undefined);
  });
}
