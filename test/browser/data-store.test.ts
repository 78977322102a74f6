/**
 * The dataset in Chromium's real IndexedDB: persistence across reloads, two tabs labelling at once, a quota error
 * (CDP Storage.overrideQuotaForOrigin) that leaves nothing half-written, a 100k-row import in the data worker while
 * the page stays responsive, the embedding cache's hit rate on retrain with the real fixture model, schema migration
 * from v1, and concept rename/merge.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launch } from './chromium.js';

type Lib = typeof import('../../src/index.js');
type Win = Window & { lib: Lib };

let browser: Browser;
let context: BrowserContext;
const base = () => inject('baseUrl');

async function open(ctx: BrowserContext): Promise<Page> {
  const p = await ctx.newPage();
  p.on('pageerror', (e) => console.error('[pageerror]', e.message));
  await p.goto(`${base()}/test/browser/harness.html`);
  await p.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true, null, { timeout: 60_000 });
  return p;
}

beforeAll(async () => {
  browser = await launch();
  context = await browser.newContext();
});
afterAll(async () => {
  await browser?.close();
});

describe('dataset in IndexedDB', () => {
  it('survives a reload: examples, concepts, heads; persistence is requested and usage reported', async () => {
    const page = await open(context);
    const saved = await page.evaluate(async () => {
      const { lib } = window as unknown as Win;
      const ds = lib.openDataset('reload');
      await lib.addExamples([{ text: 'Great battery', labels: ['positive'] }, { text: 'Screen cracked' }], ds);
      await lib.setConcept({ name: 'negative', description: 'unhappy customer' }, ds);
      const head = {
        format: 'inpage-classifier/head@1' as const,
        type: 'linear' as const,
        problemType: 'single_label_classification' as const,
        modelId: 'm',
        dims: 2,
        concepts: ['negative', 'positive'],
        weights: [[1, 0], [0, 1]],
        bias: [0, 0],
        metrics: { macroF1: 0.7 },
      };
      const rec = await lib.saveHead(head, { name: 'first' }, ds);
      return { id: rec.id, persisted: await lib.requestPersistence(), info: await lib.storageInfo() };
    });
    expect(typeof saved.persisted).toBe('boolean');
    expect(saved.info.quota).toBeGreaterThan(0);
    expect(saved.info.usage).toBeGreaterThan(0);
    await page.reload();
    await page.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true);
    const back = await page.evaluate(async (id) => {
      const { lib } = window as unknown as Win;
      const ds = lib.openDataset('reload');
      return {
        examples: (await lib.listExamples({}, ds)).map((e) => [e.text, e.labels]),
        concepts: (await lib.listConcepts(ds)).map((c) => [c.name, c.description ?? null]),
        heads: (await lib.listHeads(ds)).map((h) => [h.id, h.name, h.metrics]),
        head: lib.headOf(await lib.loadHead(id, ds)).weights,
      };
    }, saved.id);
    expect(back.examples.sort()).toEqual([['Great battery', ['positive']], ['Screen cracked', []]]);
    expect(back.concepts).toEqual([['negative', 'unhappy customer'], ['positive', null]]);
    expect(back.heads).toEqual([[saved.id, 'first', { macroF1: 0.7 }]]);
    expect(back.head).toEqual([[1, 0], [0, 1]]);
    await page.close();
  });

  it('two tabs labelling the same and different texts at once: nothing lost, no duplicates', async () => {
    const [a, b] = await Promise.all([open(context), open(context)]);
    const run = (p: Page, tab: string) =>
      p.evaluate(async (tab) => {
        const { lib } = window as unknown as Win;
        const ds = lib.openDataset('tabs');
        const calls: Promise<unknown>[] = [];
        for (let i = 0; i < 150; i++) {
          // 0–99 shared by both tabs (same label), 100–149 this tab's own texts
          const text = i < 100 ? `Shared review ${i}` : `Review ${i} from tab ${tab}`;
          calls.push(lib.addExamples([{ text: tab === 'A' ? text : text.toUpperCase() + '  ', labels: [i % 2 ? 'pos' : 'neg'] }], ds));
        }
        await Promise.all(calls);
      }, tab);
    await Promise.all([run(a, 'A'), run(b, 'B')]);
    const counts = await a.evaluate(async () => {
      const { lib } = window as unknown as Win;
      const ds = lib.openDataset('tabs');
      const all = await lib.listExamples({}, ds);
      return { n: all.length, ids: new Set(all.map((e) => e.id)).size, labelled: all.filter((e) => e.labels.length === 1).length };
    });
    expect(counts).toEqual({ n: 200, ids: 200, labelled: 200 });
    await Promise.all([a.close(), b.close()]);
  });

  // The quota error is tested for real in data-quota.test.ts (a profile on a small tmpfs).

  it('imports 100k rows in the data worker while the page stays responsive', async () => {
    const page = await open(context);
    const r = await page.evaluate(async () => {
      const { lib } = window as unknown as Win;
      const ds = lib.openDataset('big');
      const lines: string[] = [];
      for (let i = 0; i < 100_000; i++) {
        lines.push(JSON.stringify(i % 1000 === 999 ? { text: '' } : { text: `Review ${i}: the item was ${i % 3 ? 'fine' : 'bad'}`, labels: i % 2 ? ['pos'] : [] }));
      }
      const blob = new Blob([lines.join('\n')]);
      let maxGap = 0;
      let ticks = 0;
      let last = performance.now();
      const timer = setInterval(() => {
        const now = performance.now();
        maxGap = Math.max(maxGap, now - last);
        last = now;
        ticks++;
      }, 10);
      let progress = 0;
      const t0 = performance.now();
      const report = await lib.importRows(blob, { onProgress: () => progress++ }, ds);
      const ms = performance.now() - t0;
      clearInterval(timer);
      return { report: { ...report, rejections: report.rejections.length }, ms, maxGap, ticks, progress, count: await lib.countExamples({}, ds) };
    });
    console.log(`100k import: ${r.ms.toFixed(0)} ms, longest main-thread gap ${r.maxGap.toFixed(0)} ms, ${r.ticks} ticks`);
    expect(r.report).toMatchObject({ rows: 100_000, accepted: 99_900, rejected: 100, reasons: { 'empty text': 100 } });
    expect(r.count).toBe(99_900);
    expect(r.progress).toBeGreaterThan(10);
    // The page kept running its timers: no gap anywhere near the import's length.
    expect(r.maxGap).toBeLessThan(250);
    expect(r.ticks).toBeGreaterThan(r.ms / 10 / 4);
    await page.close();
  });

  it('retraining never re-embeds a text: embedding cache hit rate with the real model', async () => {
    const page = await open(context);
    const r = await page.evaluate(async () => {
      const { lib } = window as unknown as Win;
      // The tiny fixture; the shipped model while the fixture is being rebuilt (both real encoders).
      const fixture = '/test/fixtures/models/tiny-sentiment/';
      const ok = (await fetch(`${fixture}config.json`)).headers.get('content-type')?.includes('json');
      const clf = await lib.createClassifier({ model: ok ? fixture : '/models/inpage-sentiment-mini/', dtype: 'fp32' });
      const ds = lib.openDataset('cache');
      const cache = lib.openEmbeddingCache({ name: 'emb-test' });
      const good = ['great', 'wonderful', 'loved it', 'excellent', 'superb'];
      const bad = ['awful', 'terrible', 'broken', 'hated it', 'poor'];
      const rows = Array.from({ length: 40 }, (_, i) => {
        const pos = i % 2 === 0;
        const w = (pos ? good : bad)[i % 5];
        return { text: `Review ${i}: ${w} product`, labels: [pos ? 'positive' : 'negative'] };
      });
      await lib.addExamples(rows, ds);
      const first = await lib.trainingSet(clf, { cache }, ds);
      const trained = await lib.trainHead(first.set, { modelId: clf.info.modelId, epochs: 20 });
      await lib.saveHead(trained.head, { name: 'v1' }, ds);
      await lib.addExamples([{ text: 'Review 99: terrible product', labels: ['negative'] }, { text: 'Review 98: superb product', labels: ['positive'] }], ds);
      const second = await lib.trainingSet(clf, { cache }, ds);
      await lib.trainHead(second.set, { modelId: clf.info.modelId, epochs: 20 });
      const third = await lib.trainingSet(clf, { cache }, ds);
      await lib.addExamples([{ text: 'It was superb' }, { text: 'It was terrible' }, { text: 'It was okay I guess' }], ds);
      const next = await lib.suggestNext(2, { classifier: clf, cache }, ds);
      await clf.dispose();
      return {
        first: [first.hits, first.misses],
        second: [second.hits, second.misses],
        third: [third.hits, third.misses],
        same: third.set.data.every((x, i) => x === second.set.data[i]),
        next: { source: next.headSource, n: next.suggestions.length },
      };
    });
    console.log(`cache: first ${r.first}, retrain after +2 labels ${r.second} (hit rate ${(r.second[0] / 42).toFixed(3)}), retrain ${r.third}`);
    expect(r.first).toEqual([0, 40]);
    expect(r.second).toEqual([40, 2]);
    expect(r.third).toEqual([42, 0]);
    expect(r.same).toBe(true);
    expect(r.next).toEqual({ source: 'stored', n: 2 });
    await page.close();
  });

  it('migrates a v1 store on open, and renames and merges concepts', async () => {
    const page = await open(context);
    const r = await page.evaluate(async () => {
      const { lib } = window as unknown as Win;
      const name = 'legacy';
      const s = lib.idbStorage();
      const id = (t: string) => lib.textId(t);
      await s.table(name, 'examples').setMany([
        [id('old good'), { id: id('old good'), text: 'old good', label: 'pos', created: 5 }],
        [id('old bad'), { id: id('old bad'), text: 'old bad', label: 'bad', created: 6 }],
        [id('old awful'), { id: id('old awful'), text: 'old awful', label: 'awful', created: 7 }],
      ]);
      await s.table(name, 'concepts').setMany([['pos', { name: 'pos' }], ['bad', { name: 'bad' }], ['awful', { name: 'awful' }]]);
      await s.table(name, 'meta').setMany([['schemaVersion', 1]]);
      const ds = lib.openDataset(name);
      const migrated = (await lib.listExamples({}, ds)).map((e) => [e.text, e.labels, e.createdAt]);
      const version = await ds.meta.get('schemaVersion');
      await lib.renameConcept('pos', 'positive', ds);
      await lib.mergeConcepts(['bad', 'awful'], 'negative', ds);
      const after = (await lib.listExamples({}, ds)).map((e) => [e.text, e.labels]);
      return { migrated, version, after, concepts: (await lib.listConcepts(ds)).map((c) => c.name) };
    });
    expect(r.migrated).toEqual([['old good', ['pos'], 5], ['old bad', ['bad'], 6], ['old awful', ['awful'], 7]]);
    expect(r.version).toBe(2);
    expect(r.after).toEqual([['old good', ['positive']], ['old bad', ['negative']], ['old awful', ['negative']]]);
    expect(r.concepts).toEqual(['negative', 'positive']);
    await page.close();
  });
});
