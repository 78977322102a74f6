/**
 * The hosted path in Chromium against the emulator (cross-origin, so every call goes through a CORS preflight):
 * resume after a reload mid-sync from the real IndexedDB sync state, the whole template flow with the hosted model
 * classifying in the page, a refused training shown with the API's message, and the PAT absent from IndexedDB,
 * localStorage, exports and console output.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launch } from './chromium.js';

type Lib = typeof import('../../src/index.js');
type Win = Window & { lib: Lib; syncDone?: unknown; syncError?: string };

const PAT = 'test-pat';
let browser: Browser;
let context: BrowserContext;
const consoleLines: string[] = [];
const emu = () => inject('hostedUrl');
const control = (path: string, body: unknown) =>
  fetch(`${emu()}/__emulator/${path}`, { method: 'POST', body: JSON.stringify(body) }).then((r) => r.json());
const hostedInputs = async (app: string) =>
  ((await (await fetch(`${emu()}/__emulator/inputs?app=${app}`)).json()) as { inputs: { id: string; text: string; deleting: boolean }[] }).inputs;

async function open(ctx: BrowserContext): Promise<Page> {
  const p = await ctx.newPage();
  p.on('pageerror', (e) => console.error('[pageerror]', e.message));
  p.on('console', (m) => consoleLines.push(m.text()));
  await p.goto(`${inject('baseUrl')}/test/browser/harness.html`);
  await p.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true, null, { timeout: 60_000 });
  return p;
}

beforeAll(async () => {
  browser = await launch();
  context = await browser.newContext();
});
afterAll(async () => {
  await control('faults', { rules: [] }).catch(() => undefined);
  await browser?.close();
});

describe('hosted in Chromium', () => {
  it('resumes after a reload mid-sync from the IndexedDB state: nothing duplicated, nothing lost', async () => {
    await control('reset', {});
    const page = await open(context);
    const args = { url: emu(), pat: PAT };
    // Slow uploads, so the reload lands mid-sync.
    await control('faults', { rules: [{ kind: 'slow', count: 100, method: 'POST', path: '/inputs', ms: 250 }] });
    await page.evaluate(({ url, pat }) => {
      const w = window as unknown as Win;
      const { lib } = w;
      const client = new lib.HostedClient({ pat, appId: 'resume', baseUrl: url, retry: { baseMs: 10, maxMs: 100 } });
      const xs = Array.from({ length: 300 }, (_, i) => ({ id: `b${i}`, text: `browser review ${i}`, labels: [i % 2 ? 'good' : 'bad'] }));
      void (async () => {
        await lib.ensureApp(client);
        await lib.ensureDataset(client, 'ds');
        w.syncDone = await lib.syncDataset({ client, datasetId: 'ds', batchSize: 25, source: { listExamples: async () => xs } });
      })().catch((e: Error) => (w.syncError = e.message));
    }, args);
    // Wait until some batches landed, then reload: the sync dies with the page.
    for (let i = 0; i < 200 && (await hostedInputs('resume')).length < 75; i++) await new Promise((r) => setTimeout(r, 50));
    await page.reload();
    await page.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true);
    const landed = (await hostedInputs('resume')).length;
    expect(landed).toBeGreaterThanOrEqual(75);
    expect(landed).toBeLessThan(300);
    await control('faults', { rules: [] });
    const report = await page.evaluate(async ({ url, pat }) => {
      const { lib } = window as unknown as Win;
      const client = new lib.HostedClient({ pat, appId: 'resume', baseUrl: url });
      const xs = Array.from({ length: 300 }, (_, i) => ({ id: `b${i}`, text: `browser review ${i}`, labels: [i % 2 ? 'good' : 'bad'] }));
      return lib.syncDataset({ client, datasetId: 'ds', batchSize: 25, source: { listExamples: async () => xs } });
    }, args);
    // The state saved before the reload was used (no rebuild), and only the rest was sent.
    expect(report.rebuilt).toBe(false);
    expect(report.unchanged).toBeGreaterThanOrEqual(75);
    expect(report.added + report.unchanged).toBe(300);
    expect(report.rejected).toEqual([]);
    const inputs = await hostedInputs('resume');
    expect(inputs.length).toBe(300);
    expect(new Set(inputs.map((i) => i.text)).size).toBe(300);
    await page.close();
  });

  it('trains on the template path with progress, classifies through createClassifier({ hosted }), and shows a refused start', async () => {
    await control('reset', {});
    const page = await open(context);
    const out = await page.evaluate(async ({ url, pat }) => {
      const { lib } = window as unknown as Win;
      const ds = lib.openDataset('hosted-e2e');
      const pos = ['great battery', 'love the screen', 'excellent sound'];
      const neg = ['battery died', 'screen cracked', 'awful sound'];
      await lib.addExamples(Array.from({ length: 30 }, (_, i) => ({ text: `${(i % 2 ? pos : neg)[i % 3]} ${i}`, labels: [i % 2 ? 'positive' : 'negative'] })), ds);
      const source = { listExamples: () => lib.listExamples({}, ds) };
      const states: string[] = [];
      const result = await lib.deepTrain({
        pat,
        appId: 'web',
        baseUrl: url,
        source,
        poll: { intervalMs: 25, maxIntervalMs: 50 },
        onProgress: (p) => p.step === 'training' && states.push(p.training.state),
      });
      const clf = await lib.createClassifier({ hosted: { pat, appId: 'web', baseUrl: url, modelId: result.modelId, versionId: result.modelVersionId } });
      const [r] = await clf.classify(['love this great battery']);
      // Export of the local dataset: must not carry the key.
      const exported = await lib.exportExamples({ format: 'jsonl' }, ds);
      return { states, top: r.concepts[0].concept, concepts: clf.info.concepts, path: result.handle.path, exported };
    }, { url: emu(), pat: PAT });
    expect(out.path).toBe('template');
    expect(out.states).toContain('queued');
    expect(out.states.at(-1)).toBe('succeeded');
    expect(out.concepts).toEqual(['negative', 'positive']);
    expect(out.top).toBe('positive');
    expect(out.exported).toContain('great battery');
    expect(out.exported).not.toContain(PAT);

    await control('hooks', { templatePath: 'refuse' });
    const refused = await page.evaluate(async ({ url, pat }) => {
      const { lib } = window as unknown as Win;
      const job = lib.deepTrain({ pat, appId: 'web', baseUrl: url, source: { listExamples: () => lib.listExamples({}, lib.openDataset('hosted-e2e')) }, poll: { intervalMs: 25 } });
      return job.then(
        () => null,
        (err: unknown) => {
          const e = err as Error & { code?: string; status?: { code: number } };
          return { name: e.name, code: e.code, status: e.status?.code, message: e.message };
        },
      );
    }, { url: emu(), pat: PAT });
    expect(refused).toMatchObject({ name: 'TrainingPathUnavailableError', code: 'TRAINING_PATH_UNAVAILABLE', status: 21202 });
    expect(refused!.message).toMatch(/deprecated server-side/);
    await control('hooks', { templatePath: 'ok' });

    // The PAT is nowhere in the origin's persistent storage, and not in the console.
    const stored = await page.evaluate(async () => {
      const dump: string[] = [JSON.stringify({ ...localStorage }), JSON.stringify({ ...sessionStorage })];
      for (const info of await indexedDB.databases()) {
        const db = await new Promise<IDBDatabase>((res, rej) => {
          const r = indexedDB.open(info.name!);
          r.onsuccess = () => res(r.result);
          r.onerror = () => rej(r.error);
        });
        for (const name of Array.from(db.objectStoreNames)) {
          const tx = db.transaction(name, 'readonly');
          const all = await new Promise<unknown[]>((res) => {
            const r = tx.objectStore(name).getAll();
            r.onsuccess = () => res(r.result);
          });
          dump.push(info.name!, name, JSON.stringify(all, (_k, v) => (v instanceof ArrayBuffer || ArrayBuffer.isView(v) ? '[bytes]' : v)));
        }
        db.close();
      }
      return { dump: dump.join('\n'), dbs: (await indexedDB.databases()).map((d) => d.name) };
    });
    expect(stored.dbs).toContain('inpage-classifier-hosted');
    expect(stored.dump).toContain('ipc-');
    expect(stored.dump).not.toContain(PAT);
    expect(consoleLines.join('\n')).not.toContain(PAT);

    // Session-only storage on request: sessionStorage, never localStorage or IndexedDB; forgetPat clears it.
    const session = await page.evaluate(async ({ url, pat }) => {
      const { lib } = window as unknown as Win;
      const c = new lib.HostedClient({ pat, patStorage: 'session', appId: 'web', baseUrl: url });
      const inSession = sessionStorage.getItem(lib.SESSION_PAT_KEY);
      const again = new lib.HostedClient({ patStorage: 'session', appId: 'web', baseUrl: url });
      await lib.ensureApp(again);
      c.forgetPat();
      return { inSession, local: JSON.stringify({ ...localStorage }), after: sessionStorage.getItem(lib.SESSION_PAT_KEY) };
    }, { url: emu(), pat: PAT });
    expect(session.inSession).toBe(PAT);
    expect(session.local).not.toContain(PAT);
    expect(session.after).toBeNull();
    await page.close();
  });
});
