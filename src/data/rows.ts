/**
 * Parsing labelled rows from JSONL (`{"text", "labels"}` per line, as in ../shared/data) and CSV (`text` and optional
 * `labels` columns, labels separated by `|` or `;`). Pure: strings in, rows or per-row errors out. CSV parsing uses
 * papaparse, which handles quoting, embedded newlines and BOMs correctly.
 */
import Papa from 'papaparse';

export interface Row {
  /** 0-based row number in the input (data rows, header excluded). */
  index: number;
  text: string;
  labels?: string[];
  id?: string;
}

export interface RowError {
  index: number;
  error: string;
}

export type RowResult = Row | RowError;

export const isRowError = (r: RowResult): r is RowError => 'error' in r;

function labelsOf(v: unknown): string[] | undefined | null {
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v === 'string') {
    return v
      .split(/[|;]/)
      .map((s) => s.trim())
      .filter(Boolean);
  }
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
  return null;
}

function toRow(obj: Record<string, unknown>, index: number): RowResult {
  const text = obj.text;
  if (typeof text !== 'string') {
    return { index, error: text === undefined ? 'missing "text"' : `"text" must be a string, got ${typeof text}` };
  }
  const labels = labelsOf(obj.labels ?? obj.label);
  if (labels === null) return { index, error: '"labels" must be a string or an array of strings' };
  const row: Row = { index, text };
  if (labels) row.labels = labels;
  if (obj.id !== undefined && obj.id !== null && obj.id !== '') row.id = String(obj.id);
  return row;
}

/** One JSONL line → a row or an error. Blank lines are the caller's to skip. */
export function parseJsonlLine(line: string, index: number): RowResult {
  let obj: unknown;
  try {
    obj = JSON.parse(line);
  } catch (err) {
    return { index, error: `invalid JSON (${(err as Error).message})` };
  }
  if (!obj || typeof obj !== 'object' || Array.isArray(obj)) return { index, error: 'each line must be a JSON object' };
  return toRow(obj as Record<string, unknown>, index);
}

/** Whole CSV text (with a header row) → rows; a missing `text` column is one error for the whole input. */
export function parseCsv(text: string): RowResult[] {
  const parsed = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: 'greedy' });
  const fields = parsed.meta.fields ?? [];
  if (!fields.includes('text')) {
    throw new Error(`CSV has no "text" column (columns: ${fields.join(', ') || 'none'})`);
  }
  const rowErrors = new Map<number, string>();
  for (const e of parsed.errors) if (e.row !== undefined) rowErrors.set(e.row, `${e.code}: ${e.message}`);
  return parsed.data.map((rec, i) => {
    const err = rowErrors.get(i);
    return err ? { index: i, error: err } : toRow(rec, i);
  });
}

/** Guesses the format from the first non-blank character: `{` means JSONL. */
export function sniffFormat(head: string): 'jsonl' | 'csv' {
  return head.trimStart().startsWith('{') ? 'jsonl' : 'csv';
}
