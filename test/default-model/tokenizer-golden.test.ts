// Golden test for the embedded default model's tokenizer: the token ids computed by the Python recipe
// (tools/default-model/tokenizer.py, written by build.py --tokenizer-golden) must equal the ids that
// @huggingface/tokenizers (the JS library we ship) produces from the committed tokenizer.json.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Tokenizer } from '@huggingface/tokenizers';

const ROOT = join(import.meta.dirname, '..', '..');
const MODEL_DIR = join(ROOT, 'public', 'models', 'inpage-sentiment-mini');
const GOLDEN = join(ROOT, 'test', 'fixtures', 'tokenizer-golden.jsonl');

function load(dir: string): Tokenizer {
  const tj = JSON.parse(readFileSync(join(dir, 'tokenizer.json'), 'utf8'));
  const tc = JSON.parse(readFileSync(join(dir, 'tokenizer_config.json'), 'utf8'));
  return new Tokenizer(tj, tc);
}

describe('default model tokenizer (inpage-sentiment-mini)', () => {
  const rows = readFileSync(GOLDEN, 'utf8')
    .split('\n')
    .filter((l) => l.trim().length > 0)
    .map((l) => JSON.parse(l) as { text: string; ids: number[] });
  const tok = load(MODEL_DIR);

  it('has 2,000 golden sentences, with accents and emoji among them', () => {
    expect(rows.length).toBe(2000);
    expect(rows.some((r) => /[\u00C0-\u017F]/.test(r.text))).toBe(true);
    expect(rows.some((r) => /\p{Extended_Pictographic}/u.test(r.text))).toBe(true);
  });

  it('JS ids equal the recipe ids on every golden sentence', () => {
    const bad: string[] = [];
    for (const r of rows) {
      const ids: number[] = tok.encode(r.text).ids;
      if (ids.length !== r.ids.length || ids.some((v, i) => v !== r.ids[i])) {
        bad.push(`${JSON.stringify(r.text).slice(0, 80)}\n  js ${JSON.stringify(ids)}\n  py ${JSON.stringify(r.ids)}`);
      }
    }
    expect(bad.slice(0, 5).join('\n')).toBe('');
    expect(bad.length).toBe(0);
  });

  it('wraps in [CLS] ... [SEP] and keeps common review words whole', () => {
    const enc = tok.encode("I didn't like it, the café was awful 😡");
    expect(enc.tokens[0]).toBe('[CLS]');
    expect(enc.tokens[enc.tokens.length - 1]).toBe('[SEP]');
    expect(enc.tokens).toContain('cafe');
    expect(enc.tokens).toContain('awful');
  });
});
