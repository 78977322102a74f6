/**
 * The sync engine: makes the hosted dataset hold exactly the local labelled examples.
 * - incremental: only new, changed and deleted examples cost requests (the state store remembers what is there);
 * - idempotent: input ids derive from example ids, and after any non-10000 upload the batch is reconciled by listing
 *   its ids (contract §4.3), so a retry never duplicates and nothing is lost;
 * - resumable: the state is written after every acknowledged batch (IndexedDB in browsers);
 * - deletes run before adds, so a crash between them leaves an example missing (re-added next time), never orphaned.
 * Rejected inputs are reported with the server's status, never dropped silently.
 */
import { InvalidInputError } from '../errors.js';
import { Job } from '../job.js';
import type { HostedClient } from './client.js';
import { DUPLICATE_INPUT_CODES, INPUT_OK_CODES, MAX_UPLOAD_BATCH } from './contract.js';
import { HostedTransportError } from './errors.js';
import { inputIdFor, parseInputId } from './input-ids.js';
import { deleteInputs, listAllInputs, listInputsByIds, postInputs, type TextInput } from './inputs.js';
import { throwIfAborted } from './retry.js';
import { defaultSyncState, type SyncStateStore } from './sync-state.js';

/** What the engine needs of an example: the dataset store's `Example` fits. */
export interface SyncExample {
  id: string;
  text: string;
  labels: readonly string[];
}

/** Where local examples come from. `{ listExamples: () => listExamples({}, ds) }` adapts the dataset store. */
export interface SyncSource {
  listExamples(): Promise<readonly SyncExample[]>;
}

export interface SyncProgress {
  phase: 'plan' | 'delete' | 'upload' | 'done';
  /** Inputs deleted + uploaded so far, and planned in all. */
  done: number;
  total: number;
}

export interface RejectedInput {
  exampleId: string;
  inputId: string;
  code: number;
  description: string;
}

export interface SyncReport {
  added: number;
  deleted: number;
  unchanged: number;
  /** Examples without labels are not uploaded. */
  unlabelled: number;
  rejected: RejectedInput[];
  /** Concepts of the synced examples, sorted. */
  concepts: string[];
  /** Batches whose answer was not a plain 10000 and that were reconciled by listing. */
  reconciled: number;
  /** True when the server's inputs were listed to rebuild a missing local state. */
  rebuilt: boolean;
}

export interface SyncOptions {
  client: HostedClient;
  source: SyncSource;
  datasetId: string;
  /** Default: IndexedDB in browsers, memory in Node. */
  store?: SyncStateStore;
  /** Input id prefix (letters, digits, `_`); default `ipc`. */
  idPrefix?: string;
  /** Send every other concept with value 0 (explicit negatives); default true. */
  negatives?: boolean;
  /** Inputs per request (≤128). */
  batchSize?: number;
  /**
   * List the app's inputs first and repair the state from them (default: only when the state is empty). This also finds
   * inputs that failed processing after they were accepted: they are deleted and reported in `rejected`.
   */
  verify?: boolean;
  /** Upload rounds per batch before its missing inputs count as rejected; default 4. */
  maxRounds?: number;
  onProgress?: (p: SyncProgress) => void;
  signal?: AbortSignal;
}

interface Planned {
  exampleId: string;
  inputId: string;
  input: TextInput;
}

/** The state key of a target: never contains the key, only where the data goes. */
export function syncTarget(client: HostedClient, datasetId: string): string {
  return `${client.root}|${client.userId}|${client.appId}|${datasetId}`;
}

let nextJob = 1;

/**
 * Syncs the local labelled examples to the hosted dataset, as a cancellable Job.
 * @example
 * const report = await syncDataset({ client, datasetId: 'reviews', source: { listExamples: () => listExamples({}, ds) } });
 * if (report.rejected.length) console.warn(report.rejected);
 */
export function syncDataset(options: SyncOptions): Job<SyncReport> {
  const controller = new AbortController();
  const outer = options.signal;
  if (outer) outer.addEventListener('abort', () => controller.abort(), { once: true });
  const work = withLock(syncTarget(options.client, options.datasetId), () => runSync({ ...options, signal: controller.signal }));
  return new Job(nextJob++, work, () => controller.abort());
}

/** One sync per target at a time across tabs (Web Locks where available). */
async function withLock<T>(target: string, fn: () => Promise<T>): Promise<T> {
  const locks = typeof navigator !== 'undefined' ? (navigator as Navigator & { locks?: LockManager }).locks : undefined;
  return locks ? (locks.request(`inpage-classifier-hosted-sync:${target}`, fn) as Promise<T>) : fn();
}

async function runSync(o: SyncOptions): Promise<SyncReport> {
  const prefix = o.idPrefix ?? 'ipc';
  if (!/^[A-Za-z0-9_]{1,16}$/.test(prefix)) throw new InvalidInputError('idPrefix must be 1–16 letters, digits or _');
  const batchSize = Math.min(MAX_UPLOAD_BATCH, Math.max(1, o.batchSize ?? MAX_UPLOAD_BATCH));
  const { client, datasetId, signal } = o;
  const store = o.store ?? defaultSyncState();
  const target = syncTarget(client, datasetId);
  const progress = (phase: SyncProgress['phase'], done: number, total: number) => o.onProgress?.({ phase, done, total });
  progress('plan', 0, 0);

  const examples = await o.source.listExamples();
  throwIfAborted(signal);
  const labelled = examples.filter((e) => e.labels.length > 0);
  const concepts = [...new Set(labelled.flatMap((e) => e.labels))].sort();
  const negatives = o.negatives ?? true;
  const desired = new Map<string, Planned>();
  for (const e of labelled) {
    const inputId = inputIdFor(prefix, e.id, e.labels, negatives ? concepts : null);
    const negative = negatives ? concepts.filter((c) => !e.labels.includes(c)) : [];
    desired.set(e.id, { exampleId: e.id, inputId, input: { id: inputId, text: e.text, positive: [...e.labels], negative } });
  }

  let state = await store.load(target);
  const orphans: string[] = [];
  const failed: RejectedInput[] = [];
  const rebuilt = o.verify ?? state.size === 0;
  if (rebuilt) state = await rebuildState(client, datasetId, prefix, desired, store, target, orphans, failed, signal);
  // Inputs that failed processing on the server are removed (orphans) and reported, not re-sent in this run.
  for (const f of failed) desired.delete(f.exampleId);

  const deletes: [exampleId: string | null, inputId: string][] = orphans.map((i) => [null, i]);
  for (const [exampleId, inputId] of state) if (desired.get(exampleId)?.inputId !== inputId) deletes.push([exampleId, inputId]);
  const adds = [...desired.values()].filter((p) => state.get(p.exampleId) !== p.inputId);
  const total = deletes.length + adds.length;
  const report: SyncReport = {
    added: 0,
    deleted: 0,
    unchanged: desired.size - adds.length,
    unlabelled: examples.length - labelled.length,
    rejected: [...failed],
    concepts,
    reconciled: 0,
    rebuilt,
  };

  for (let i = 0; i < deletes.length; i += batchSize) {
    throwIfAborted(signal);
    const chunk = deletes.slice(i, i + batchSize);
    await deleteInputs(client, chunk.map(([, id]) => id), signal);
    await store.remove(target, chunk.flatMap(([e]) => (e === null ? [] : [e])));
    report.deleted += chunk.length;
    progress('delete', report.deleted, total);
  }

  for (let i = 0; i < adds.length; i += batchSize) {
    throwIfAborted(signal);
    const { ok, rejected, reconciled } = await uploadBatch(client, datasetId, adds.slice(i, i + batchSize), o.maxRounds ?? 4, signal);
    await store.put(target, ok.map((p) => [p.exampleId, p.inputId] as const));
    report.added += ok.length;
    report.rejected.push(...rejected);
    report.reconciled += reconciled;
    progress('upload', report.deleted + report.added + report.rejected.length, total);
  }
  progress('done', total, total);
  return report;
}

/**
 * Lists the app's inputs and keeps what matches: ids of ours that a local example wants are synced; ids of ours in
 * this dataset that nothing wants are orphans to delete. Other inputs (not our prefix, other datasets) are left alone.
 */
async function rebuildState(
  client: HostedClient,
  datasetId: string,
  prefix: string,
  desired: Map<string, Planned>,
  store: SyncStateStore,
  target: string,
  orphans: string[],
  failed: RejectedInput[],
  signal?: AbortSignal,
): Promise<Map<string, string>> {
  const byInputId = new Map([...desired.values()].map((p) => [p.inputId, p.exampleId]));
  const state = new Map<string, string>();
  for (const input of await listAllInputs(client, signal)) {
    const parsed = parseInputId(input.id, prefix);
    if (!parsed || (input.datasetIds && !input.datasetIds.includes(datasetId))) continue;
    const exampleId = byInputId.get(input.id);
    // Ours but unwanted (deleted or relabelled locally) or failed on the server: delete it.
    if (exampleId !== undefined && INPUT_OK_CODES.includes(input.status.code)) state.set(exampleId, input.id);
    else {
      orphans.push(input.id);
      if (exampleId !== undefined) failed.push({ exampleId, inputId: input.id, code: input.status.code, description: input.status.description });
    }
  }
  await store.clear(target);
  await store.put(target, [...state]);
  return state;
}

/**
 * Uploads one batch. A plain 10000 means all landed. Anything else (mixed, failure, no answer) is reconciled by listing
 * the batch's ids: listed ids landed, ids the server refused for a reason other than "duplicate" are rejected, and the
 * rest are posted again (bounded by `maxRounds`).
 */
async function uploadBatch(
  client: HostedClient,
  datasetId: string,
  batch: Planned[],
  maxRounds: number,
  signal?: AbortSignal,
): Promise<{ ok: Planned[]; rejected: RejectedInput[]; reconciled: number }> {
  const ok: Planned[] = [];
  const rejected: RejectedInput[] = [];
  let pending = batch;
  let reconciled = 0;
  for (let round = 1; pending.length && round <= maxRounds; round++) {
    let perInput = new Map<string, { code: number; description: string }>();
    try {
      const res = await postInputs(client, datasetId, pending.map((p) => p.input), { signal });
      if (res.status.code === 10000) {
        ok.push(...pending);
        pending = [];
        break;
      }
      perInput = new Map(res.inputs.map((x) => [x.id, x.status]));
    } catch (err) {
      // The client already retried with back-off; whether the batch landed is unknown, so the listing decides.
      if (!(err instanceof HostedTransportError)) throw err;
    }
    reconciled++;
    const listed = new Map((await listInputsByIds(client, pending.map((p) => p.inputId), signal)).map((x) => [x.id, x.status]));
    const failedOnServer: Planned[] = [];
    const again: Planned[] = [];
    for (const p of pending) {
      const l = listed.get(p.inputId);
      const pi = perInput.get(p.inputId);
      if (l && INPUT_OK_CODES.includes(l.code)) ok.push(p);
      else if (l) {
        failedOnServer.push(p);
        rejected.push({ exampleId: p.exampleId, inputId: p.inputId, code: l.code, description: l.description });
      } else if (pi && pi.code !== 10000 && !INPUT_OK_CODES.includes(pi.code) && !DUPLICATE_INPUT_CODES.includes(pi.code)) {
        rejected.push({ exampleId: p.exampleId, inputId: p.inputId, code: pi.code, description: pi.description });
      } else again.push(p);
    }
    // Inputs that failed processing are removed (like the SDK's _delete_failed_inputs), so the dataset stays clean.
    if (failedOnServer.length) await deleteInputs(client, failedOnServer.map((p) => p.inputId), signal);
    pending = again;
  }
  for (const p of pending) {
    rejected.push({ exampleId: p.exampleId, inputId: p.inputId, code: 0, description: `not stored after ${maxRounds} upload rounds` });
  }
  return { ok, rejected, reconciled };
}
