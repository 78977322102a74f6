/**
 * Schema versions of a dataset and the record migrations between them. Pure: each step maps one stored record to its
 * new form and returns KEEP for records already in it, so a migration interrupted halfway (a tab closed) simply runs
 * again on the next open.
 *
 * v1 (the first app builds): examples `{ id, text, label?: string, created: number }`, concepts `{ name }`, heads
 * stored as bare head files. v2: examples `{ id, text, labels: string[], source?, createdAt, updatedAt }`, concepts
 * with timestamps and descriptions, heads as `HeadRecord`s (versioned, with a stale flag).
 */
import type { HeadFile } from '../types.js';
import { KEEP } from './kv.js';
import type { Concept, Example, HeadRecord } from './types.js';

export const SCHEMA_VERSION = 2;

export type TableName = 'examples' | 'concepts' | 'heads';
export type RecordMigration = (old: unknown, key: string) => unknown | typeof KEEP;

export interface Migration {
  from: number;
  to: number;
  tables: Partial<Record<TableName, RecordMigration>>;
}

type V1Example = { id: string; text: string; label?: string | null; created?: number; source?: string };

const v1Example: RecordMigration = (old) => {
  const r = old as V1Example & Partial<Example>;
  if (Array.isArray(r.labels)) return KEEP;
  const t = typeof r.created === 'number' ? r.created : 0;
  const e: Example = { id: r.id, text: r.text, labels: r.label ? [r.label] : [], createdAt: t, updatedAt: t };
  if (r.source) e.source = r.source;
  return e;
};

const v1Concept: RecordMigration = (old) => {
  const c = old as Partial<Concept>;
  if (typeof c.createdAt === 'number') return KEEP;
  return { ...c, createdAt: 0, updatedAt: 0 } satisfies Partial<Concept>;
};

const v1Head: RecordMigration = (old, key) => {
  const h = old as Partial<HeadRecord> & Partial<HeadFile>;
  if (h.head) return KEEP;
  const created = h.createdAt ? Date.parse(h.createdAt) : NaN;
  return { id: key, head: h as HeadFile, createdAt: Number.isFinite(created) ? created : 0, stale: false } satisfies HeadRecord;
};

/** Every step, in order. Add a new one (and bump SCHEMA_VERSION) whenever a stored shape changes. */
export const MIGRATIONS: readonly Migration[] = Object.freeze([
  { from: 1, to: 2, tables: { examples: v1Example, concepts: v1Concept, heads: v1Head } },
]);

/**
 * The steps that take a store from `version` to SCHEMA_VERSION.
 * @example migrationPath(1) // [{ from: 1, to: 2, … }]
 */
export function migrationPath(version: number): Migration[] {
  const steps: Migration[] = [];
  let v = version;
  while (v < SCHEMA_VERSION) {
    const step = MIGRATIONS.find((m) => m.from === v);
    if (!step) throw new Error(`no migration from schema version ${v}`);
    steps.push(step);
    v = step.to;
  }
  return steps;
}
