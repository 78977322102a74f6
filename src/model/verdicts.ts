/**
 * Cached golden-check verdicts per (adapter, model hash, dtype), in IndexedDB via idb-keyval, so a GPU that failed a
 * model once is not retried on every load, and one that passed skips the check. Missing IndexedDB = no cache.
 */
import { createStore, get, set, type UseStore } from 'idb-keyval';

let store: UseStore | null | undefined;

function verdictStore(): UseStore | null {
  if (store === undefined) store = typeof indexedDB !== 'undefined' ? createStore('inpage-classifier-verdicts', 'verdicts') : null;
  return store;
}

export const verdictKey = (adapterKey: string, modelSha256: string, dtype: string): string =>
  `${adapterKey}#${modelSha256}#${dtype}`;

export async function readVerdict(key: string): Promise<boolean | undefined> {
  const s = verdictStore();
  if (!s) return undefined;
  try {
    return await get<boolean>(key, s);
  } catch {
    return undefined;
  }
}

export async function writeVerdict(key: string, passed: boolean): Promise<void> {
  const s = verdictStore();
  if (s) await set(key, passed, s).catch(() => undefined);
}
