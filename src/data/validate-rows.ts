/**
 * Validation of incoming examples and import rows. Pure: a parsed row and what has been seen in, a verdict out.
 */
import type { RowResult } from './rows.js';
import { isRowError } from './rows.js';
import { normalizeText, textId } from './text-id.js';
import type { ExampleInput, ImportRejection } from './types.js';

/** A concept name: non-empty after trimming, at most 200 characters, no `|` or `;` (the CSV label separators). */
export function labelProblem(label: unknown): string | null {
  if (typeof label !== 'string') return `a label must be a string, got ${typeof label}`;
  const t = label.trim();
  if (!t) return 'a label must not be empty';
  if (t !== label) return `label ${JSON.stringify(label)} has surrounding spaces`;
  if (/[|;]/.test(t)) return `label ${JSON.stringify(label)} contains "|" or ";"`;
  if (t.length > 200) return 'a label must be at most 200 characters';
  return null;
}

export interface RowVerdictOptions {
  /** When given, labels outside it are 'bad label' (otherwise new concepts are created). */
  concepts?: ReadonlySet<string>;
}

export type RowVerdict = { ok: true; id: string; input: ExampleInput } | ({ ok: false } & ImportRejection);

/**
 * Decides one parsed row. `seen` holds ids accepted earlier in the same file (updated here): a repeat is a duplicate.
 * @example rowVerdict({ index: 0, text: 'ok', labels: ['pos'] }, new Set()) // { ok: true, id, input }
 */
export function rowVerdict(row: RowResult, seen: Set<string>, options: RowVerdictOptions = {}): RowVerdict {
  if (isRowError(row)) {
    const missing = /missing "text"/.test(row.error);
    const bad = /labels/.test(row.error);
    return { ok: false, index: row.index, reason: missing ? 'missing column' : bad ? 'bad label' : 'unreadable', detail: row.error };
  }
  if (!normalizeText(row.text)) return { ok: false, index: row.index, reason: 'empty text' };
  const labels = row.labels ?? [];
  for (const l of labels) {
    const problem = labelProblem(l);
    if (problem) return { ok: false, index: row.index, reason: 'bad label', detail: problem };
    if (options.concepts && !options.concepts.has(l)) {
      return { ok: false, index: row.index, reason: 'bad label', detail: `unknown concept ${JSON.stringify(l)}` };
    }
  }
  const id = textId(row.text);
  if (seen.has(id)) return { ok: false, index: row.index, reason: 'duplicate', detail: `same text as an earlier row` };
  seen.add(id);
  return { ok: true, id, input: { text: row.text, labels: [...new Set(labels)] } };
}
