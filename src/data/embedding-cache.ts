/**
 * The embedding cache: pooled vectors keyed by (model id, revision, dtype, text hash), so retraining never embeds a
 * text twice. Vectors and a small index (bytes, last use) are two tables of the `embeddings` store; when the total
 * passes the byte budget the least recently used entries are evicted.
 */
import type { EmbedResult } from '../types.js';
import { toDataError } from './errors.js';
import { evictionPlan } from './eviction.js';
import { idbStorage } from './idb-store.js';
import { KEEP, type KeyValueStore, type StorageProvider } from './kv.js';
import { hash64 } from './text-id.js';

/** What embeds: a `Classifier` fits. */
export interface Embedder {
  readonly info: { readonly modelId: string; readonly dtype: string; readonly dim: number };
  embed(texts: string[]): PromiseLike<EmbedResult>;
}

type IndexEntry = { bytes: number; usedAt: number };

export interface EmbeddingCache {
  readonly vectors: KeyValueStore<Float32Array>;
  readonly index: KeyValueStore<IndexEntry>;
  readonly budgetBytes: number;
  /** Counted since the cache was opened. */
  readonly stats: { hits: number; misses: number };
}

export interface EmbeddingCacheOptions {
  /** Default: IndexedDB. */
  storage?: StorageProvider;
  /** Default 256 MiB. */
  budgetBytes?: number;
  /** Store name; default `embeddings` (shared by every dataset: the key already names the model). */
  name?: string;
}

/**
 * @example const cache = openEmbeddingCache({ budgetBytes: 64 << 20 });
 */
export function openEmbeddingCache(options: EmbeddingCacheOptions = {}): EmbeddingCache {
  const storage = options.storage ?? idbStorage();
  const name = options.name ?? 'embeddings';
  return {
    vectors: storage.table<Float32Array>(name, 'vectors'),
    index: storage.table<IndexEntry>(name, 'index'),
    budgetBytes: options.budgetBytes ?? 256 * 1024 * 1024,
    stats: { hits: 0, misses: 0 },
  };
}

/**
 * The cache key of a text's vector.
 * @example embeddingKey({ modelId: 'tiny-sentiment', dtype: 'q8' }, 'Great phone') // 'tiny-sentiment@main/q8/…'
 */
export function embeddingKey(model: { modelId: string; dtype: string; revision?: string }, text: string): string {
  return `${model.modelId}@${model.revision ?? 'main'}/${model.dtype}/${hash64(text)}`;
}

export interface CachedEmbeddings {
  /** Row-major [count × dim], row i for texts[i]. */
  data: Float32Array;
  count: number;
  dim: number;
  /** Texts found in the cache / embedded by this call. */
  hits: number;
  misses: number;
}

/**
 * Vectors of `texts`, from the cache where present; the rest are embedded in one call and stored.
 * @example const { data, hits, misses } = await embedCached(clf, texts, cache);
 */
export async function embedCached(
  embedder: Embedder,
  texts: string[],
  cache: EmbeddingCache | null,
  options: { revision?: string } = {},
): Promise<CachedEmbeddings> {
  const dim = embedder.info.dim;
  const data = new Float32Array(texts.length * dim);
  if (!cache) {
    if (texts.length) data.set((await embedder.embed(texts)).data);
    return { data, count: texts.length, dim, hits: 0, misses: texts.length };
  }
  const model = { modelId: embedder.info.modelId, dtype: embedder.info.dtype, revision: options.revision };
  const keys = texts.map((t) => embeddingKey(model, t));
  const found = await cache.vectors.getMany(keys);
  const missing: number[] = [];
  found.forEach((v, i) => (v && v.length === dim ? data.set(v, i * dim) : missing.push(i)));
  const now = Date.now();
  if (missing.length) {
    const unique = [...new Map(missing.map((i) => [keys[i], i])).values()];
    const emb = await embedder.embed(unique.map((i) => texts[i]));
    const rowOf = new Map(unique.map((i, r) => [keys[i], r]));
    for (const i of missing) data.set(emb.data.subarray(rowOf.get(keys[i])! * dim, (rowOf.get(keys[i])! + 1) * dim), i * dim);
    const vecs = unique.map((i, r): [string, Float32Array] => [keys[i], emb.data.slice(r * dim, (r + 1) * dim)]);
    await cache.vectors.setMany(vecs);
    await cache.index.setMany(vecs.map(([k, v]) => [k, { bytes: v.byteLength + k.length * 2, usedAt: now }]));
    await evict(cache);
  }
  const hitKeys = [...new Set(keys.filter((_, i) => found[i]))];
  if (hitKeys.length) await cache.index.update(hitKeys, (e) => (e ? { ...e, usedAt: now } : KEEP)).catch(() => undefined);
  const hits = texts.length - missing.length;
  cache.stats.hits += hits;
  cache.stats.misses += missing.length;
  return { data, count: texts.length, dim, hits, misses: missing.length };
}

async function evict(cache: EmbeddingCache): Promise<void> {
  const entries = (await cache.index.entries()).map(([key, e]) => ({ key, ...e }));
  const drop = evictionPlan(entries, cache.budgetBytes);
  if (!drop.length) return;
  try {
    await cache.vectors.delMany(drop);
    await cache.index.delMany(drop);
  } catch (e) {
    throw toDataError(e);
  }
}

/**
 * Entries and bytes held.
 * @example const { entries, bytes } = await embeddingCacheInfo(cache);
 */
export async function embeddingCacheInfo(cache: EmbeddingCache): Promise<{ entries: number; bytes: number; budgetBytes: number }> {
  const all = await cache.index.entries();
  return { entries: all.length, bytes: all.reduce((s, [, e]) => s + e.bytes, 0), budgetBytes: cache.budgetBytes };
}

/**
 * Drops every cached vector.
 * @example await clearEmbeddingCache(cache);
 */
export async function clearEmbeddingCache(cache: EmbeddingCache): Promise<void> {
  await cache.vectors.clear();
  await cache.index.clear();
}
