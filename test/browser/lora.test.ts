/**
 * LoRA in the browser ([G]): an adapter trained in the training worker (split graphs fetched there, bottom once per
 * text, CPU kernels) equals Node's for the same seed, and an inference worker classifies with it through ORT equal
 * to Node's in-process classifier.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createClassifier, defaultModelDir, trainLora } from '../../src/node/index.js';
import { launch, openHarness } from './chromium.js';

type Lib = typeof import('../../src/index.js');
type Win = Window & { lib: Lib };

let browser: Browser;
let page: Page;

beforeAll(async () => {
  browser = await launch();
  page = await openHarness(browser, inject('baseUrl'));
});
afterAll(async () => {
  await browser?.close();
});

const texts = ['Works great, I love it', 'Best purchase this year', 'Really happy with it', 'Five stars, would buy again',
  'Broke after two days', 'Waste of money', 'Arrived damaged and late', 'Does not work at all'];
const labels = texts.map((_, i) => [i < 4 ? 'positive' : 'negative']);
const probe = ['I love it', 'It broke at once', 'fine I guess'];
const options = { seed: 2, rank: 4, epochs: 2, validationSplit: 0 };

describe('trainLora in the training worker, and an adapter in the inference worker', () => {
  it('trains the same adapter as Node, with progress, and classifies with it like Node', async () => {
    const r = await page.evaluate(
      async ({ texts, labels, probe, options }) => {
        const { lib } = window as unknown as Win;
        const epochs: number[] = [];
        let encoded = 0;
        const res = await lib.trainLora(
          { texts, labels },
          { ...options, cache: false, model: '/models/inpage-sentiment-mini/', onProgress: (p) => epochs.push(p.epoch), onEncode: (d) => (encoded = d) },
        );
        await new Promise((resolve) => setTimeout(resolve, 50));
        const clf = await lib.createClassifier({ model: '/models/inpage-sentiment-mini/', head: res.adapter, cache: false });
        const out = await clf.classify(probe);
        const info = clf.info;
        await clf.dispose();
        return { adapter: res.adapter, epochs, encoded, info, scores: out.map((o) => Object.fromEntries(o.concepts.map((c) => [c.concept, c.score]))) };
      },
      { texts, labels, probe, options },
    );
    expect(r.epochs).toEqual([1, 2]);
    expect(r.encoded).toBe(texts.length);
    expect(r.info.adapter).toEqual({ rank: 4, layers: r.adapter.k });
    expect(r.info.device).toBe('wasm');

    const node = await trainLora({ texts, labels }, options);
    for (const [i, layer] of node.adapter.layers.entries()) {
      for (const key of ['A_q', 'B_q', 'A_v', 'B_v'] as const) {
        const a = layer[key].flat();
        const b = r.adapter.layers[i][key].flat();
        for (let j = 0; j < a.length; j++) expect(Math.abs(a[j] - b[j])).toBeLessThan(1e-5);
      }
    }
    const clf = await createClassifier({ model: defaultModelDir(), head: r.adapter });
    const want = await clf.classify(probe);
    await clf.dispose();
    want.forEach((w, i) => w.concepts.forEach((c) => expect(Math.abs(r.scores[i][c.concept] - c.score)).toBeLessThan(1e-4)));
  }, 180_000);

  it('cancels: the job rejects with CancelledError (name AbortError) and no more epochs arrive', async () => {
    const r = await page.evaluate(
      async ({ texts, labels }) => {
        const { lib } = window as unknown as Win;
        let epochs = 0;
        const job = lib.trainLora(
          { texts: [...texts, ...texts, ...texts], labels: [...labels, ...labels, ...labels] },
          { model: '/models/inpage-sentiment-mini/', cache: false, epochs: 500, patience: 500, validationSplit: 0, onProgress: () => epochs++ },
        );
        while (epochs < 1) await new Promise((resolve) => setTimeout(resolve, 20));
        job.cancel();
        const name = await job.then(() => 'resolved', (e: unknown) => (e as Error).name);
        const at = epochs;
        await new Promise((resolve) => setTimeout(resolve, 500));
        return { name, at, after: epochs };
      },
      { texts, labels },
    );
    expect(r.name).toBe('AbortError'); // CancelledError's name, like a DOM abort
    expect(r.after - r.at).toBeLessThanOrEqual(1);
  }, 120_000);
});
