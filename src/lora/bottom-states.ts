/**
 * The frozen bottom of a split model, run once per training text: its hidden states are what LoRA training of the
 * top layers reads every epoch ([G]). Pure: the graph runner is injected (an OnnxSession on `onnx/bottom.onnx`).
 */
import { CancelledError } from '../errors.js';
import type { TextTokenizer } from '../text/tokenizer.js';
import type { LoraExample } from './embed.js';

/** Runs the bottom graph on int64 [rows × length] inputs and returns `hidden_states` [rows × length × hidden]. */
export type BottomRunner = (inputs: Record<string, BigInt64Array>, dims: [number, number]) => Promise<Float32Array>;

export interface BottomStatesOptions {
  /** Longest sequence, special tokens included (longer texts keep their first tokens); default 128. */
  maxLength?: number;
  /** Texts per run; default 64. */
  batch?: number;
  isCancelled?: () => boolean;
  onProgress?: (done: number, total: number) => void;
}

/**
 * One LoraExample per text: the bottom's hidden states of its real tokens (padding dropped). Texts are run in
 * length order so a batch pads little.
 * @example const examples = await bottomStates((i, d) => bottom.runInt64(i, d, 'hidden_states').then((r) => r.data), tok, texts, 256);
 */
export async function bottomStates(
  run: BottomRunner,
  tokenizer: TextTokenizer,
  texts: readonly string[],
  hidden: number,
  { maxLength = 128, batch = 64, isCancelled, onProgress }: BottomStatesOptions = {},
): Promise<LoraExample[]> {
  const { prefix, suffix, padId } = tokenizer;
  const room = Math.max(1, maxLength - prefix.length - suffix.length);
  const ids = texts.map((t) => [...prefix, ...tokenizer.encode(t).slice(0, room), ...suffix]);
  const order = [...ids.keys()].sort((a, b) => ids[a].length - ids[b].length);
  const out = new Array<LoraExample>(texts.length);
  for (let s = 0; s < order.length; s += batch) {
    if (isCancelled?.()) throw new CancelledError();
    const part = order.slice(s, s + batch);
    const T = Math.max(...part.map((i) => ids[i].length));
    const inputIds = new BigInt64Array(part.length * T).fill(BigInt(padId));
    const mask = new BigInt64Array(part.length * T);
    part.forEach((i, b) =>
      ids[i].forEach((id, t) => {
        inputIds[b * T + t] = BigInt(id);
        mask[b * T + t] = 1n;
      }),
    );
    const h = await run(
      { input_ids: inputIds, attention_mask: mask, token_type_ids: new BigInt64Array(part.length * T) },
      [part.length, T],
    );
    part.forEach((i, b) => {
      const L = ids[i].length;
      out[i] = { tokens: L, hidden: h.slice(b * T * hidden, (b * T + L) * hidden) };
    });
    onProgress?.(Math.min(s + batch, order.length), order.length);
  }
  return out;
}
