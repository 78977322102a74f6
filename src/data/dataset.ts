/**
 * A dataset handle: its tables (examples, concepts, heads, meta) in one storage, opened and migrated to the current
 * schema once. The data functions take it as their optional last argument (idb-keyval style); without it they use
 * the `default` dataset in this origin's IndexedDB.
 */
import { DataError, DataErrorCode } from './errors.js';
import { idbStorage } from './idb-store.js';
import type { KeyValueStore, StorageProvider } from './kv.js';
import { migrationPath, SCHEMA_VERSION, type TableName } from './migrations.js';
import type { Concept, Example, HeadRecord } from './types.js';

export interface Dataset {
  readonly name: string;
  readonly storage: StorageProvider;
  readonly examples: KeyValueStore<Example>;
  readonly concepts: KeyValueStore<Concept>;
  readonly heads: KeyValueStore<HeadRecord>;
  readonly meta: KeyValueStore<unknown>;
  /** Resolves once the stored schema is current (migrated if it was older); rejects if it is newer. */
  readonly ready: Promise<void>;
}

export interface OpenDatasetOptions {
  /** Default: IndexedDB (browsers and workers). Node passes `fileStorage(dir)` from the Node entry. */
  storage?: StorageProvider;
}

function defaultStorage(): StorageProvider {
  if (typeof indexedDB === 'undefined') {
    throw new DataError(DataErrorCode.Storage, 'No IndexedDB here: pass { storage } (in Node: fileStorage(dir)).');
  }
  return idbStorage();
}

/** Runs `fn` holding a Web Lock named after the dataset where locks exist, so two tabs never migrate at once. */
function exclusive<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  return locks ? (locks.request(`inpage-classifier/${name}/schema`, fn) as Promise<T>) : fn();
}

async function migrate(ds: Dataset): Promise<void> {
  const stored = (await ds.meta.get('schemaVersion')) as number | undefined;
  // A store without a version is new, or was written before versions were recorded (v1).
  const version = stored ?? ((await ds.examples.count()) + (await ds.heads.count()) > 0 ? 1 : SCHEMA_VERSION);
  if (version > SCHEMA_VERSION) {
    throw new DataError(
      DataErrorCode.SchemaTooNew,
      `Dataset "${ds.name}" has schema version ${version}; this build reads up to ${SCHEMA_VERSION}. Update the app.`,
    );
  }
  for (const step of migrationPath(version)) {
    for (const [table, fn] of Object.entries(step.tables) as [TableName, (old: unknown, key: string) => unknown][]) {
      await (ds[table] as KeyValueStore<unknown>).updateAll(fn);
    }
    await ds.meta.setMany([['schemaVersion', step.to]]);
  }
  if (stored === undefined && version === SCHEMA_VERSION) await ds.meta.setMany([['schemaVersion', SCHEMA_VERSION]]);
}

/**
 * Opens (creating when new) a dataset. Cheap and synchronous; the first data call waits for `ready`.
 * @example
 * const ds = openDataset('reviews');
 * await addExamples([{ text: 'Great battery', labels: ['positive'] }], ds);
 */
export function openDataset(name = 'default', options: OpenDatasetOptions = {}): Dataset {
  if (!name || typeof name !== 'string' || name.includes('/')) {
    throw new DataError(DataErrorCode.InvalidData, `dataset name must be a non-empty string without "/", got ${JSON.stringify(name)}`);
  }
  const storage = options.storage ?? defaultStorage();
  const ds = {
    name,
    storage,
    examples: storage.table<Example>(name, 'examples'),
    concepts: storage.table<Concept>(name, 'concepts'),
    heads: storage.table<HeadRecord>(name, 'heads'),
    meta: storage.table<unknown>(name, 'meta'),
  } as Omit<Dataset, 'ready'> as Dataset;
  const ready = exclusive(name, () => migrate(ds));
  ready.catch(() => undefined); // reported by the first call that awaits it
  return Object.assign(ds, { ready });
}

let fallback: Dataset | undefined;

/** The `default` dataset in IndexedDB, opened on first use: what the data functions use without a dataset argument. */
export function defaultDataset(): Dataset {
  return (fallback ??= openDataset());
}

/** The dataset, once ready: every data function starts here. */
export async function use(ds: Dataset | undefined): Promise<Dataset> {
  const d = ds ?? defaultDataset();
  await d.ready;
  return d;
}
