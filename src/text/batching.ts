/**
 * Length bucketing and dynamic padding. Sequences are sorted by length and cut into micro-batches so that padding
 * wastes almost nothing, each run stays under a token budget, and no more runs are made than pay for themselves.
 * Pure: ids in, typed arrays out.
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
 * Fixed cost of one session run, in padded-token equivalents (tensor set-up, the JS↔wasm crossing, kernel launches).
 * It stops the planner from cutting a batch into many tiny runs to save a few padding tokens.
 */
export const RUN_OVERHEAD_TOKENS = 48;

/**
 * Plans micro-batches over sequences sorted longest first (peak memory is met at once, not at the end). The cut points
 * minimise Σ(rows × padded length) + runs × RUN_OVERHEAD_TOKENS — an exact dynamic programme over the sorted order —
 * subject to rows × length ≤ maxTokens (a single longer sequence still gets a batch of its own) and rows ≤ maxRows.
 * @example planBatches(seqs, 8192) // lengths 120, 118, 30, 29, 5 → [[120, 118], [30, 29, 5]]
 */
export function planBatches(
  seqs: readonly Sequence[],
  maxTokens: number,
  maxRows = 256,
  overhead = RUN_OVERHEAD_TOKENS,
): MicroBatch[] {
  const order = seqs.map((_, i) => i).sort((a, b) => seqs[b].ids.length - seqs[a].ids.length || a - b);
  const n = order.length;
  const len = (k: number) => Math.max(1, seqs[order[k]].ids.length);
  // cost[i] = best cost of batching the first i sorted sequences; cut[i] = start of the last batch in that plan.
  const cost = new Float64Array(n + 1).fill(Infinity);
  const cut = new Int32Array(n + 1);
  cost[0] = 0;
  for (let i = 1; i <= n; i++) {
    // The batch order[j..i-1] is padded to its first (longest) row.
    for (let j = i - 1; j >= 0 && i - j <= maxRows; j--) {
      const rows = i - j;
      if (rows > 1 && rows * len(j) > maxTokens) break; // longer j only grows the padded size
      const c = cost[j] + rows * len(j) + overhead;
      if (c < cost[i]) {
        cost[i] = c;
        cut[i] = j;
      }
    }
  }
  const batches: MicroBatch[] = [];
  for (let i = n; i > 0; i = cut[i]) {
    const j = cut[i];
    batches.push({ rows: order.slice(j, i), length: seqs[order[j]].ids.length });
  }
  return batches.reverse();
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
