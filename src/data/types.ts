/** Records of the labelled dataset. Plain data only: everything here can cross a worker boundary and be stored. */
import type { AdapterFile } from '../lora/adapter-file.js';
import type { HeadFile } from '../types.js';

/** A text with its concepts. `labels: []` is an unlabelled example (pasted, waiting to be labelled). */
export interface Example {
  /** `textId(text)`: the hash of the normalised text. */
  id: string;
  text: string;
  labels: string[];
  /** Where it came from: a file name, 'paste', 'import:…'. */
  source?: string;
  /** Milliseconds since the epoch. */
  createdAt: number;
  updatedAt: number;
}

/** What a caller hands in to add an example. */
export interface ExampleInput {
  text: string;
  /** Omitted or `[]`: unlabelled; an existing example keeps its labels. */
  labels?: string[];
  source?: string;
}

export interface Concept {
  name: string;
  /** Used by the zero-shot start: "name: description" is embedded as the concept's prototype. */
  description?: string;
  createdAt: number;
  updatedAt: number;
}

/** A stored head version: the [C1] head file plus bookkeeping. */
export interface HeadRecord {
  /** Sortable by time: `h-<ms, base36>-<random>`. */
  id: string;
  name?: string;
  /** The head (for a LoRA adapter version: the adapter's own head, which applies to the adapted encoder only). */
  head: HeadFile;
  /** A LoRA adapter version ([G]): the whole adapter file, which `loadHead` returns. */
  adapter?: AdapterFile;
  createdAt: number;
  /** True once a concept it was trained on was renamed, merged or deleted. */
  stale: boolean;
  staleReason?: string;
}

/** A head version without its weights: what `listHeads` returns. */
export interface HeadSummary {
  id: string;
  name?: string;
  createdAt: number;
  stale: boolean;
  staleReason?: string;
  /** `lora` for a LoRA adapter version. */
  type: HeadFile['type'] | 'lora';
  modelId: string;
  concepts: string[];
  /** The head's validation metrics as training saved them (accuracy, macroF1, …). */
  metrics?: Record<string, unknown>;
}

/** Why an import row was not taken. */
export type RejectReason = 'empty text' | 'missing column' | 'bad label' | 'duplicate' | 'unreadable';

export interface ImportRejection {
  /** 0-based data row (header excluded). */
  index: number;
  reason: RejectReason;
  detail?: string;
}

export interface ImportReport {
  /** Data rows read. */
  rows: number;
  /** Rows stored: new examples plus updated ones. */
  accepted: number;
  added: number;
  /** Rows whose text was already stored and whose labels they changed. */
  updated: number;
  rejected: number;
  /** Rejected rows per reason. */
  reasons: Partial<Record<RejectReason, number>>;
  /** The first rejections with their row numbers (at most `maxRejections`, default 1000). */
  rejections: ImportRejection[];
  /** Concepts the import created. */
  newConcepts: string[];
  ms: number;
}

export interface ImportProgress {
  rows: number;
  accepted: number;
  rejected: number;
  /** Bytes read so far and in all, when known. */
  loaded: number;
  total: number;
}

/** Usage and quota of the origin's storage, as `navigator.storage.estimate()` reports them. */
export interface StorageInfo {
  usage: number | null;
  quota: number | null;
  /** Whether the browser promised not to evict this origin's data under storage pressure. */
  persisted: boolean | null;
}
