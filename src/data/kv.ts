/**
 * The storage seam: a table is a key → value store with atomic multi-key read-modify-write. IndexedDB (via
 * idb-keyval, `idb-store.ts`) backs it in browsers; an append-only file (`src/node/file-store.ts`) in Node.
 */

/** Returned by an updater to leave a key as it is (no write). */
export const KEEP: unique symbol = Symbol('keep');

/** New value for a key; `undefined` deletes it, `KEEP` leaves it untouched. Synchronous: it runs inside a transaction. */
export type Updater<V> = (old: V | undefined, key: string) => V | undefined | typeof KEEP;

export interface KeyValueStore<V> {
  get(key: string): Promise<V | undefined>;
  getMany(keys: string[]): Promise<(V | undefined)[]>;
  /**
   * Reads, changes and writes `keys` in one transaction: all of it is stored or none of it (quota errors included).
   * A key listed twice sees the first change. Resolves with each key's value after the change, in `keys` order.
   */
  update(keys: string[], fn: Updater<V>): Promise<(V | undefined)[]>;
  /** `update` over every stored key, in one transaction; resolves with how many keys changed. */
  updateAll(fn: Updater<V>): Promise<number>;
  setMany(entries: [string, V][]): Promise<void>;
  delMany(keys: string[]): Promise<void>;
  entries(): Promise<[string, V][]>;
  count(): Promise<number>;
  clear(): Promise<void>;
}

/**
 * Where a dataset's tables live. `kind: 'indexeddb'` lets the browser facade reopen the same tables in a worker.
 * @example const storage = idbStorage(); const examples = storage.table<Example>('reviews', 'examples');
 */
export interface StorageProvider {
  readonly kind: 'indexeddb' | 'file' | 'custom';
  table<V>(dataset: string, table: string): KeyValueStore<V>;
}
