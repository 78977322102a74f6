/**
 * Concepts: names with optional descriptions. Renaming, merging or deleting one migrates the examples that carry it
 * (one transaction over the examples table) and marks stale the stored heads trained on it.
 */
import { InvalidInputError } from '../errors.js';
import { use, type Dataset } from './dataset.js';
import { DataError, DataErrorCode } from './errors.js';
import { KEEP } from './kv.js';
import type { Concept, HeadRecord } from './types.js';
import { labelProblem } from './validate-rows.js';

function checkName(name: unknown, what: string): string {
  const p = labelProblem(name);
  if (p) throw new InvalidInputError(`${what}: ${p}`);
  return name as string;
}

/**
 * Creates a concept or changes its description.
 * @example await setConcept({ name: 'negative', description: 'the customer is unhappy' }, ds);
 */
export async function setConcept(c: { name: string; description?: string }, ds?: Dataset): Promise<Concept> {
  const name = checkName(c?.name, 'concept name');
  const d = await use(ds);
  const now = Date.now();
  const [after] = await d.concepts.update([name], (old) => {
    const next: Concept = { ...(old ?? { name, createdAt: now }), updatedAt: now };
    if (c.description !== undefined) next.description = c.description;
    return next;
  });
  return after!;
}

/**
 * All concepts, by name.
 * @example (await listConcepts(ds)).map((c) => c.name) // ['negative', 'neutral', 'positive']
 */
export async function listConcepts(ds?: Dataset): Promise<Concept[]> {
  const all = (await (await use(ds)).concepts.entries()).map(([, c]) => c);
  return all.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Replaces `from` concepts by `to` in every example (or drops them when `to` is null); one transaction. */
async function relabel(d: Dataset, from: ReadonlySet<string>, to: string | null, now: number): Promise<number> {
  return d.examples.updateAll((e) => {
    if (!e || !e.labels.some((l) => from.has(l))) return KEEP;
    const labels = [...new Set(e.labels.map((l) => (from.has(l) ? to : l)).filter((l): l is string => l !== null))];
    return { ...e, labels, updatedAt: now };
  });
}

async function markStale(d: Dataset, gone: ReadonlySet<string>, reason: string): Promise<number> {
  return d.heads.updateAll((h): HeadRecord | typeof KEEP => {
    if (!h || h.stale || !h.head.concepts.some((c) => gone.has(c))) return KEEP;
    return { ...h, stale: true, staleReason: reason };
  });
}

export interface ConceptChange {
  /** Examples whose labels changed. */
  examples: number;
  /** Stored heads newly marked stale. */
  staleHeads: number;
}

/**
 * Renames a concept everywhere. Throws `NOT_FOUND` if it does not exist and `INVALID_DATA` if the new name is taken
 * (merge instead).
 * @example await renameConcept('neg', 'negative', ds);
 */
export async function renameConcept(from: string, to: string, ds?: Dataset): Promise<ConceptChange> {
  checkName(to, 'new concept name');
  const d = await use(ds);
  const [old, taken] = await d.concepts.getMany([from, to]);
  if (!old) throw new DataError(DataErrorCode.NotFound, `no concept "${from}"`);
  if (taken && from !== to) throw new DataError(DataErrorCode.InvalidData, `concept "${to}" exists; use mergeConcepts`);
  const now = Date.now();
  const examples = await relabel(d, new Set([from]), to, now);
  await d.concepts.update([from, to], (c, key) => (key === from ? undefined : { ...old, name: to, updatedAt: now }));
  return { examples, staleHeads: await markStale(d, new Set([from]), `concept "${from}" was renamed to "${to}"`) };
}

/**
 * Folds `sources` into `into` (created if missing): their examples carry `into` instead, and the sources are gone.
 * @example await mergeConcepts(['bad', 'awful'], 'negative', ds);
 */
export async function mergeConcepts(sources: string[], into: string, ds?: Dataset): Promise<ConceptChange> {
  checkName(into, 'target concept');
  const from = new Set(sources.filter((s) => s !== into));
  const d = await use(ds);
  const now = Date.now();
  const examples = await relabel(d, from, into, now);
  await d.concepts.update([...from, into], (c, key) =>
    key === into ? (c ? KEEP : { name: into, createdAt: now, updatedAt: now }) : undefined,
  );
  const reason = `concepts ${[...from].map((s) => `"${s}"`).join(', ')} were merged into "${into}"`;
  return { examples, staleHeads: await markStale(d, from, reason) };
}

/**
 * Deletes a concept and removes it from every example (which may leave some unlabelled).
 * @example await deleteConcept('spam', ds);
 */
export async function deleteConcept(name: string, ds?: Dataset): Promise<ConceptChange> {
  const d = await use(ds);
  const now = Date.now();
  const examples = await relabel(d, new Set([name]), null, now);
  await d.concepts.delMany([name]);
  return { examples, staleHeads: await markStale(d, new Set([name]), `concept "${name}" was deleted`) };
}
