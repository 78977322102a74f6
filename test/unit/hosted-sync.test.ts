/**
 * The sync engine against the emulator's fault switches: whatever fails (429 with Retry-After, 500s, connections
 * dropped after the server stored the batch, slow answers), the hosted dataset ends with exactly the local labelled
 * examples — no duplicates, none lost. Also: incremental edits, rejected inputs reported, cancel and resume, and the
 * PAT never in URLs, errors or retry logs.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHostedEmulator, type HostedEmulator } from '../../tools/hosted-emulator/server.js';
import type { FaultRule } from '../../tools/hosted-emulator/faults.js';
import { HostedClient, ensureApp, ensureDataset, memorySyncState, syncDataset, type RetryInfo, type SyncExample, type SyncStateStore } from '../../src/hosted/index.js';
import { backoffDelay, parseRetryAfter } from '../../src/hosted/retry.js';

let emu: HostedEmulator;
const PAT = 'test-pat-0123456789';
const retry = { baseMs: 5, maxMs: 40 };

const make = (n: number, tag = ''): SyncExample[] =>
  Array.from({ length: n }, (_, i) => ({ id: `e${String(i).padStart(5, '0')}`, text: `review number ${i} ${tag}`, labels: [i % 3 ? 'good' : 'bad'] }));

beforeAll(async () => {
  emu = await startHostedEmulator({ pats: [PAT], timings: { inputMs: 5, deleteMs: 5 } });
});
afterAll(async () => emu?.close());
beforeEach(() => emu.reset());

async function setup(appId: string, retries: RetryInfo[] = []) {
  const client = new HostedClient({ pat: PAT, appId, baseUrl: emu.url, retry: { ...retry, attempts: 6 }, onRetry: (r) => retries.push(r) });
  await ensureApp(client);
  await ensureDataset(client, 'ds');
  return client;
}

/** The hosted dataset holds exactly `xs` (by text and label), once each. */
function expectExactly(appId: string, xs: SyncExample[]) {
  const hosted = emu.inputs(appId);
  const texts = hosted.map((i) => i.text).sort();
  expect(texts).toEqual(xs.filter((x) => x.labels.length).map((x) => x.text).sort());
  for (const i of hosted) {
    const x = xs.find((e) => e.text === i.text)!;
    expect(i.concepts.filter((c) => c.value === 1).map((c) => c.id)).toEqual(x.labels);
  }
}

const run = (client: HostedClient, xs: SyncExample[], store: SyncStateStore, extra: Partial<Parameters<typeof syncDataset>[0]> = {}) =>
  syncDataset({ client, source: { listExamples: async () => xs }, datasetId: 'ds', store, batchSize: 50, ...extra });

describe('hosted sync', () => {
  it('is incremental: a second sync sends nothing; edits, deletions and additions cost only their own requests', async () => {
    const client = await setup('inc');
    const store = memorySyncState();
    let xs = make(120);
    const first = await run(client, xs, store);
    expect(first).toMatchObject({ added: 120, deleted: 0, rejected: [] });
    expectExactly('inc', xs);
    const before = emu.requestLog.length;
    const again = await run(client, xs, store);
    expect(again).toMatchObject({ added: 0, deleted: 0, unchanged: 120 });
    expect(emu.requestLog.length).toBe(before);
    // Relabel 2, delete 3, add 4, and one unlabelled example (not uploaded).
    xs = xs.slice(3);
    xs[0] = { ...xs[0], labels: ['good', 'bad'] };
    xs[1] = { ...xs[1], labels: xs[1].labels[0] === 'bad' ? ['good'] : ['bad'] };
    xs.push(...make(4, 'new').map((x, i) => ({ ...x, id: `n${i}` })), { id: 'u1', text: 'no label yet', labels: [] });
    const third = await run(client, xs, store);
    expect(third).toMatchObject({ added: 6, deleted: 5, unlabelled: 1, rejected: [] });
    expectExactly('inc', xs);
  });

  const faults: [string, FaultRule[]][] = [
    ['429 with Retry-After', [{ kind: 'throttle', count: 3, path: '/inputs', retryAfterS: 0 }]],
    ['500s', [{ kind: 'error500', count: 4, path: '/inputs' }]],
    ['dropped connections after the batch was stored', [{ kind: 'drop', count: 3, method: 'POST', path: '/inputs', skip: 1 }]],
    ['dropped connections before processing', [{ kind: 'drop', count: 2, method: 'POST', path: '/inputs', after: false }]],
    ['slow answers', [{ kind: 'slow', count: 5, path: '/inputs', ms: 150 }]],
    ['everything at once', [
      { kind: 'drop', count: 2, method: 'POST', path: '/inputs' },
      { kind: 'throttle', count: 2, retryAfterS: 0 },
      { kind: 'error500', count: 2 },
      { kind: 'slow', count: 2, ms: 100 },
    ]],
  ];
  for (const [name, rules] of faults) {
    it(`ends with exactly the local examples under ${name}`, async () => {
      const retries: RetryInfo[] = [];
      const client = await setup('faults', retries);
      const store = memorySyncState();
      const xs = make(130);
      emu.faults.set(rules);
      const report = await run(client, xs, store);
      expect(report.rejected).toEqual([]);
      expect(report.added).toBe(130);
      expectExactly('faults', xs);
      const fired = Object.values(emu.faults.fired).reduce((a, b) => a + b, 0);
      expect(fired).toBeGreaterThan(0);
      if (rules.some((r) => r.kind !== 'slow')) expect(retries.length).toBeGreaterThan(0);
      // Edits under the same faults converge too.
      emu.faults.set(rules);
      const edited = xs.slice(10).map((x, i) => (i < 5 ? { ...x, labels: ['other'] } : x));
      await run(client, edited, store);
      // Deletion is asynchronous: wait for it to settle, then compare.
      await new Promise((r) => setTimeout(r, 20));
      expectExactly('faults', edited);
    });
  }

  it('honours Retry-After (seconds) before retrying a 429', async () => {
    const client = await setup('ra');
    emu.faults.set([{ kind: 'throttle', count: 1, path: '/inputs', retryAfterS: 1 }]);
    const t0 = Date.now();
    await run(client, make(3), memorySyncState());
    expect(Date.now() - t0).toBeGreaterThanOrEqual(950);
    expect(parseRetryAfter('2')).toBe(2000);
    expect(parseRetryAfter(new Date(Date.now() + 3000).toUTCString())).toBeGreaterThan(1000);
    // Full jitter within the exponential cap, never under Retry-After.
    for (let k = 0; k < 5; k++) expect(backoffDelay(k, { baseMs: 100, maxMs: 1000, random: () => 0.999 })).toBeLessThanOrEqual(Math.min(1000, 100 * 2 ** k));
    expect(backoffDelay(0, { random: () => 0 }, 1500)).toBe(1500);
  });

  it('reports rejected inputs with the server status instead of dropping them; failed-processing inputs are removed', async () => {
    const client = await setup('rej');
    emu.hooks.rejectTextContaining = 'REJECT';
    emu.hooks.failTextContaining = 'BROKEN';
    const xs = [...make(10), { id: 'r1', text: 'please REJECT me', labels: ['good'] }, { id: 'r2', text: 'BROKEN file', labels: ['bad'] }];
    // Processing outlasts the first sync, so r2 is deterministically accepted (30001) and fails only afterwards
    // (with 5 ms processing, a slow machine let the first sync's reconcile already see it failed).
    const inputMs = emu.timings.inputMs;
    emu.timings.inputMs = 60_000;
    let report: Awaited<ReturnType<typeof run>>;
    try {
      report = await run(client, xs, memorySyncState());
    } finally {
      emu.timings.inputMs = inputMs;
    }
    expect(report.added).toBe(11);
    const byId = Object.fromEntries(report.rejected.map((r) => [r.exampleId, r]));
    expect(byId.r1).toMatchObject({ code: 30104, description: 'Invalid input argument' });
    expect(report.rejected.length).toBeGreaterThanOrEqual(1);
    // A verifying sync finds r2 failed, removes it and reports it.
    await new Promise((r) => setTimeout(r, 20));
    const second = await run(client, xs, memorySyncState(), { verify: true });
    expect(second.rejected.map((r) => r.exampleId).sort()).toEqual(['r1', 'r2']);
    expect(emu.inputs('rej').map((i) => i.text)).not.toContain('BROKEN file');
  });

  it('cancels mid-sync and resumes from the saved state without re-sending what landed', async () => {
    const client = await setup('resume');
    const store = memorySyncState();
    const xs = make(400);
    emu.faults.set([{ kind: 'slow', count: 100, method: 'POST', path: '/inputs', ms: 60 }]);
    const job = run(client, xs, store, { onProgress: (p) => p.phase === 'upload' && p.done >= 100 && job.cancel() });
    await expect(job).rejects.toThrow(/cancel/i);
    await new Promise((r) => setTimeout(r, 100));
    emu.faults.clear();
    const landed = emu.inputs('resume').length;
    expect(landed).toBeGreaterThanOrEqual(100);
    expect(landed).toBeLessThan(400);
    const posts = () => emu.requestLog.filter((r) => r.method === 'POST' && r.url.includes('/inputs')).length;
    const p0 = posts();
    const report = await run(client, xs, store);
    expect(report.added + report.unchanged).toBe(400);
    expect(posts() - p0).toBeLessThanOrEqual(Math.ceil((400 - 100) / 50) + 1);
    expectExactly('resume', xs);
  });

  it('rebuilds a lost state from the server: nothing duplicated, stale inputs of ours removed', async () => {
    const client = await setup('lost');
    const xs = make(60);
    await run(client, xs, memorySyncState());
    const fewer = xs.slice(0, 50);
    const report = await run(client, fewer, memorySyncState());
    expect(report).toMatchObject({ rebuilt: true, added: 0, deleted: 10, unchanged: 50 });
    await new Promise((r) => setTimeout(r, 20));
    expectExactly('lost', fewer);
  });

  it('keeps the PAT out of URLs, errors and retry logs', async () => {
    const retries: RetryInfo[] = [];
    const client = await setup('sec', retries);
    emu.faults.set([{ kind: 'error500', count: 2 }]);
    await run(client, make(5), memorySyncState());
    expect(retries.length).toBe(2);
    expect(JSON.stringify(retries)).not.toContain(PAT);
    expect(emu.requestLog.every((r) => !r.url.includes(PAT))).toBe(true);
    expect(emu.requestLog.every((r) => r.auth === `Key ${PAT}`)).toBe(true);
    expect(JSON.stringify(client)).not.toContain(PAT);
    expect(String(Object.values(client))).not.toContain(PAT);
    const bad = new HostedClient({ pat: 'nope-secret', appId: 'sec', baseUrl: emu.url, retry });
    const err = await ensureDataset(bad, 'ds').catch((e: unknown) => e);
    expect(JSON.stringify(err) + String(err) + (err as Error).stack).not.toContain('nope-secret');
    client.forgetPat();
    await expect(ensureDataset(client, 'ds')).rejects.toMatchObject({ status: { code: 11008 } });
  });
});
