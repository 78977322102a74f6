/**
 * Loading in Chromium from a hub-shaped server on 127.0.0.1: hub ids, Cache Storage with a sha256 manifest (zero
 * requests on the second load, corrupt entries refetched), offline mode, cancel with progress, and every bad file.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launch, openHarness } from './chromium.js';

type Lib = typeof import('../../src/index.js');
type Win = Window & { lib: Lib };

let browser: Browser;
let page: Page;
const hubUrl = inject('hubUrl');
const baseUrl = inject('baseUrl');
const requested: string[] = [];

async function hubStats(): Promise<Record<string, number>> {
  return (await fetch(`${hubUrl}/__stats`)).json();
}
const countFor = (stats: Record<string, number>, id: string) =>
  Object.entries(stats)
    .filter(([path]) => path.startsWith(`/test/${id}/`))
    .reduce((s, [, n]) => s + n, 0);

/** Loads `model` in the page, classifies one text, disposes; returns top concept or the error. */
async function loadIn(p: Page, model: string, extra: Record<string, unknown> = {}) {
  return p.evaluate(
    async ({ model, hubUrl, extra }) => {
      const { lib } = window as unknown as Win;
      try {
        const clf = await lib.createClassifier({ model, hubUrl, dtype: 'fp32', ...extra });
        const [r] = await clf.classify(['I love it']);
        await clf.dispose();
        return { ok: true as const, top: r.concepts[0].concept, score: r.concepts[0].score };
      } catch (e) {
        const err = e as Error & { code?: string; file?: string };
        return { ok: false as const, name: err.name, code: err.code, file: err.file, message: err.message };
      }
    },
    { model, hubUrl, extra },
  );
}

beforeAll(async () => {
  browser = await launch();
  page = await openHarness(browser, baseUrl);
  page.on('request', (r) => requested.push(r.url()));
  await page.evaluate(() => (window as unknown as Win).lib.clearModelCache());
});
afterAll(async () => {
  await browser?.close();
});

describe('loading by hub id with the model cache', () => {
  it('loads a hub id, caches it, and the second load makes zero requests', async () => {
    const first = await loadIn(page, 'test/copy-1');
    expect(first).toMatchObject({ ok: true });
    const before = countFor(await hubStats(), 'copy-1');
    expect(before).toBeGreaterThanOrEqual(5);
    const second = await loadIn(page, 'test/copy-1');
    expect(second).toEqual(first);
    expect(countFor(await hubStats(), 'copy-1')).toBe(before);
    const info = await page.evaluate(() => (window as unknown as Win).lib.getModelCacheInfo());
    expect(info.models.some((m) => m.includes('/test/copy-1/resolve/main/'))).toBe(true);
    expect(info.bytes).toBeGreaterThan(1_000_000);
  });

  it('gives the same scores as loading the folder from our own origin', async () => {
    const viaHub = await loadIn(page, 'test/copy-1');
    const viaFolder = await loadIn(page, '/test/fixtures/models/tiny-sentiment/', { cache: false });
    expect(viaHub.ok && viaFolder.ok).toBe(true);
    if (viaHub.ok && viaFolder.ok) expect(Math.abs(viaHub.score - viaFolder.score)).toBeLessThan(1e-6);
  });

  it('works offline from the cache, and refuses an uncached model offline without a request', async () => {
    const before = await hubStats();
    expect(await loadIn(page, 'test/copy-1', { offline: true })).toMatchObject({ ok: true });
    const uncached = await loadIn(page, 'test/copy-2', { offline: true });
    expect(uncached).toMatchObject({ ok: false, name: 'ModelLoadError', code: 'MODEL_LOAD' });
    expect(uncached.ok || uncached.message).toMatch(/offline/);
    expect(await hubStats()).toEqual(before);
  });

  it('refetches a corrupt cache entry (sha256 mismatch) and only that one', async () => {
    await loadIn(page, 'test/copy-3');
    await page.evaluate(async (hubUrl) => {
      const cache = await caches.open('inpage-classifier-models-v1');
      const key = `${hubUrl}/test/copy-3/resolve/main/onnx/model.onnx`;
      const bytes = new Uint8Array(await (await cache.match(key))!.arrayBuffer());
      bytes[bytes.length >> 1] ^= 0xff; // one flipped byte
      await cache.put(key, new Response(bytes, { headers: { 'content-length': String(bytes.length) } }));
    }, hubUrl);
    const before = await hubStats();
    expect(await loadIn(page, 'test/copy-3')).toMatchObject({ ok: true });
    const after = await hubStats();
    const delta = Object.keys(after).filter((k) => after[k] !== before[k]);
    expect(delta).toEqual(['/test/copy-3/resolve/main/onnx/model.onnx']);
  });

  it('reports download progress per file, and cancels a slow load without caching it', async () => {
    const r = await page.evaluate(async (hubUrl) => {
      const { lib } = window as unknown as Win;
      const ac = new AbortController();
      const events: { file?: string; loaded: number; total: number }[] = [];
      const p = lib.createClassifier({
        model: 'test/slow',
        hubUrl,
        dtype: 'fp32',
        signal: ac.signal,
        onProgress: (e) => {
          if (e.phase === 'download') events.push({ file: e.file, loaded: e.loaded, total: e.total });
          if (e.file === 'onnx/model.onnx' && e.loaded > 200_000) ac.abort();
        },
      });
      const err = await p.then(
        () => null,
        (e: Error) => e.name,
      );
      const info = await lib.getModelCacheInfo();
      return { err, events, cached: info.models.filter((m) => m.includes('/test/slow/')) };
    }, hubUrl);
    expect(r.err).toBe('AbortError');
    const onnx = r.events.filter((e) => e.file === 'onnx/model.onnx');
    expect(onnx.length).toBeGreaterThan(1);
    expect(onnx[0].total).toBeGreaterThan(onnx.at(-1)!.loaded);
    expect(r.cached).toEqual([]);
  });

  it('clears the cache', async () => {
    await page.evaluate(() => (window as unknown as Win).lib.clearModelCache());
    const info = await page.evaluate(() => (window as unknown as Win).lib.getModelCacheInfo());
    expect(info).toMatchObject({ bytes: 0, models: [] });
  });
});

describe('bad files give typed errors naming the file, and nothing is cached', () => {
  const cases: [string, RegExp, string][] = [
    ['test/does-not-exist', /config\.json: not found/, 'config.json'],
    ['test/html', /config\.json: got an HTML page instead of JSON/, 'config.json'],
    ['test/truncated', /onnx\/model\.onnx: truncated download/, 'onnx/model.onnx'],
    ['test/corrupt', /onnx\/model\.onnx: does not start like an ONNX ModelProto/, 'onnx/model.onnx'],
    ['test/mismatch', /tokenizer\.json: has \d+ tokens but the model's vocab_size is \d+/, 'tokenizer.json'],
  ];
  for (const [id, message, file] of cases) {
    it(`${id}`, async () => {
      const r = await loadIn(page, id);
      expect(r).toMatchObject({ ok: false, name: 'ModelLoadError', code: 'MODEL_LOAD', file });
      expect(r.ok || r.message).toMatch(message);
    });
  }

  it('a dtype whose file is missing', async () => {
    const r = await loadIn(page, 'test/no-q8', { dtype: 'q8' });
    expect(r.ok || r.message).toMatch(/dtype "q8" needs onnx\/model_quantized\.onnx/);
  });

  it('left nothing of the failed loads in the cache', async () => {
    const info = await page.evaluate(() => (window as unknown as Win).lib.getModelCacheInfo());
    expect(info.models).toEqual([]);
  });
});

describe('network hygiene', () => {
  it('fetched ORT and everything else only from our origin and the configured hub', () => {
    const foreign = requested.filter((u) => !u.startsWith(baseUrl) && !u.startsWith(hubUrl) && !u.startsWith('data:'));
    expect(foreign).toEqual([]);
    expect(requested.some((u) => u.startsWith(hubUrl))).toBe(true);
  });
});
