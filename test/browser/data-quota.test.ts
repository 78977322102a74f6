/**
 * A real quota error: Chromium's profile on a 48 MB tmpfs, so the origin's quota (a share of the disk) is small and
 * IndexedDB really runs out. (CDP Storage.overrideQuotaForOrigin is accepted but not applied by Chromium 156 headless.)
 * Needs root to mount tmpfs; skipped with a reason elsewhere.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { CHROMIUM } from './chromium.js';

type Lib = typeof import('../../src/index.js');
type Win = Window & { lib: Lib; ready?: boolean };

const dir = mkdtempSync(join(tmpdir(), 'inpage-quota-'));
let mounted = false;
try {
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=48m', 'tmpfs', dir], { stdio: 'ignore' });
  mounted = true;
} catch {
  mounted = false;
}

let ctx: BrowserContext;

beforeAll(async () => {
  if (!mounted) return;
  ctx = await chromium.launchPersistentContext(join(dir, 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
});

afterAll(async () => {
  await ctx?.close();
  if (mounted) execFileSync('umount', [dir]);
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!mounted)('storage quota (profile on a 48 MB tmpfs)', () => {
  it('a write over quota is a typed QuotaExceededError and stores nothing of that write', async () => {
    const page = await ctx.newPage();
    await page.goto(`${inject('baseUrl')}/test/browser/harness.html`);
    await page.waitForFunction(() => (window as unknown as Win).ready === true);
    const r = await page.evaluate(async () => {
      const { lib } = window as unknown as Win;
      const ds = lib.openDataset('quota');
      await lib.addExamples([{ text: 'small one', labels: ['a'] }], ds);
      // Random text: IndexedDB compresses values, so repeated characters would barely use quota.
      const noise = (n: number) => Array.from({ length: n / 8 }, () => Math.random().toString(36).slice(2, 10)).join('');
      let err: { name: string; code?: string; isData: boolean } | null = null;
      let before = 0;
      for (let round = 0; round < 40 && !err; round++) {
        before = await lib.countExamples({}, ds);
        const batch = Array.from({ length: 20 }, (_, i) => ({ text: `${round}-${i} ${noise(100_000)}`, labels: ['a'] }));
        err = await lib.addExamples(batch, ds).then(
          () => null,
          (e: Error & { code?: string }) => ({ name: e.name, code: e.code, isData: e instanceof lib.DataError }),
        );
      }
      return { err, before, after: await lib.countExamples({}, ds), quota: (await lib.storageInfo()).quota };
    });
    expect(r.err).toEqual({ name: 'QuotaExceededError', code: 'QUOTA_EXCEEDED', isData: true });
    expect(r.after).toBe(r.before); // the failed batch left nothing behind
    expect(r.before).toBeGreaterThan(1);
  });
});
