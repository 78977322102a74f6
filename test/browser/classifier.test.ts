/**
 * The library in real Chromium: tokenizer and ORT in a module worker, results equal to Node's, responsiveness,
 * cancel, crash recovery and bad input.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createClassifier, type Classifier } from '../../src/node/index.js';
import { REVIEWS, TINY_MODEL, TINY_MODEL_URL_PATH } from '../helpers/paths.js';
import { launch, openHarness } from './chromium.js';

type Lib = typeof import('../../src/index.js');
type Win = Window & { lib: Lib; clf: Awaited<ReturnType<Lib['createClassifier']>>; workers: Worker[] };

let browser: Browser;
let page: Page;
let node: Classifier;
/** Scripts the page itself fetched once the library was imported, before any worker existed. */
let mainThreadScripts: string[];

beforeAll(async () => {
  browser = await launch();
  page = await openHarness(browser, inject('baseUrl'));
  node = await createClassifier({ model: TINY_MODEL, dtype: 'fp32' });
  mainThreadScripts = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name));
  await page.evaluate(async (model) => {
    const w = window as unknown as Win;
    w.workers = [];
    // Same worker as the default factory, recorded so tests can kill it.
    const workerFactory = () => {
      const worker = new Worker(new URL('/workers/inference.worker.ts', location.origin), { type: 'module' });
      w.workers.push(worker);
      return worker;
    };
    w.clf = await w.lib.createClassifier({ model, dtype: 'fp32', workerFactory });
  }, TINY_MODEL_URL_PATH);
});

afterAll(async () => {
  await node?.dispose();
  await browser?.close();
});

describe('classifier in a web worker', () => {
  it('loads in a worker on WASM, with threads on this cross-origin-isolated page', async () => {
    const info = await page.evaluate(() => ({ ...(window as unknown as Win).clf.info, isolated: crossOriginIsolated }));
    expect(info).toMatchObject({ runtime: 'worker', device: 'wasm', dtype: 'fp32', isolated: true });
    expect(info.threads).toBeGreaterThanOrEqual(1);
    expect(info.concepts).toEqual(['negative', 'neutral', 'positive']);
  });

  it('never loads the tokenizer or ORT on the main thread', async () => {
    expect(mainThreadScripts.some((u) => u.includes('/src/index.ts'))).toBe(true);
    expect(mainThreadScripts.filter((u) => /onnxruntime|tokenizers|\.wasm|src\/text\/|src\/infer\/(engine|session|host)/.test(u))).toEqual([]);
  });

  it('classifies and embeds like Node, within 1e-4', async () => {
    const browserOut = await page.evaluate(async (texts) => {
      const { clf } = window as unknown as Win;
      const c = await clf.classify(texts);
      const e = await clf.embed(texts);
      return { c, e: Array.from(e.data), dim: e.dim };
    }, REVIEWS);
    const nodeC = await node.classify(REVIEWS);
    const nodeE = await node.embed(REVIEWS);
    expect(browserOut.dim).toBe(nodeE.dim);
    let maxDiff = 0;
    browserOut.e.forEach((v, i) => (maxDiff = Math.max(maxDiff, Math.abs(v - nodeE.data[i]))));
    expect(maxDiff).toBeLessThan(1e-4);
    browserOut.c.forEach((r, i) => {
      expect(r.concepts[0].concept).toBe(nodeC[i].concepts[0].concept);
      for (const s of r.concepts) {
        const n = nodeC[i].concepts.find((x) => x.concept === s.concept)!;
        expect(Math.abs(s.score - n.score)).toBeLessThan(1e-4);
      }
    });
  });

  it('keeps the main thread responsive during a long batch', async () => {
    const r = await page.evaluate(async () => {
      const { clf } = window as unknown as Win;
      const texts = Array.from({ length: 1500 }, (_, i) => `review ${i}: ${'the sound is warm and the build is solid '.repeat(4)}`);
      let ticks = 0;
      let last = performance.now();
      let maxGap = 0;
      const timer = setInterval(() => {
        const now = performance.now();
        maxGap = Math.max(maxGap, now - last);
        last = now;
        ticks++;
      }, 10);
      const t0 = performance.now();
      await clf.classify(texts);
      const ms = performance.now() - t0;
      clearInterval(timer);
      return { ticks, maxGap, ms };
    });
    // The batch takes seconds; a blocked main thread would show no ticks and one gap as long as the batch.
    expect(r.ms).toBeGreaterThan(300);
    expect(r.maxGap).toBeLessThan(Math.max(200, r.ms / 4));
    expect(r.ticks).toBeGreaterThan(r.ms / 50);
  });

  it('cancels a running job; the next call works', async () => {
    const r = await page.evaluate(async () => {
      const { clf } = window as unknown as Win;
      const texts = Array.from({ length: 4000 }, (_, i) => `text ${i} ${'word '.repeat(30)}`);
      const job = clf.classify(texts, { maxBatchTokens: 1024 });
      const t0 = performance.now();
      setTimeout(() => job.cancel(), 100);
      const name = await job.then(
        () => 'resolved',
        (e: unknown) => (e as Error).name,
      );
      const [after] = await clf.classify(['after cancel']);
      return { name, cancelMs: performance.now() - t0, after: after.concepts.length };
    });
    expect(r.name).toBe('AbortError');
    expect(r.after).toBe(3);
  });

  it('restarts a killed worker: the pending call rejects, the next call works', async () => {
    const r = await page.evaluate(async () => {
      const w = window as unknown as Win;
      const texts = Array.from({ length: 3000 }, (_, i) => `text ${i} ${'word '.repeat(30)}`);
      const job = w.clf.classify(texts);
      await new Promise((res) => setTimeout(res, 100));
      w.workers.at(-1)!.terminate();
      const err = await job.then(
        () => null,
        (e: unknown) => ({ name: (e as Error).name, code: (e as { code?: string }).code }),
      );
      const [after] = await w.clf.classify(['back again']);
      return { err, workers: w.workers.length, after: after.concepts.length };
    });
    expect(r.err).toEqual({ name: 'WorkerCrashedError', code: 'WORKER_CRASHED' });
    expect(r.workers).toBe(2);
    expect(r.after).toBe(3);
  });

  it('handles bad input: TypeError with position, empty string, a 1 MB text, use after dispose', async () => {
    const r = await page.evaluate(async (model) => {
      const { clf, lib } = window as unknown as Win;
      const catchName = (p: PromiseLike<unknown>) =>
        Promise.resolve(p).then(
          () => 'ok',
          (e: Error) => `${e.name}|${e instanceof TypeError}|${e.message}`,
        );
      const notArray = await catchName(clf.classify('text' as unknown as string[]));
      const badElement = await catchName(clf.classify(['ok', 42 as unknown as string]));
      const [empty] = await clf.classify(['']);
      const huge = 'Solid build, poor battery. '.repeat(40_000);
      const [big] = await clf.classify([huge]);
      const other = await lib.createClassifier({ model, dtype: 'fp32' });
      await other.dispose();
      const disposed = await catchName(other.classify(['x']));
      return { notArray, badElement, empty: empty.concepts.length, big, hugeLen: huge.length, disposed };
    }, TINY_MODEL_URL_PATH);
    expect(r.notArray).toMatch(/^InvalidInputError\|true\|texts must be an array/);
    expect(r.badElement).toMatch(/texts\[1\] must be a string, got number/);
    expect(r.empty).toBe(3);
    expect(r.hugeLen).toBeGreaterThan(1_000_000);
    expect(r.big.windows).toBeGreaterThan(100);
    expect(r.disposed).toMatch(/^DisposedError/);
  });

  it('reports a missing model as a typed error naming the file', async () => {
    const r = await page.evaluate(async () => {
      const { lib } = window as unknown as Win;
      return lib.createClassifier({ model: '/no/such/model/' }).then(
        () => 'ok',
        (e: Error & { code?: string; file?: string }) => ({ name: e.name, code: e.code, message: e.message }),
      );
    });
    expect(r).toMatchObject({ name: 'ModelLoadError', code: 'MODEL_LOAD' });
    expect((r as { message: string }).message).toMatch(/config\.json/);
  });
});
