/**
 * Where the sync engine remembers what is already on the server: per target (API root + user + app + dataset, never
 * the key), example id → hosted input id. Written after every acknowledged batch, so a reload or crash mid-sync resumes
 * where it stopped. Browsers: IndexedDB (one database, `inpage-classifier-hosted`), via idb-keyval. Node: memory.
 */
import { createStore, delMany, promisifyRequest, setMany, clear, type UseStore } from 'idb-keyval';

export interface SyncStateStore {
  /** Example id → input id of what `target` holds. */
  load(target: string): Promise<Map<string, string>>;
  put(target: string, entries: readonly (readonly [exampleId: string, inputId: string])[]): Promise<void>;
  remove(target: string, exampleIds: readonly string[]): Promise<void>;
  clear(target: string): Promise<void>;
}

/** The IndexedDB database and object store of the sync state. */
export const SYNC_DB = 'inpage-classifier-hosted';
export const SYNC_STORE = 'sync-state';

let shared: UseStore | undefined;

/**
 * The IndexedDB-backed store (browsers). Keys are `[target, exampleId]`, so one target loads with a key range.
 * @example const store = idbSyncState(); await syncDataset({ client, source, datasetId, store });
 */
export function idbSyncState(): SyncStateStore {
  shared ??= createStore(SYNC_DB, SYNC_STORE);
  const db = shared;
  const range = (target: string) => IDBKeyRange.bound([target], [target, []]);
  return {
    async load(target) {
      const [keys, values] = await db('readonly', (s) =>
        Promise.all([promisifyRequest(s.getAllKeys(range(target))), promisifyRequest(s.getAll(range(target)))]),
      );
      return new Map(keys.map((k, i) => [(k as [string, string])[1], values[i] as string]));
    },
    put: (target, entries) => setMany(entries.map(([e, i]) => [[target, e], i]), db),
    remove: (target, ids) => delMany(ids.map((e) => [target, e]), db),
    clear: (target) => db('readwrite', (s) => promisifyRequest(s.delete(range(target)))).then(() => undefined),
  };
}

/** Drops every target's sync state (the next sync re-reads the server's inputs first). */
export async function clearAllSyncState(): Promise<void> {
  shared ??= createStore(SYNC_DB, SYNC_STORE);
  await clear(shared);
}

/**
 * An in-memory store: Node, or a page that wants nothing persisted. Share one instance to resume within a process.
 * @example const store = memorySyncState();
 */
export function memorySyncState(): SyncStateStore {
  const all = new Map<string, Map<string, string>>();
  const of = (t: string) => all.get(t) ?? all.set(t, new Map()).get(t)!;
  return {
    load: async (t) => new Map(of(t)),
    put: async (t, entries) => void entries.forEach(([e, i]) => of(t).set(e, i)),
    remove: async (t, ids) => void ids.forEach((e) => of(t).delete(e)),
    clear: async (t) => void all.delete(t),
  };
}

/** The default store: IndexedDB where there is one, else memory. */
export function defaultSyncState(): SyncStateStore {
  return typeof indexedDB === 'undefined' ? memorySyncState() : idbSyncState();
}
