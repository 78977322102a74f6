/**
 * WebGPU in Chromium. Here the adapter is SwiftShader (software): these tests check correctness, never speed.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { REVIEWS, TINY_MODEL_URL_PATH } from '../helpers/paths.js';
import { launch, openHarness } from './chromium.js';

type Lib = typeof import('../../src/index.js');
type Clf = Awaited<ReturnType<Lib['createClassifier']>>;
type Win = Window & { lib: Lib; gpu: Clf; cpu: Clf; lossy: Worker[] };

let browser: Browser;
let page: Page;

beforeAll(async () => {
  browser = await launch();
  page = await openHarness(browser, inject('baseUrl'));
});
afterAll(async () => {
  await browser?.close();
});

describe('WebGPU (SwiftShader here)', () => {
  it('has only a fallback adapter on this machine', async () => {
    const fallback = await page.evaluate(async () => {
      const a = await navigator.gpu?.requestAdapter();
      return a ? (a.info as GPUAdapterInfo & { isFallbackAdapter?: boolean }).isFallbackAdapter : null;
    });
    expect(fallback).toBe(true);
  });

  it('auto picks WASM on a fallback adapter and says why', async () => {
    const info = await page.evaluate(async (model) => {
      const { lib } = window as unknown as Win;
      const clf = await lib.createClassifier({ model, cache: false });
      const i = clf.info;
      await clf.dispose();
      return i;
    }, TINY_MODEL_URL_PATH);
    expect(info.device).toBe('wasm');
    expect(info.dtype).toBe('q8');
    expect(info.deviceReason).toMatch(/fallback/);
  });

  it('forced WebGPU agrees with WASM (cosine > 0.999, same top concept) and passes the golden check', async () => {
    const r = await page.evaluate(
      async ({ model, texts }) => {
        const w = window as unknown as Win;
        w.gpu = await w.lib.createClassifier({ model, device: 'webgpu', dtype: 'fp32', cache: false });
        w.cpu = await w.lib.createClassifier({ model, device: 'wasm', dtype: 'fp32', cache: false });
        const [eg, ec] = [await w.gpu.embed(texts), await w.cpu.embed(texts)];
        const [cg, cc] = [await w.gpu.classify(texts), await w.cpu.classify(texts)];
        let minCos = 1;
        for (let i = 0; i < eg.count; i++) {
          let dot = 0;
          for (let d = 0; d < eg.dim; d++) dot += eg.data[i * eg.dim + d] * ec.data[i * ec.dim + d];
          minCos = Math.min(minCos, dot);
        }
        const sameTop = cg.every((r, i) => r.concepts[0].concept === cc[i].concepts[0].concept);
        return { minCos, sameTop, info: w.gpu.info };
      },
      { model: TINY_MODEL_URL_PATH, texts: REVIEWS },
    );
    expect(r.info.device).toBe('webgpu');
    expect(r.info.deviceReason).toMatch(/requested/);
    expect(r.info.goldenCosine).toBeGreaterThan(0.999);
    expect(r.minCos).toBeGreaterThan(0.999);
    expect(r.sameTop).toBe(true);
  });

  it('a GPU device lost mid-batch: the call still returns, on WASM, with WASM results', async () => {
    const r = await page.evaluate(
      async ({ model, texts }) => {
        const w = window as unknown as Win;
        w.lossy = [];
        const workerFactory = () => {
          const worker = new Worker(new URL('/test/browser/lossy.worker.ts', location.origin), { type: 'module' });
          w.lossy.push(worker);
          return worker;
        };
        const clf = await w.lib.createClassifier({ model, device: 'webgpu', dtype: 'fp32', cache: false, workerFactory });
        const many = Array.from({ length: 12 }, () => texts).flat();
        let lost = false;
        const result = await clf.classify(many, {
          maxBatchTokens: 64,
          onProgress: () => {
            if (!lost) w.lossy[0].postMessage({ type: 'test:lose-gpu' });
            lost = true;
          },
        });
        const reference = await w.cpu.classify(many);
        let maxDiff = 0;
        result.forEach((res, i) =>
          res.concepts.forEach((c) => {
            const ref = reference[i].concepts.find((x) => x.concept === c.concept)!;
            maxDiff = Math.max(maxDiff, Math.abs(ref.score - c.score));
          }),
        );
        const info = clf.info;
        const again = await clf.classify(['still works']);
        await clf.dispose();
        return { lost, n: result.length, expected: many.length, maxDiff, info, again: again[0].concepts.length };
      },
      { model: TINY_MODEL_URL_PATH, texts: REVIEWS },
    );
    expect(r.lost).toBe(true);
    expect(r.n).toBe(r.expected);
    expect(r.info.device).toBe('wasm');
    expect(r.info.deviceReason).toMatch(/GPU device was lost: .*; restarted on WASM/);
    expect(r.maxDiff).toBeLessThan(1e-4);
    expect(r.again).toBe(3);
  });
});
