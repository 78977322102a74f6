/**
 * Public cache controls: how much the model cache holds, and clearing it. Main thread or worker.
 */
import { cacheStorageStore, hasCacheStorage, type FileStore } from './file-store.js';

export interface CacheInfo {
  /** Bytes of cached model files (manifests included). */
  bytes: number;
  /** Model locations with a manifest. */
  models: string[];
  /** Origin-wide usage and quota from `navigator.storage.estimate()`, when available. */
  usage?: number;
  quota?: number;
}

/**
 * @example const { bytes, models } = await getModelCacheInfo();
 */
export async function getModelCacheInfo(store?: FileStore): Promise<CacheInfo> {
  if (!store && !hasCacheStorage()) return { bytes: 0, models: [] };
  const entries = await (store ?? cacheStorageStore()).list();
  const models = entries
    .filter((e) => e.key.endsWith('.inpage-manifest.json'))
    .map((e) => e.key.slice(0, -'.inpage-manifest.json'.length));
  const info: CacheInfo = { bytes: entries.reduce((s, e) => s + e.bytes, 0), models };
  const estimate = await (typeof navigator !== 'undefined' ? navigator.storage?.estimate?.() : undefined);
  if (estimate) Object.assign(info, { usage: estimate.usage, quota: estimate.quota });
  return info;
}

/** Deletes every cached model file. The next load fetches again. */
export async function clearModelCache(store?: FileStore): Promise<void> {
  if (!store && !hasCacheStorage()) return;
  await (store ?? cacheStorageStore()).clear();
}
