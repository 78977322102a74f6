/** What the data worker exposes over comlink. Errors come back as data, so dataset error codes survive the trip. */
import type { SerializedError } from './errors.js';
import type { ImportOptions } from './data/import.js';
import type { ImportProgress, ImportReport } from './data/types.js';

export type DataResult<T> = { ok: true; value: T } | { ok: false; error: SerializedError };

export interface DataWorkerApi {
  /** Imports into the IndexedDB dataset `dataset`, opened in the worker. */
  importRows(
    jobId: number,
    dataset: string,
    input: string | Blob,
    options: ImportOptions,
    onProgress?: (p: ImportProgress) => void,
  ): Promise<DataResult<ImportReport>>;
  cancel(jobId: number): void;
}
