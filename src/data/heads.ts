/**
 * Head versions: every trained (or zero-shot) head is kept with its metrics, so a user can go back to a better one.
 * Records are the [C1] head file plus an id, a name, a date and a stale flag.
 */
import { validateHead } from '../infer/head.js';
import { isAdapterFile, readAdapterFile, type AdapterFile } from '../lora/adapter-file.js';
import type { HeadFile } from '../types.js';
import { use, type Dataset } from './dataset.js';
import { DataError, DataErrorCode } from './errors.js';
import type { HeadRecord, HeadSummary } from './types.js';

let counter = 0;
const newId = (now: number) =>
  `h-${now.toString(36).padStart(9, '0')}-${(counter++ % 1296).toString(36).padStart(2, '0')}${Math.random().toString(36).slice(2, 8)}`;

const summary = (r: HeadRecord): HeadSummary => {
  const s: HeadSummary = {
    id: r.id,
    createdAt: r.createdAt,
    stale: r.stale,
    type: r.adapter ? 'lora' : r.head.type,
    modelId: r.head.modelId,
    concepts: [...r.head.concepts],
  };
  if (r.name !== undefined) s.name = r.name;
  if (r.staleReason !== undefined) s.staleReason = r.staleReason;
  if (r.head.metrics) s.metrics = r.head.metrics;
  return s;
};

/** A parsed head file, checked (shape, sizes, numbers) against its own model id and dimension. */
function checked(raw: unknown): HeadFile {
  const h = raw as Partial<HeadFile> | null;
  try {
    return validateHead(raw, { modelId: String(h?.modelId ?? ''), dim: Number(h?.dims ?? 0) });
  } catch (e) {
    throw new DataError(DataErrorCode.InvalidData, `not a valid head file: ${(e as Error).message}`, { cause: e });
  }
}

/** A parsed LoRA adapter file, checked against its own model id, hidden size and layer count. */
function checkedAdapter(raw: AdapterFile): AdapterFile {
  try {
    readAdapterFile(raw, { modelId: raw.modelId, hidden: raw.hidden, k: raw.k });
  } catch (e) {
    throw new DataError(DataErrorCode.InvalidData, `not a valid adapter file: ${(e as Error).message}`, { cause: e });
  }
  return raw;
}

/**
 * Stores a head, or a LoRA adapter file ([G]), as a new version.
 * @example const { id } = await saveHead((await trainHead(set, opts)).head, { name: 'after 50 labels' }, ds);
 */
export async function saveHead(head: HeadFile | AdapterFile, options: { name?: string } = {}, ds?: Dataset): Promise<HeadRecord> {
  const adapter = isAdapterFile(head) ? checkedAdapter(head as AdapterFile) : undefined;
  const file = checked(adapter ? adapter.head : head);
  const d = await use(ds);
  const now = Date.now();
  const rec: HeadRecord = { id: newId(now), head: file, createdAt: now, stale: false };
  if (adapter) rec.adapter = adapter;
  if (options.name !== undefined) rec.name = options.name;
  await d.heads.setMany([[rec.id, rec]]);
  return rec;
}

/**
 * Stored heads without their weights, newest first.
 * @example const best = (await listHeads(ds)).filter((h) => !h.stale).sort(byMacroF1)[0];
 */
export async function listHeads(ds?: Dataset): Promise<HeadSummary[]> {
  const all = (await (await use(ds)).heads.entries()).map(([, r]) => r);
  return all.sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1)).map(summary);
}

/**
 * A stored version's file, ready for `createClassifier({ head })`: the head file, or for a LoRA version the adapter
 * file (`headOf` gives its head). Throws `NOT_FOUND` for an unknown id.
 * @example const clf = await createClassifier({ head: await loadHead(id, ds) });
 */
export async function loadHead(id: string, ds?: Dataset): Promise<HeadFile | AdapterFile> {
  const rec = await getHeadRecord(id, ds);
  return rec.adapter ?? rec.head;
}

/** The head of a head file or of an adapter file (concepts, problem type, metrics). */
export function headOf(file: HeadFile | AdapterFile): HeadFile {
  return isAdapterFile(file) ? (file as AdapterFile).head : (file as HeadFile);
}

/** The whole stored record (file, name, date, stale flag). */
export async function getHeadRecord(id: string, ds?: Dataset): Promise<HeadRecord> {
  const rec = await (await use(ds)).heads.get(id);
  if (!rec) throw new DataError(DataErrorCode.NotFound, `no head with id ${id}`);
  return rec;
}

/**
 * Deletes a head version; unknown ids are ignored.
 * @example await deleteHead(old.id, ds);
 */
export async function deleteHead(id: string, ds?: Dataset): Promise<void> {
  await (await use(ds)).heads.delMany([id]);
}

/**
 * A stored version as the JSON text of its head file (metrics included), to save as `head.json`; an adapter version
 * gives its adapter file.
 * @example const blob = new Blob([await exportHead(id, ds)], { type: 'application/json' });
 */
export async function exportHead(id: string, ds?: Dataset): Promise<string> {
  return JSON.stringify(await loadHead(id, ds));
}

/**
 * Stores a head file (JSON text or parsed) as a new version; throws `INVALID_DATA` for anything that is not one.
 * @example await importHead(await file.text(), { name: file.name }, ds);
 */
export async function importHead(file: string | HeadFile | AdapterFile, options: { name?: string } = {}, ds?: Dataset): Promise<HeadRecord> {
  let raw: unknown = file;
  if (typeof file === 'string') {
    try {
      raw = JSON.parse(file);
    } catch (e) {
      throw new DataError(DataErrorCode.InvalidData, `head file is not JSON: ${(e as Error).message}`);
    }
  }
  return saveHead(isAdapterFile(raw) ? (raw as AdapterFile) : checked(raw), options, ds);
}
