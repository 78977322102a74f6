/**
 * Typed errors of the dataset. Their codes sit beside the classifier's (`ErrorCode`) and survive a worker boundary
 * the same way: `name`, `message` and `code` are plain data.
 */

export const DataErrorCode = Object.freeze({
  /** The browser refused the write: the origin's storage quota is used up. Nothing of the write was stored. */
  QuotaExceeded: 'QUOTA_EXCEEDED',
  /** No example, concept or head with that id. */
  NotFound: 'NOT_FOUND',
  /** A record or file that is not what it should be (bad head file, unknown schema, bad argument). */
  InvalidData: 'INVALID_DATA',
  /** The stored schema is newer than this code understands (a newer version of the app wrote it). */
  SchemaTooNew: 'SCHEMA_TOO_NEW',
  /** Any other storage failure (IndexedDB unavailable, disk error). */
  Storage: 'STORAGE',
} as const);
export type DataErrorCode = (typeof DataErrorCode)[keyof typeof DataErrorCode];

/**
 * Base class of dataset errors.
 * @example try { await addExamples(rows, ds); } catch (e) { if (e instanceof DataError && e.code === 'QUOTA_EXCEEDED') … }
 */
export class DataError extends Error {
  readonly code: DataErrorCode;
  constructor(code: DataErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DataError';
    this.code = code;
  }
}

/** The storage quota is exhausted; the transaction was rolled back, so nothing was half-written. */
export class QuotaExceededError extends DataError {
  constructor(message = 'Storage quota exceeded: nothing was saved. Free space (delete old heads, clear the embedding cache) and retry.', options?: { cause?: unknown }) {
    super(DataErrorCode.QuotaExceeded, message, options);
    this.name = 'QuotaExceededError';
  }
}

const isQuota = (e: unknown): boolean => {
  const err = e as { name?: unknown; code?: unknown; inner?: { name?: unknown } } | null;
  return err?.name === 'QuotaExceededError' || err?.code === 22 || err?.code === 'ENOSPC' || err?.inner?.name === 'QuotaExceededError';
};

/** Maps a storage failure (DOMException, Node fs error) to a typed DataError; typed errors pass through. */
export function toDataError(e: unknown): Error {
  if (e instanceof DataError) return e;
  if (isQuota(e)) return new QuotaExceededError(undefined, { cause: e });
  const msg = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return new DataError(DataErrorCode.Storage, `Storage failed: ${msg}`, { cause: e });
}

/** Rebuilds a DataError from its plain form (after a worker boundary); undefined when the code is not a data code. */
export function reviveDataError(s: { name: string; message: string; code?: string }): Error | undefined {
  if (s.code === DataErrorCode.QuotaExceeded) return new QuotaExceededError(s.message);
  if (s.code && (Object.values(DataErrorCode) as string[]).includes(s.code)) {
    return new DataError(s.code as DataErrorCode, s.message);
  }
  return undefined;
}
