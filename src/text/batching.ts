/**
 * Length bucketing and dynamic padding. Sequences are sorted by length and cut into micro-batches bounded by padded
 * tokens, so a batch wastes almost nothing on padding and memory per run stays bounded. Pure: ids in, typed arrays out.
 */

export interface Sequence {
  /** Full ids including special tokens. */
  ids: number[];
  /** Index of the text this sequence belongs to. */
  text: number;
}

export interface MicroBatch {
  /** Indices into the sequence array, in batch row order. */
  rows: number[];
  /** Padded length of every row. */
  length: number;
}

/**
 * Plans micro-batches: longest first (peak memory is met at once, not at the end), each with
 * rows × longest ≤ maxTokens (a single longer sequence still gets a batch of its own) and at most maxRows rows.
 */
export function planBatches(seqs: readonly Sequence[], maxTokens: number, maxRows = 256): MicroBatch[] {
  const order = seqs.map((_, i) => i).sort((a, b) => seqs[b].ids.length - seqs[a].ids.length || a - b);
  const batches: MicroBatch[] = [];
  let cur: MicroBatch | null = null;
  for (const i of order) {
    const len = seqs[i].ids.length;
    if (cur && (cur.rows.length + 1) * cur.length <= maxTokens && cur.rows.length < maxRows) {
      cur.rows.push(i);
    } else {
      cur = { rows: [i], length: len };
      batches.push(cur);
    }
  }
  return batches;
}

export interface BatchTensors {
  inputIds: BigInt64Array;
  attentionMask: BigInt64Array;
  tokenTypeIds: BigInt64Array;
  /** Same mask as numbers, for pooling without BigInt conversions. */
  mask: Uint8Array;
  rows: number;
  length: number;
}

/** Fills row-major [rows × length] int64 tensors, right-padded with `padId`. */
export function padBatch(seqs: readonly Sequence[], batch: MicroBatch, padId: number): BatchTensors {
  const { rows, length } = batch;
  const n = rows.length * length;
  const inputIds = new BigInt64Array(n);
  const attentionMask = new BigInt64Array(n);
  const mask = new Uint8Array(n);
  const pad = BigInt(padId);
  for (let r = 0; r < rows.length; r++) {
    const ids = seqs[rows[r]].ids;
    const off = r * length;
    for (let t = 0; t < length; t++) {
      if (t < ids.length) {
        inputIds[off + t] = BigInt(ids[t]);
        attentionMask[off + t] = 1n;
        mask[off + t] = 1;
      } else {
        inputIds[off + t] = pad;
      }
    }
  }
  return { inputIds, attentionMask, tokenTypeIds: new BigInt64Array(n), mask, rows: rows.length, length };
}
