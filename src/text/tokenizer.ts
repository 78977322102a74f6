import { Tokenizer } from '@huggingface/tokenizers';
import { ModelLoadError } from '../errors.js';

/**
 * The model's tokenizer, reduced to what inference needs: content ids without special tokens, and the special
 * prefix/suffix to wrap each window with. Splitting the two lets long texts be windowed without re-tokenizing.
 */
export interface TextTokenizer {
  /** Content token ids (no special tokens). */
  encode(text: string): number[];
  /** Ids placed before the content, e.g. [CLS]. */
  readonly prefix: readonly number[];
  /** Ids placed after the content, e.g. [SEP]. */
  readonly suffix: readonly number[];
  readonly padId: number;
  readonly vocabSize: number;
}

type Json = Record<string, unknown>;

/**
 * Builds a TextTokenizer from `tokenizer.json` and `tokenizer_config.json` (transformers.js layout).
 * @example const tok = createTokenizer(await (await fetch(base + 'tokenizer.json')).json(), config);
 */
export function createTokenizer(tokenizerJson: Json, tokenizerConfig: Json = {}): TextTokenizer {
  let tok: Tokenizer;
  try {
    tok = new Tokenizer(tokenizerJson, tokenizerConfig);
  } catch (err) {
    throw new ModelLoadError(`not a usable tokenizer (${(err as Error).message})`, 'tokenizer.json', { cause: err });
  }
  const encode = (text: string): number[] => tok.encode(text, { add_special_tokens: false }).ids;
  // Find where content goes in the post-processor's template by encoding a probe both ways.
  const probe = 'a';
  const bare = encode(probe);
  const full = tok.encode(probe, { add_special_tokens: true }).ids;
  let at = -1;
  for (let i = 0; i + bare.length <= full.length && at < 0; i++) {
    if (bare.every((id, j) => full[i + j] === id)) at = i;
  }
  if (at < 0 || bare.length === 0) {
    throw new ModelLoadError('cannot locate content tokens in the post-processor template', 'tokenizer.json');
  }
  const padToken = typeof tokenizerConfig.pad_token === 'string' ? tokenizerConfig.pad_token : undefined;
  const padId = (padToken !== undefined ? tok.token_to_id(padToken) : undefined) ?? tok.token_to_id('[PAD]') ?? 0;
  return {
    encode,
    prefix: Object.freeze(full.slice(0, at)),
    suffix: Object.freeze(full.slice(at + bare.length)),
    padId,
    vocabSize: tok.get_vocab(true).size,
  };
}
