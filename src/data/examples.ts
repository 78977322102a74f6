/**
 * Examples: add, label, remove, read, list, count. Every write is one transaction on the examples table, keyed by the
 * text's hash, so the same text added in two tabs at once is one example and no acknowledged label is lost.
 */
import { InvalidInputError } from '../errors.js';
import { use, type Dataset } from './dataset.js';
import { DataError, DataErrorCode } from './errors.js';
import { KEEP } from './kv.js';
import { normalizeText, textId } from './text-id.js';
import type { Concept, Example, ExampleInput } from './types.js';
import { labelProblem } from './validate-rows.js';

function checkLabels(labels: unknown, where: string): string[] {
  if (labels === undefined) return [];
  if (!Array.isArray(labels)) throw new InvalidInputError(`${where}.labels must be an array of strings`);
  labels.forEach((l, j) => {
    const p = labelProblem(l);
    if (p) throw new InvalidInputError(`${where}.labels[${j}]: ${p}`);
  });
  return [...new Set(labels as string[])];
}

/** Creates the concepts that do not exist yet (existing ones are left as they are). */
export async function ensureConcepts(names: Iterable<string>, ds: Dataset, now = Date.now()): Promise<string[]> {
  const list = [...new Set(names)];
  if (!list.length) return [];
  const created: string[] = [];
  await ds.concepts.update(list, (old, name): Concept | typeof KEEP => {
    if (old) return KEEP;
    created.push(name);
    return { name, createdAt: now, updatedAt: now };
  });
  return created;
}

/** The stored form after adding `input` on top of `old`: labels replace (when given), the rest is kept. */
export function mergeExample(old: Example | undefined, id: string, input: ExampleInput, now: number): Example | typeof KEEP {
  const labels = input.labels ?? [];
  if (!old) {
    const e: Example = { id, text: input.text, labels, createdAt: now, updatedAt: now };
    if (input.source) e.source = input.source;
    return e;
  }
  if (!labels.length || sameSet(old.labels, labels)) return KEEP;
  return { ...old, labels, updatedAt: now };
}

const sameSet = (a: string[], b: string[]) => a.length === b.length && a.every((x) => b.includes(x));

/**
 * Adds texts (deduplicated by normalised text). A text already stored gets the new labels when some are given and
 * keeps its labels otherwise. Resolves once everything is committed, with the stored examples in input order.
 * @example const [e] = await addExamples([{ text: 'Arrived broken', labels: ['negative'] }], ds);
 */
export async function addExamples(inputs: ExampleInput[], ds?: Dataset): Promise<Example[]> {
  if (!Array.isArray(inputs)) throw new InvalidInputError('addExamples expects an array of { text, labels? }');
  const rows = inputs.map((inp, i) => {
    if (!inp || typeof inp.text !== 'string') throw new InvalidInputError(`inputs[${i}].text must be a string`, i);
    if (!normalizeText(inp.text)) throw new InvalidInputError(`inputs[${i}].text is empty`, i);
    return { ...inp, labels: checkLabels(inp.labels, `inputs[${i}]`) };
  });
  const d = await use(ds);
  const now = Date.now();
  await ensureConcepts(rows.flatMap((r) => r.labels), d, now);
  const byId = new Map<string, ExampleInput>();
  for (const r of rows) byId.set(textId(r.text), r); // a later row with the same text wins, as a later call would
  const ids = rows.map((r) => textId(r.text));
  return (await d.examples.update(ids, (old, id) => mergeExample(old, id, byId.get(id)!, now))) as Example[];
}

/**
 * Sets an example's labels (`[]` makes it unlabelled again). Throws `NOT_FOUND` for an unknown id.
 * @example await setLabels(e.id, ['positive'], ds);
 */
export async function setLabels(id: string, labels: string[], ds?: Dataset): Promise<Example> {
  const clean = checkLabels(labels, 'setLabels');
  const d = await use(ds);
  const now = Date.now();
  await ensureConcepts(clean, d, now);
  const [after] = await d.examples.update([id], (old) => (old ? { ...old, labels: clean, updatedAt: now } : KEEP));
  if (!after) throw new DataError(DataErrorCode.NotFound, `no example with id ${id}`);
  return after;
}

/**
 * Deletes examples by id; unknown ids are ignored.
 * @example await removeExamples([e.id], ds);
 */
export async function removeExamples(ids: string[], ds?: Dataset): Promise<void> {
  await (await use(ds)).examples.delMany(ids);
}

/**
 * One example by id, or `undefined`.
 * @example await getExample(textId('Arrived broken'), ds);
 */
export async function getExample(id: string, ds?: Dataset): Promise<Example | undefined> {
  return (await use(ds)).examples.get(id);
}

export interface ExampleFilter {
  /** true: only labelled; false: only unlabelled (`labels: []`). */
  labelled?: boolean;
  /** Only examples carrying this concept. */
  concept?: string;
  offset?: number;
  limit?: number;
}

const matches = (e: Example, f: ExampleFilter) =>
  (f.labelled === undefined || f.labelled === e.labels.length > 0) && (f.concept === undefined || e.labels.includes(f.concept));

/**
 * Examples in the order they were added (oldest first), filtered and paged.
 * @example const todo = await listExamples({ labelled: false }, ds);
 */
export async function listExamples(filter: ExampleFilter = {}, ds?: Dataset): Promise<Example[]> {
  const all = (await (await use(ds)).examples.entries()).map(([, e]) => e).filter((e) => matches(e, filter));
  all.sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
  const from = filter.offset ?? 0;
  return all.slice(from, filter.limit === undefined ? undefined : from + filter.limit);
}

/**
 * How many examples match (all of them without a filter).
 * @example const { labelled } = { labelled: await countExamples({ labelled: true }, ds) };
 */
export async function countExamples(filter: Omit<ExampleFilter, 'offset' | 'limit'> = {}, ds?: Dataset): Promise<number> {
  const d = await use(ds);
  if (filter.labelled === undefined && filter.concept === undefined) return d.examples.count();
  return (await d.examples.entries()).filter(([, e]) => matches(e, filter)).length;
}
