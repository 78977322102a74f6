/**
 * Export: examples as JSONL or CSV (labels joined with `|`), and predictions with scores for every example. Pure
 * string building over what the dataset holds; CSV quoting by papaparse.
 */
import Papa from 'papaparse';
import { applyHead } from '../learn/apply.js';
import type { HeadFile } from '../types.js';
import type { Dataset } from './dataset.js';
import { embedCached, type Embedder } from './embedding-cache.js';
import { listExamples, type ExampleFilter } from './examples.js';
import type { EmbedOptions } from './suggest.js';

export type ExportFormat = 'jsonl' | 'csv';

/**
 * The examples as text: JSONL lines `{ id, text, labels, source?, createdAt, updatedAt }` or CSV columns
 * `id,text,labels,source,createdAt,updatedAt`.
 * @example const blob = new Blob([await exportExamples({ format: 'csv' }, ds)], { type: 'text/csv' });
 */
export async function exportExamples(options: { format?: ExportFormat } & ExampleFilter = {}, ds?: Dataset): Promise<string> {
  const { format = 'jsonl', ...filter } = options;
  const rows = await listExamples(filter, ds);
  if (format === 'jsonl') return rows.map((e) => JSON.stringify(e)).join('\n') + (rows.length ? '\n' : '');
  return Papa.unparse({
    fields: ['id', 'text', 'labels', 'source', 'createdAt', 'updatedAt'],
    data: rows.map((e) => [e.id, e.text, e.labels.join('|'), e.source ?? '', e.createdAt, e.updatedAt]),
  });
}

/**
 * Every (filtered) example scored by `head`, vectors from the cache: JSONL `{ id, text, labels, predicted, scores:
 * { concept: score } }`, or CSV `id,text,labels,predicted,<one column per concept>`.
 * @example const out = await exportPredictions(clf, head, { format: 'jsonl', cache }, ds);
 */
export async function exportPredictions(
  embedder: Embedder,
  head: HeadFile,
  options: { format?: ExportFormat } & ExampleFilter & EmbedOptions = {},
  ds?: Dataset,
): Promise<string> {
  const { format = 'jsonl', cache, revision, ...filter } = options;
  const rows = await listExamples(filter, ds);
  const emb = await embedCached(embedder, rows.map((e) => e.text), cache ?? null, { revision });
  const scores = applyHead(head, emb.data, emb.dim);
  const c = head.concepts.length;
  const table = rows.map((e, i) => {
    const s = Array.from(scores.subarray(i * c, (i + 1) * c));
    const top = s.indexOf(Math.max(...s));
    return { e, s, predicted: head.concepts[top] };
  });
  if (format === 'jsonl') {
    return table
      .map(({ e, s, predicted }) =>
        JSON.stringify({ id: e.id, text: e.text, labels: e.labels, predicted, scores: Object.fromEntries(head.concepts.map((k, j) => [k, s[j]])) }),
      )
      .map((l) => l + '\n')
      .join('');
  }
  return Papa.unparse({
    fields: ['id', 'text', 'labels', 'predicted', ...head.concepts],
    data: table.map(({ e, s, predicted }) => [e.id, e.text, e.labels.join('|'), predicted, ...s]),
  });
}
