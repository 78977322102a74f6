/**
 * Heads on real text through the tiny encoder: AG News topics (a task the encoder never saw), read from
 * ../shared/data (skipped where that folder is absent). Above chance by a margin, for both heads, and cross-validated.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyHead, createClassifier, crossValidate, evaluate, heldOutSplit, trainHead, type Classifier } from '../../src/node/index.js';
import { ROOT, TINY_MODEL } from '../helpers/paths.js';

const AG_NEWS = join(ROOT, '..', 'shared', 'data', 'ag-news', 'test.jsonl');
const present = existsSync(AG_NEWS);

let clf: Classifier;
let rows: { text: string; labels: string[]; id: string }[];
let vectors: Float32Array;

beforeAll(async () => {
  if (!present) return;
  // The first 480 rows, in file order: every class is present (the file is not sorted by class).
  rows = readFileSync(AG_NEWS, 'utf8')
    .trim()
    .split('\n')
    .slice(0, 480)
    .map((l, i) => ({ ...(JSON.parse(l) as { text: string; labels: string[] }), id: `ag-${i}` }));
  clf = await createClassifier({ model: TINY_MODEL, dtype: 'fp32' });
  vectors = (await clf.embed(rows.map((r) => r.text))).data;
}, 120_000);
afterAll(() => clf?.dispose());

describe.skipIf(!present)('heads on AG News via the tiny encoder', () => {
  const subset = (idx: number[]) => {
    const dim = clf.info.dim;
    const data = new Float32Array(idx.length * dim);
    idx.forEach((r, i) => data.set(vectors.subarray(r * dim, (r + 1) * dim), i * dim));
    return { data, dim, labels: idx.map((r) => rows[r].labels), ids: idx.map((r) => rows[r].id) };
  };

  it.each(['linear', 'mlp'] as const)('%s head beats chance (0.25) by a wide margin on held-out rows', async (type) => {
    const { train, test } = heldOutSplit(rows.map((r) => r.id), 0.3);
    const { head } = await trainHead(subset(train), { modelId: clf.info.modelId, type, seed: 1 });
    const held = subset(test);
    const report = evaluate(held.labels, applyHead(head, held.data, held.dim), head.concepts, { problemType: head.problemType });
    expect(report.macroF1).toBeGreaterThan(0.55);
  });

  it('5-fold cross-validation agrees', async () => {
    const cv = await crossValidate(subset([...rows.keys()]), { modelId: clf.info.modelId, k: 5, seed: 1 });
    expect(cv.folds).toHaveLength(5);
    expect(cv.mean.macroF1).toBeGreaterThan(0.55);
    expect(cv.sd.macroF1).toBeLessThan(0.15);
  });
});
