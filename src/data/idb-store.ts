/**
 * IndexedDB tables through idb-keyval. `createStore(db, store)` opens version 1 and never upgrades, so every table is
 * its own database (`inpage-classifier/<dataset>/<table>`); the dataset's schema version lives in its `meta` table.
 * Every write is one transaction: the promise resolves only when it has committed, and a quota failure aborts it whole.
 */
import { clear, createStore, delMany, entries, getMany, get, promisifyRequest, setMany, type UseStore } from 'idb-keyval';
import { toDataError } from './errors.js';
import { KEEP, type KeyValueStore, type StorageProvider, type Updater } from './kv.js';

/** The database name of a table. */
export const idbName = (dataset: string, table: string): string => `inpage-classifier/${dataset}/${table}`;

const guard = async <T>(p: Promise<T>): Promise<T> => {
  try {
    return await p;
  } catch (e) {
    throw toDataError(e);
  }
};

/** Runs `fn` over requests of one readwrite transaction; aborts the transaction if `fn` throws. */
function writeTx(use: UseStore, body: (s: IDBObjectStore) => void): Promise<void> {
  return use('readwrite', (s) => {
    const done = promisifyRequest(s.transaction);
    try {
      body(s);
    } catch (e) {
      s.transaction.abort();
      done.catch(() => undefined);
      throw e;
    }
    return done;
  });
}

/**
 * One IndexedDB-backed table.
 * @example const t = idbTable<Example>('reviews', 'examples'); await t.update([id], (old) => ({ ...old!, labels }));
 */
export function idbTable<V>(dataset: string, table: string): KeyValueStore<V> {
  const use = createStore(idbName(dataset, table), 'kv');
  return {
    get: (key) => guard(get<V>(key, use)),
    getMany: (keys) => guard(getMany<V>(keys, use)),
    update(keys, fn) {
      const after = new Map<string, V | undefined>();
      return guard(
        writeTx(use, (s) => {
          for (const key of new Set(keys)) {
            const req = s.get(key);
            req.onsuccess = () => {
              const old = req.result as V | undefined;
              const next = fn(old, key);
              if (next === KEEP) return void after.set(key, old);
              after.set(key, next);
              if (next === undefined) s.delete(key);
              else s.put(next, key);
            };
          }
        }).then(() => keys.map((k) => after.get(k))),
      );
    },
    updateAll(fn: Updater<V>) {
      let changed = 0;
      return guard(
        writeTx(use, (s) => {
          const req = s.openCursor();
          req.onsuccess = () => {
            const cursor = req.result;
            if (!cursor) return;
            const next = fn(cursor.value as V, String(cursor.key));
            if (next !== KEEP) {
              changed++;
              if (next === undefined) cursor.delete();
              else cursor.update(next);
            }
            cursor.continue();
          };
        }).then(() => changed),
      );
    },
    setMany: (list) => guard(setMany(list, use)),
    delMany: (keys) => guard(delMany(keys, use)),
    entries: () => guard(entries<string, V>(use)),
    count: () => guard(use('readonly', (s) => promisifyRequest(s.count()))),
    clear: () => guard(clear(use)),
  };
}

/**
 * Tables in this origin's IndexedDB: the default storage in browsers and workers.
 * @example const ds = openDataset('reviews', { storage: idbStorage() });
 */
export function idbStorage(): StorageProvider {
  return { kind: 'indexeddb', table: idbTable };
}
