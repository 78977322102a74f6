/** The origin's storage: asking the browser to keep it (no eviction under pressure) and reporting usage and quota. */
import type { StorageInfo } from './types.js';

const storageManager = (): StorageManager | undefined =>
  typeof navigator !== 'undefined' && navigator.storage ? navigator.storage : undefined;

/**
 * Asks for persistent storage (`navigator.storage.persist()`); resolves with whether it is granted. False where the
 * API is missing (Node, old browsers) or the browser declines.
 * @example if (!(await requestPersistence())) showHint('Bookmark the app so the browser keeps your labels.');
 */
export async function requestPersistence(): Promise<boolean> {
  const sm = storageManager();
  if (!sm?.persist) return false;
  try {
    return (await sm.persisted?.()) || (await sm.persist());
  } catch {
    return false;
  }
}

/**
 * Bytes used and available to this origin, and whether storage is persistent; nulls where unknown.
 * @example const { usage, quota } = await storageInfo(); console.log(`${(usage! / quota! * 100).toFixed(1)} % used`);
 */
export async function storageInfo(): Promise<StorageInfo> {
  const sm = storageManager();
  const est = sm?.estimate ? await sm.estimate().catch(() => undefined) : undefined;
  const persisted = sm?.persisted ? await sm.persisted().catch(() => null) : null;
  return { usage: est?.usage ?? null, quota: est?.quota ?? null, persisted };
}
