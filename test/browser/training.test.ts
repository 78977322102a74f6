/**
 * Training in the browser's training worker: progress per epoch, cancel, the same head as Node for the same seed,
 * and the page stays responsive meanwhile.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { trainHead } from '../../src/node/index.js';
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

/** Two noisy classes in `dim` dimensions, the same numbers on both sides (a tiny LCG, no Math.random). */
function toy(n: number, dim: number): { data: number[]; dim: number; labels: string[][] } {
  let s = 12345;
  const rnd = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1;
  const data: number[] = [];
  const labels: string[][] = [];
  for (let i = 0; i < n; i++) {
    const k = i % 2;
    for (let d = 0; d < dim; d++) data.push((d % 2 === k ? 1 : 0) + rnd());
    labels.push([k ? 'odd' : 'even']);
  }
  return { data, dim, labels };
}

describe('trainHead in a web worker', () => {
  it('trains with progress, and gives the same head as Node for the same seed', async () => {
    const set = toy(300, 32);
    const r = await page.evaluate(async (set) => {
      const { lib } = window as unknown as Win;
      const epochs: number[] = [];
      const res = await lib.trainHead(
        { data: Float32Array.from(set.data), dim: set.dim, labels: set.labels },
        { modelId: 'toy', seed: 4, onProgress: (p) => epochs.push(p.epoch) },
      );
      // Progress proxies are one-way messages: let the last ones land.
      await new Promise((resolve) => setTimeout(resolve, 50));
      return { head: res.head, epochs, history: res.history.length, acc: res.validation?.accuracy };
    }, set);
    expect(r.epochs.length).toBe(r.history);
    expect(r.epochs[0]).toBe(1);
    expect(r.acc).toBeGreaterThan(0.9);
    const node = await trainHead({ data: Float32Array.from(set.data), dim: set.dim, labels: set.labels }, { modelId: 'toy', seed: 4 });
    expect(r.head.weights).toEqual(node.head.weights);
    expect(r.head.calibration).toEqual(node.head.calibration);
  });

  it('cancels a long run; the page stays responsive and the worker trains again afterwards', async () => {
    const set = toy(4000, 128);
    const r = await page.evaluate(async (set) => {
      const { lib } = window as unknown as Win;
      const data = Float32Array.from(set.data);
      let last = 0;
      let ticks = 0;
      const timer = setInterval(() => ticks++, 10);
      const job = lib.trainHead(
        { data, dim: set.dim, labels: set.labels },
        { modelId: 'toy', epochs: 100_000, patience: 100_000, onProgress: (p) => (last = p.epoch) },
      );
      await new Promise((resolve) => setTimeout(resolve, 600));
      job.cancel();
      const name = await job.then(
        () => 'resolved',
        (e: unknown) => (e as Error).name,
      );
      const atCancel = last;
      await new Promise((resolve) => setTimeout(resolve, 300));
      const frozen = last;
      await new Promise((resolve) => setTimeout(resolve, 300));
      clearInterval(timer);
      const after = await lib.trainHead(
        { data: data.subarray(0, 100 * set.dim), dim: set.dim, labels: set.labels.slice(0, 100) },
        { modelId: 'toy', epochs: 5 },
      );
      return { name, atCancel, frozen, later: last, ticks, afterEpochs: after.history.length, dataKept: data.length };
    }, set);
    expect(r.name).toBe('AbortError');
    expect(r.atCancel).toBeGreaterThan(0);
    // The worker stopped within its yield interval (a few epochs in flight), then progress froze.
    expect(r.frozen - r.atCancel).toBeLessThanOrEqual(20);
    expect(r.later).toBe(r.frozen);
    expect(r.ticks).toBeGreaterThan(40);
    expect(r.afterEpochs).toBe(5);
    expect(r.dataKept).toBe(4000 * 128);
  });
});
