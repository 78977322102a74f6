/**
 * A persistent key → bytes store for model files. The browser implementation is Cache Storage (quota-managed, visible
 * in devtools, readable from workers and service workers alike).
 */

export interface FileStore {
  get(key: string): Promise<Uint8Array | null>;
  put(key: string, bytes: Uint8Array): Promise<void>;
  delete(key: string): Promise<void>;
  /** Keys and byte sizes of everything stored. */
  list(): Promise<{ key: string; bytes: number }[]>;
  clear(): Promise<void>;
}

/** The Cache Storage bucket holding model files. Bump the suffix if the entry format changes. */
export const MODEL_CACHE_NAME = 'inpage-classifier-models-v1';

export const hasCacheStorage = (): boolean => typeof caches !== 'undefined';

/**
 * @example const store = cacheStorageStore(); await store.put(url, bytes);
 */
export function cacheStorageStore(name: string = MODEL_CACHE_NAME): FileStore {
  const open = () => caches.open(name);
  return {
    async get(key) {
      const res = await (await open()).match(key);
      return res ? new Uint8Array(await res.arrayBuffer()) : null;
    },
    async put(key, bytes) {
      const headers = { 'content-type': 'application/octet-stream', 'content-length': String(bytes.byteLength) };
      await (await open()).put(key, new Response(bytes as Uint8Array<ArrayBuffer>, { headers }));
    },
    async delete(key) {
      await (await open()).delete(key);
    },
    async list() {
      const cache = await open();
      const out: { key: string; bytes: number }[] = [];
      for (const req of await cache.keys()) {
        const res = await cache.match(req);
        out.push({ key: req.url, bytes: Number(res?.headers.get('content-length') ?? 0) });
      }
      return out;
    },
    async clear() {
      await caches.delete(name);
    },
  };
}
