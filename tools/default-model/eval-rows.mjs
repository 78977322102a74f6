// The rows of the default-model evaluation table (tools/default-model/evaluate.mjs), shared with the
// baselines (GloVe-average + LR in evaluate.mjs, fastText in fasttext-baselines.mjs) so that every column is
// computed on exactly the same training and evaluation rows.
import { join } from 'node:path';
import { detok, readJsonl } from './lib.mjs';

export const SST2_CLASSES = ['negative', 'positive'];
export const SST5_3_CLASSES = ['negative', 'neutral', 'positive'];
export const PROBES = [
  ['ag-news', ['world', 'sports', 'business', 'sci_tech']],
  ['financial-phrasebank', ['negative', 'neutral', 'positive']],
  ['amazon-alexa', ['negative', 'neutral', 'positive']],
];

export function mulberry32(a) { return () => { a |= 0; a = (a + 0x6d2b79f5) | 0; let t = Math.imul(a ^ (a >>> 15), 1 | a); t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t; return ((t ^ (t >>> 14)) >>> 0) / 4294967296; }; }

export function macroF1(y, p, k) {
  let s = 0;
  for (let c = 0; c < k; c++) {
    let tp = 0, fp = 0, fn = 0;
    for (let i = 0; i < y.length; i++) { if (p[i] === c && y[i] === c) tp++; else if (p[i] === c) fp++; else if (y[i] === c) fn++; }
    s += tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
  }
  return s / k;
}

export const accuracy = (y, p) => p.reduce((s, v, i) => s + (v === y[i] ? 1 : 0), 0) / p.length;

export const lab = (rows, classes) => rows.map((r) => classes.indexOf(r.labels[0]));

/** Lower-cased word / single-punctuation tokens: what the GloVe-average baseline looks up. */
export const tokens = (text) => text.toLowerCase().match(/[\p{L}\p{N}]+|[^\s\p{L}\p{N}]/gu) ?? [];

/**
 * Loads the table's rows from build/splits.
 *   sst2tr, sst2dv     sst2/train, sst2/dev (SST text: pass through detok before use)
 *   sst5tr, sst5dv     sst5 train.3class (sentences), dev.3class
 *   probes[]           { name, classes, pool, yp, test, yt, draws }: draws = `seeds` lists of pool indices,
 *                      `shots` per class, seed 1000 + s (mulberry32, per-class Fisher-Yates)
 */
export function loadEvalRows(splits, { shots = 32, seeds = 5 } = {}) {
  const sst2tr = readJsonl(join(splits, 'sst2', 'train.jsonl'));
  const sst2dv = readJsonl(join(splits, 'sst2', 'dev.jsonl'));
  const sst5tr = readJsonl(join(splits, 'sst5', 'train.3class.jsonl'));
  const sst5dv = readJsonl(join(splits, 'sst5', 'dev.3class.jsonl'));
  const probes = PROBES.map(([name, classes]) => {
    const pool = readJsonl(join(splits, name, 'train.jsonl'));
    const test = readJsonl(join(splits, name, 'test.jsonl'));
    const yp = lab(pool, classes);
    const draws = [];
    for (let s = 0; s < seeds; s++) {
      const rnd = mulberry32(1000 + s);
      const pick = [];
      for (let c = 0; c < classes.length; c++) {
        const ix = yp.map((y, i) => (y === c ? i : -1)).filter((i) => i >= 0);
        for (let i = ix.length - 1; i > 0; i--) { const j = Math.floor(rnd() * (i + 1)); [ix[i], ix[j]] = [ix[j], ix[i]]; }
        pick.push(...ix.slice(0, shots));
      }
      draws.push(pick);
    }
    return { name, classes, pool, yp, test, yt: lab(test, classes), draws };
  });
  return { sst2tr, sst2dv, sst5tr, sst5dv, probes };
}

/** Text as every column sees it: SST rows detokenised (`does n't` -> `doesn't`), probe rows verbatim. */
export const sstText = (row) => detok(row.text);
export const probeText = (row) => row.text;
