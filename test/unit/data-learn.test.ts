/**
 * Pure learning helpers of the dataset (uncertainty, diversity, prototypes, eviction) and their use over a store:
 * the embedding cache's hit rate on retrain, eviction under a budget, zero-shot and stored-head `suggestNext`.
 */
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { pickNext, uncertainty } from '../../src/data/active.js';
import { setConcept } from '../../src/data/concepts.js';
import { openDataset } from '../../src/data/dataset.js';
import { embedCached, embeddingCacheInfo, openEmbeddingCache, type Embedder } from '../../src/data/embedding-cache.js';
import { evictionPlan } from '../../src/data/eviction.js';
import { addExamples, setLabels } from '../../src/data/examples.js';
import { exportPredictions } from '../../src/data/export.js';
import { saveHead } from '../../src/data/heads.js';
import { conceptPrompt, prototypeHead } from '../../src/data/prototype.js';
import { suggestNext, trainingSet, zeroShotHead } from '../../src/data/suggest.js';
import { textId } from '../../src/data/text-id.js';
import { applyHead } from '../../src/learn/apply.js';
import { fitHead } from '../../src/learn/train-head.js';
import type { EmbedResult } from '../../src/types.js';

/** A toy encoder: dimension 0 counts "good"-ish words, 1 "bad"-ish words, 2–3 a hash of the text. Counts calls. */
function toyEmbedder(): Embedder & { embedded: number } {
  const e = {
    embedded: 0,
    info: { modelId: 'toy', dtype: 'fp32', dim: 4 },
    async embed(texts: string[]): Promise<EmbedResult> {
      e.embedded += texts.length;
      const data = new Float32Array(texts.length * 4);
      texts.forEach((t, i) => {
        const w = t.toLowerCase();
        const v = [
          (w.match(/good|great|love|positive|happy/g) ?? []).length,
          (w.match(/bad|broken|hate|negative|unhappy/g) ?? []).length,
          (textId(t).charCodeAt(0) % 7) / 20,
          (textId(t).charCodeAt(1) % 5) / 20,
        ];
        const norm = Math.hypot(...v) || 1;
        v.forEach((x, d) => (data[i * 4 + d] = x / norm));
      });
      return { data, count: texts.length, dim: 4, windows: new Int32Array(texts.length).fill(1), truncated: new Uint8Array(texts.length) };
    },
  };
  return e;
}

let n = 0;
const fresh = () => openDataset(`learn${n++}-${Date.now()}`);

describe('pure helpers', () => {
  it('uncertainty: margin and entropy, multi-class and multi-label', () => {
    const s = Float32Array.of(0.5, 0.5, 0.9, 0.1, 1, 0);
    expect(Array.from(uncertainty(s, 2, 'margin'))).toEqual([1, expect.closeTo(0.2, 5), 0]);
    const h = uncertainty(s, 2, 'entropy');
    expect(h[0]).toBeCloseTo(1, 5);
    expect(h[1]).toBeGreaterThan(h[2]);
    const ml = uncertainty(Float32Array.of(0.5, 0.99, 0.9, 0.95), 2, 'margin', 'multi_label_classification');
    expect(ml[0]).toBeCloseTo(1, 5);
    expect(ml[1]).toBeCloseTo(0.2, 5);
  });

  it('pickNext takes the most uncertain rows but no near-duplicates', () => {
    const u = Float32Array.of(0.9, 0.95, 0.1, 0.8);
    // rows 0 and 1 point the same way; 2 and 3 elsewhere
    const v = Float32Array.of(1, 0, 0.999, 0.0447, 0, 1, 0.6, 0.8);
    expect(pickNext(u, v, 2, 3)).toEqual([1, 3, 2]);
    expect(pickNext(u, v, 2, 2, 1.01)).toEqual([1, 0]);
  });

  it('evictionPlan drops least recently used entries down to 90 % of the budget', () => {
    const e = [
      { key: 'a', bytes: 40, usedAt: 3 },
      { key: 'b', bytes: 40, usedAt: 1 },
      { key: 'c', bytes: 40, usedAt: 2 },
    ];
    expect(evictionPlan(e, 120)).toEqual([]);
    expect(evictionPlan(e, 100)).toEqual(['b']);
    expect(evictionPlan(e, 50)).toEqual(['b', 'c']);
  });

  it('prototypeHead classifies by the nearest prototype', () => {
    const head = prototypeHead(['neg', 'pos'], Float32Array.of(0, 2, 3, 0), 2, { modelId: 'toy' });
    expect(head.weights).toEqual([[0, 1], [1, 0]]);
    const s = applyHead(head, Float32Array.of(0.9, 0.1, 0.2, 0.8), 2);
    expect(s[1]).toBeGreaterThan(0.99);
    expect(s[2]).toBeGreaterThan(0.99);
    expect(conceptPrompt({ name: 'pos', description: ' happy ' })).toBe('pos: happy');
  });
});

describe('embedding cache', () => {
  it('never re-embeds a text on retrain (hit rate) and keys by model and dtype', async () => {
    const ds = fresh();
    const cache = openEmbeddingCache({ name: `emb${n++}` });
    const enc = toyEmbedder();
    await addExamples(Array.from({ length: 40 }, (_, i) => ({ text: `great item ${i}`, labels: [i % 2 ? 'pos' : 'neg'] })), ds);
    const first = await trainingSet(enc, { cache }, ds);
    expect([first.hits, first.misses, enc.embedded]).toEqual([0, 40, 40]);
    await fitHead(first.set, { modelId: 'toy' });
    await addExamples([{ text: 'bad thing', labels: ['neg'] }], ds);
    const second = await trainingSet(enc, { cache }, ds);
    expect([second.hits, second.misses, enc.embedded]).toEqual([40, 1, 41]);
    const third = await trainingSet(enc, { cache }, ds);
    expect(third.hits / (third.hits + third.misses)).toBe(1);
    expect(third.set.data).toEqual(second.set.data);
    const q8 = { ...enc, info: { ...enc.info, dtype: 'q8' } };
    expect((await embedCached(q8, ['bad thing'], cache)).misses).toBe(1);
  });

  it('evicts oldest-first under its byte budget', async () => {
    const cache = openEmbeddingCache({ name: `emb${n++}`, budgetBytes: 2000 });
    const enc = toyEmbedder();
    for (let i = 0; i < 40; i++) await embedCached(enc, [`text ${i}`], cache);
    const info = await embeddingCacheInfo(cache);
    expect(info.bytes).toBeLessThanOrEqual(2000);
    expect(info.entries).toBeLessThan(40);
    expect((await embedCached(enc, ['text 39'], cache)).hits).toBe(1);
    expect((await embedCached(enc, ['text 0'], cache)).misses).toBe(1);
  });
});

describe('suggestNext', () => {
  it('ranks with zero-shot prototypes before any label, then with the newest stored head', async () => {
    const ds = fresh();
    const enc = toyEmbedder();
    const cache = openEmbeddingCache({ name: `emb${n++}` });
    await setConcept({ name: 'positive', description: 'good, love it, happy' }, ds);
    await setConcept({ name: 'negative', description: 'bad, broken, unhappy' }, ds);
    await addExamples(
      ['great great love', 'bad broken hate', 'good but broken', 'great and bad', 'great and bad!', 'love it'].map((text) => ({ text })),
      ds,
    );
    const zs = await zeroShotHead(enc, {}, ds);
    expect(zs.concepts).toEqual(['negative', 'positive']);
    const first = await suggestNext(2, { classifier: enc, cache }, ds);
    expect(first.headSource).toBe('zero-shot');
    expect(first.suggestions).toHaveLength(2);
    // The mixed reviews are the uncertain ones, and the two near-identical ones are not both asked.
    const texts = first.suggestions.map((s) => s.example.text);
    expect(texts[0]).toMatch(/great and bad|good but broken/);
    expect(texts.filter((t) => t.startsWith('great and bad'))).toHaveLength(1);
    expect(first.suggestions[0].uncertainty).toBeGreaterThanOrEqual(first.suggestions[1].uncertainty);

    await setLabels(textId('good but broken'), ['negative'], ds);
    const saved = await saveHead(zs, { name: 'zs' }, ds);
    const next = await suggestNext(10, { classifier: enc, cache, strategy: 'entropy' }, ds);
    expect(next).toMatchObject({ headSource: 'stored', headId: saved.id });
    expect(next.suggestions.map((s) => s.example.text)).not.toContain('good but broken');

    const preds = (await exportPredictions(enc, zs, { cache }, ds)).trim().split('\n').map((l) => JSON.parse(l));
    expect(preds.find((p) => p.text === 'bad broken hate').predicted).toBe('negative');
    expect(preds[0].scores.positive + preds[0].scores.negative).toBeCloseTo(1, 5);
  });
});
