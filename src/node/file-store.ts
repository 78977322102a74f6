/**
 * File-backed tables for Node (the CLI): one append-only JSONL log per table, `<dir>/<dataset>/<table>.jsonl`, each
 * line one committed write (`[[key, value | null], …]`, null deletes). A torn last line (crash, full disk) is ignored on
 * load and cut off on a failed append, so a write is stored whole or not at all. The log is compacted on open when
 * it has grown well past the live data. One process at a time per directory; writes in a process are serialised.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync, existsSync, truncateSync, statSync } from 'node:fs';
import { appendFile, writeFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { toDataError } from '../data/errors.js';
import { KEEP, type KeyValueStore, type StorageProvider, type Updater } from '../data/kv.js';

// Typed arrays (cached embeddings) round-trip as base64.
const replacer = (_k: string, v: unknown) =>
  v instanceof Float32Array ? { $f32: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64') } : v;
const reviver = (_k: string, v: unknown) => {
  const b = (v as { $f32?: unknown } | null)?.$f32;
  if (typeof b !== 'string') return v;
  const buf = Buffer.from(b, 'base64');
  return new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
};

function load(file: string): { map: Map<string, unknown>; lines: number } {
  const map = new Map<string, unknown>();
  let lines = 0;
  if (!existsSync(file)) return { map, lines };
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line) continue;
    let ops: [string, unknown][];
    try {
      ops = JSON.parse(line, reviver);
    } catch {
      break; // a torn tail: that write never completed
    }
    lines++;
    for (const [k, v] of ops) v === null ? map.delete(k) : map.set(k, v);
  }
  return { map, lines };
}

function fileTable<V>(file: string): KeyValueStore<V> {
  let state: { map: Map<string, V>; size: number } | null = null;
  let queue: Promise<unknown> = Promise.resolve();
  const open = () => {
    if (state) return state;
    const { map, lines } = load(file);
    if (lines > 2 * map.size + 100) {
      writeFileSync(`${file}.tmp`, map.size ? JSON.stringify([...map], replacer) + '\n' : '');
      renameSync(`${file}.tmp`, file);
    }
    state = { map: map as Map<string, V>, size: existsSync(file) ? statSync(file).size : 0 };
    return state;
  };
  /** Appends one write; on failure cuts the file back and leaves memory as it was. */
  const commit = async (ops: [string, V | undefined][]) => {
    if (!ops.length) return;
    const s = open();
    const line = JSON.stringify(ops.map(([k, v]) => [k, v ?? null]), replacer) + '\n';
    try {
      await appendFile(file, line);
    } catch (e) {
      try {
        truncateSync(file, s.size);
      } catch {
        /* nothing was written */
      }
      throw toDataError(e);
    }
    s.size += Buffer.byteLength(line);
    for (const [k, v] of ops) v === undefined ? s.map.delete(k) : s.map.set(k, v);
  };
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const p = queue.then(fn);
    queue = p.catch(() => undefined);
    return p;
  };
  const apply = (keys: string[], fn: Updater<V>) => {
    const m = open().map;
    const view = new Map<string, V | undefined>();
    const ops: [string, V | undefined][] = [];
    for (const k of new Set(keys)) {
      const next = fn(m.get(k), k);
      view.set(k, next === KEEP ? m.get(k) : next);
      if (next !== KEEP) ops.push([k, next]);
    }
    return { view, ops };
  };
  return {
    get: async (key) => serial(async () => open().map.get(key)),
    getMany: async (keys) => serial(async () => keys.map((k) => open().map.get(k))),
    update: (keys, fn) =>
      serial(async () => {
        const { view, ops } = apply(keys, fn);
        await commit(ops);
        return keys.map((k) => view.get(k));
      }),
    updateAll: (fn) =>
      serial(async () => {
        const { ops } = apply([...open().map.keys()], fn);
        await commit(ops);
        return ops.length;
      }),
    setMany: (list) => serial(() => commit(list)),
    delMany: (keys) => serial(() => commit(keys.map((k) => [k, undefined]))),
    entries: () => serial(async () => [...open().map]),
    count: () => serial(async () => open().map.size),
    clear: () =>
      serial(async () => {
        const tmp = `${file}.tmp`;
        await writeFile(tmp, '');
        await rename(tmp, file);
        state = { map: new Map(), size: 0 };
      }),
  };
}

/**
 * Dataset tables as files under `dir` (created when missing).
 * @example const ds = openDataset('reviews', { storage: fileStorage('.inpage-data') });
 */
export function fileStorage(dir: string): StorageProvider {
  const tables = new Map<string, KeyValueStore<unknown>>();
  return {
    kind: 'file',
    table<V>(dataset: string, table: string): KeyValueStore<V> {
      const folder = join(dir, dataset);
      mkdirSync(folder, { recursive: true });
      const file = join(folder, `${table}.jsonl`);
      if (!tables.has(file)) tables.set(file, fileTable<unknown>(file));
      return tables.get(file) as KeyValueStore<V>;
    },
  };
}
