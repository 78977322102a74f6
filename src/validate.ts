/** Argument checks shared by the facade and the engine: fail fast, name the position. */
import { InvalidInputError } from './errors.js';

/** Longest text accepted, in UTF-16 code units (~16 MB). Longer input is almost certainly a mistake. */
export const MAX_TEXT_LENGTH = 16 * 1024 * 1024;

/**
 * Asserts `texts` is an array of strings. Empty strings are valid (they classify like an empty review).
 * @example checkTexts(['great', 42]) // throws InvalidInputError: texts[1] must be a string, got number
 */
export function checkTexts(texts: unknown): asserts texts is string[] {
  if (!Array.isArray(texts)) {
    throw new InvalidInputError(`texts must be an array of strings, got ${describe(texts)}`);
  }
  for (let i = 0; i < texts.length; i++) {
    const t: unknown = texts[i];
    if (typeof t !== 'string') throw new InvalidInputError(`texts[${i}] must be a string, got ${describe(t)}`, i);
    if (t.length > MAX_TEXT_LENGTH) {
      throw new InvalidInputError(`texts[${i}] is ${t.length} characters; the limit is ${MAX_TEXT_LENGTH}`, i);
    }
  }
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

/** Checks classify options' numbers. */
export function checkClassifyOptions(o: { topK?: unknown; threshold?: unknown; maxBatchTokens?: unknown } = {}): void {
  if (o.topK !== undefined && !(Number.isInteger(o.topK) && (o.topK as number) >= 1)) {
    throw new InvalidInputError(`topK must be a positive integer, got ${String(o.topK)}`);
  }
  if (o.threshold !== undefined && !(typeof o.threshold === 'number' && o.threshold >= 0 && o.threshold <= 1)) {
    throw new InvalidInputError(`threshold must be a number in [0, 1], got ${String(o.threshold)}`);
  }
  if (o.maxBatchTokens !== undefined && !(Number.isInteger(o.maxBatchTokens) && (o.maxBatchTokens as number) >= 1)) {
    throw new InvalidInputError(`maxBatchTokens must be a positive integer, got ${String(o.maxBatchTokens)}`);
  }
}
