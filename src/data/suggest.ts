/**
 * Learning from the stored dataset: the training set (vectors from the embedding cache), the zero-shot prototype head,
 * and `suggestNext`, which ranks unlabelled examples for labelling with the best head available.
 */
import { applyHead } from '../learn/apply.js';
import type { TrainingSet } from '../learn/types.js';
import type { ConceptScore, HeadFile } from '../types.js';
import { use, type Dataset } from './dataset.js';
import { embedCached, type Embedder, type EmbeddingCache } from './embedding-cache.js';
import { DataError, DataErrorCode } from './errors.js';
import { listConcepts } from './concepts.js';
import { listExamples } from './examples.js';
import { pickNext, uncertainty, type UncertaintyStrategy } from './active.js';
import { conceptPrompt, prototypeHead } from './prototype.js';
import type { Example } from './types.js';

export interface EmbedOptions {
  /** Default: no cache (every text is embedded). Pass `openEmbeddingCache()` to embed each text once. */
  cache?: EmbeddingCache | null;
  /** Model revision for the cache key; default 'main'. */
  revision?: string;
}

/**
 * The labelled examples as a TrainingSet for `trainHead`, vectors from the cache where present.
 * @example const { set, hits } = await trainingSet(clf, { cache }, ds); const { head } = await trainHead(set, { modelId });
 */
export async function trainingSet(
  embedder: Embedder,
  options: EmbedOptions = {},
  ds?: Dataset,
): Promise<{ set: TrainingSet; examples: Example[]; hits: number; misses: number }> {
  const examples = await listExamples({ labelled: true }, ds);
  const emb = await embedCached(embedder, examples.map((e) => e.text), options.cache ?? null, options);
  const set: TrainingSet = { data: emb.data, dim: emb.dim, labels: examples.map((e) => e.labels), ids: examples.map((e) => e.id) };
  return { set, examples, hits: emb.hits, misses: emb.misses };
}

/**
 * A prototype classifier from the concepts' names and descriptions, before any label.
 * @example const clf2 = await createClassifier({ head: await zeroShotHead(clf, {}, ds) });
 */
export async function zeroShotHead(embedder: Embedder, options: EmbedOptions = {}, ds?: Dataset): Promise<HeadFile> {
  const concepts = await listConcepts(ds);
  if (concepts.length < 2) {
    throw new DataError(DataErrorCode.InvalidData, `a zero-shot start needs at least 2 concepts, the dataset has ${concepts.length}`);
  }
  const emb = await embedCached(embedder, concepts.map(conceptPrompt), options.cache ?? null, options);
  return prototypeHead(
    concepts.map((c) => c.name),
    emb.data,
    emb.dim,
    { modelId: embedder.info.modelId, modelRevision: options.revision },
  );
}

export interface SuggestOptions extends EmbedOptions {
  /** The head to rank with. Default: the newest stored, non-stale head for this model, else the zero-shot head. */
  head?: HeadFile;
  /** Default 'margin'. */
  strategy?: UncertaintyStrategy;
  /** Skip a text whose cosine with one already picked is above this; default 0.95. */
  maxSimilarity?: number;
}

export interface Suggestion {
  example: Example;
  /** In [0, 1]: higher is less sure. */
  uncertainty: number;
  /** The head's current guess, sorted. */
  scores: ConceptScore[];
}

export interface SuggestResult {
  suggestions: Suggestion[];
  /** Which head ranked them: the one passed in, a stored version, or the zero-shot prototypes. */
  headSource: 'given' | 'stored' | 'zero-shot';
  headId?: string;
}

async function pickHead(embedder: Embedder, options: SuggestOptions, ds: Dataset): Promise<Omit<SuggestResult, 'suggestions'> & { head: HeadFile }> {
  if (options.head) return { head: options.head, headSource: 'given' };
  const stored = (await ds.heads.entries())
    .map(([, r]) => r)
    // An adapter's head scores the adapted encoder's vectors, not these: ranking uses plain heads only.
    .filter((r) => !r.stale && !r.adapter && r.head.modelId === embedder.info.modelId && r.head.dims === embedder.info.dim)
    .sort((a, b) => b.createdAt - a.createdAt)[0];
  if (stored) return { head: stored.head, headSource: 'stored', headId: stored.id };
  return { head: await zeroShotHead(embedder, options, ds), headSource: 'zero-shot' };
}

/**
 * The `k` unlabelled examples most worth labelling next: the most uncertain under the current head, no two near-
 * duplicates in one batch. Before any label it ranks with the zero-shot prototypes, so the first batch is informed.
 * @example const { suggestions } = await suggestNext(10, { classifier: clf, cache }, ds);
 */
export async function suggestNext(k: number, options: SuggestOptions & { classifier: Embedder }, ds?: Dataset): Promise<SuggestResult> {
  if (!Number.isInteger(k) || k < 1) throw new DataError(DataErrorCode.InvalidData, `k must be a positive integer, got ${k}`);
  const d = await use(ds);
  const { classifier, ...rest } = options;
  const chosen = await pickHead(classifier, rest, d);
  const pool = await listExamples({ labelled: false }, d);
  const emb = await embedCached(classifier, pool.map((e) => e.text), rest.cache ?? null, rest);
  const c = chosen.head.concepts.length;
  const scores = applyHead(chosen.head, emb.data, emb.dim);
  const u = uncertainty(scores, c, rest.strategy ?? 'margin', chosen.head.problemType);
  const picked = pickNext(u, emb.data, emb.dim, k, rest.maxSimilarity ?? 0.95);
  const suggestions = picked.map((i) => ({
    example: pool[i],
    uncertainty: u[i],
    scores: chosen.head.concepts
      .map((concept, j) => ({ concept, score: scores[i * c + j] }))
      .sort((a, b) => b.score - a.score),
  }));
  const { head: _head, ...source } = chosen;
  return { suggestions, ...source };
}
