/**
 * Streaming import of JSONL or CSV into a dataset. Rows are parsed as they arrive, validated (`rowVerdict`), and
 * written in chunks, each one transaction. Any failure (quota, cancel) rolls back what this import already wrote, so
 * nothing is left half-imported. Runs where it is called: in the data worker in browsers, in-process in Node.
 */
import Papa from 'papaparse';
import { CancelledError } from '../errors.js';
import { use, type Dataset } from './dataset.js';
import { ensureConcepts, mergeExample } from './examples.js';
import { toDataError } from './errors.js';
import { KEEP } from './kv.js';
import { parseJsonlLine, sniffFormat, type RowResult } from './rows.js';
import type { Example, ExampleInput, ImportProgress, ImportReport } from './types.js';
import { rowVerdict } from './validate-rows.js';

export interface ImportOptions {
  /** Default: sniffed from the first characters (`{` means JSONL). */
  format?: 'jsonl' | 'csv';
  /** Stored on new examples; default 'import'. */
  source?: string;
  /** 'create' (default): unknown labels become concepts; 'known': they are rejected as 'bad label'. */
  newConcepts?: 'create' | 'known';
  /** Rows per transaction; default 2000. */
  chunkRows?: number;
  /** Rejections listed in the report (all are counted); default 1000. */
  maxRejections?: number;
}

export interface ImportControl {
  onProgress?: (p: ImportProgress) => void;
  isCancelled?: () => boolean;
}

type Sink = (rows: RowResult[], loaded: number) => Promise<void>;

async function jsonlRows(input: string | Blob, sink: Sink, chunkRows: number): Promise<void> {
  let index = 0;
  let batch: RowResult[] = [];
  let loaded = 0;
  const line = async (raw: string) => {
    if (raw.trim()) batch.push(parseJsonlLine(raw, index++));
    if (batch.length >= chunkRows) {
      const b = batch;
      batch = [];
      await sink(b, loaded);
    }
  };
  if (typeof input === 'string') {
    let at = 0;
    while (at < input.length) {
      const nl = input.indexOf('\n', at);
      const end = nl < 0 ? input.length : nl;
      loaded = end;
      await line(input.slice(at, end));
      at = end + 1;
    }
  } else {
    const reader = input.stream().pipeThrough(new TextDecoderStream()).getReader();
    let carry = '';
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      loaded += value.length;
      const parts = (carry + value).split('\n');
      carry = parts.pop()!;
      for (const p of parts) await line(p);
    }
    await line(carry);
  }
  await sink(batch, typeof input === 'string' ? input.length : input.size);
}

async function csvRows(text: string, sink: Sink, chunkRows: number): Promise<void> {
  let index = 0;
  let fields: string[] | null = null;
  // papaparse's chunk mode with pause/resume: each chunk is written before the next is parsed.
  await new Promise<void>((resolve, reject) => {
    Papa.parse<Record<string, string>>(text, {
      header: true,
      skipEmptyLines: 'greedy',
      chunkSize: Math.max(64 * 1024, chunkRows * 64),
      chunk(res: Papa.ParseResult<Record<string, string>>, parser: Papa.Parser) {
        fields ??= res.meta.fields ?? [];
        const errs = new Map<number, string>();
        for (const e of res.errors) if (e.row !== undefined) errs.set(e.row, `${e.code}: ${e.message}`);
        const rows: RowResult[] = res.data.map((rec, i) => {
          const at = index++;
          const err = errs.get(i);
          if (err) return { index: at, error: err };
          if (!fields!.includes('text')) return { index: at, error: `missing "text" column (columns: ${fields!.join(', ')})` };
          const r: Record<string, unknown> = { ...rec };
          if (r.labels === '') delete r.labels;
          return toRow(r, at);
        });
        parser.pause();
        sink(rows, res.meta.cursor).then(() => parser.resume(), (e) => {
          parser.abort();
          reject(e);
        });
      },
      complete: () => resolve(),
      error: (e: Error) => reject(e),
    });
  });
}

/** The JSONL row rules (labels as a string or an array, optional id) applied to a CSV record. */
const toRow = (rec: Record<string, unknown>, index: number): RowResult => parseJsonlLine(JSON.stringify(rec), index);

/**
 * Imports rows into `ds` and reports what was accepted and rejected, and why.
 * @example const report = await importInto(file, { format: 'csv' }, ds); report.reasons // { 'empty text': 3 }
 */
export async function importInto(input: string | Blob, options: ImportOptions = {}, ds?: Dataset, control: ImportControl = {}): Promise<ImportReport> {
  const started = Date.now();
  const d = await use(ds);
  const chunkRows = options.chunkRows ?? 2000;
  const maxRejections = options.maxRejections ?? 1000;
  const total = typeof input === 'string' ? input.length : input.size;
  const format = options.format ?? sniffFormat(typeof input === 'string' ? input.slice(0, 256) : await input.slice(0, 256).text());
  const known = options.newConcepts === 'known' ? new Set((await d.concepts.entries()).map(([k]) => k)) : undefined;
  const report: ImportReport = { rows: 0, accepted: 0, added: 0, updated: 0, rejected: 0, reasons: {}, rejections: [], newConcepts: [], ms: 0 };
  const seen = new Set<string>();
  // First value seen for every id this import touched: what a rollback restores.
  const undo = new Map<string, Example | undefined>();

  const sink: Sink = async (rows, loaded) => {
    if (control.isCancelled?.()) throw new CancelledError('The import was cancelled.');
    const accepted = new Map<string, ExampleInput>();
    const rowOf = new Map<string, number>();
    const reject = (index: number, reason: ImportReport['rejections'][number]['reason'], detail?: string) => {
      report.rejected++;
      report.reasons[reason] = (report.reasons[reason] ?? 0) + 1;
      if (report.rejections.length < maxRejections) report.rejections.push(detail ? { index, reason, detail } : { index, reason });
    };
    for (const row of rows) {
      report.rows++;
      const v = rowVerdict(row, seen, { concepts: known });
      if (!v.ok) reject(v.index, v.reason, v.detail);
      else {
        accepted.set(v.id, { ...v.input, source: options.source ?? 'import' });
        rowOf.set(v.id, (row as { index: number }).index);
      }
    }
    if (accepted.size) {
      const now = Date.now();
      const labels = new Set([...accepted.values()].flatMap((e) => e.labels ?? []));
      report.newConcepts.push(...(await ensureConcepts(labels, d, now)));
      const outcome = new Map<string, 'added' | 'updated' | 'same'>();
      await d.examples.update([...accepted.keys()], (old, id) => {
        if (!undo.has(id)) undo.set(id, old);
        const next = mergeExample(old, id, accepted.get(id)!, now);
        outcome.set(id, next === KEEP ? 'same' : old ? 'updated' : 'added');
        return next;
      });
      for (const [id, o] of outcome) {
        if (o === 'same') {
          reject(rowOf.get(id)!, 'duplicate', 'already stored');
        } else {
          report.accepted++;
          report[o]++;
        }
      }
    }
    control.onProgress?.({ rows: report.rows, accepted: report.accepted, rejected: report.rejected, loaded, total });
  };

  try {
    if (format === 'jsonl') await jsonlRows(input, sink, chunkRows);
    else await csvRows(typeof input === 'string' ? input : await input.text(), sink, chunkRows);
  } catch (e) {
    await rollback(d, undo);
    throw e instanceof CancelledError ? e : toDataError(e);
  }
  report.ms = Date.now() - started;
  return report;
}

async function rollback(d: Dataset, undo: Map<string, Example | undefined>): Promise<void> {
  if (!undo.size) return;
  await d.examples.update([...undo.keys()], (_cur, id) => undo.get(id)).catch(() => undefined);
}
