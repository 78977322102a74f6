/**
 * The whole loop through the app's UI on real reviews (a sample of amazon-alexa, derived at run time):
 * import → label (keyboard, undo) → train → evaluate → export; a reload keeps labels and heads. Screenshots of each
 * step go to test-results/app/.
 */
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { hasSharedData, openApp, sampleFile, shot } from './app-helpers.js';
import { launch } from './chromium.js';

let browser: Browser;
let page: Page;

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const text = (sel: string) => page.locator(sel).innerText();

describe.skipIf(!hasSharedData())('the app', () => {
  it('imports, labels by keyboard, trains, evaluates and exports; a reload keeps it all', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
    page = await openApp(context, `${inject('baseUrl')}/#data`);
    await page.waitForSelector('#model-chip[data-state="ready"]', { timeout: 90_000 });

    // Data: import a JSONL file with labelled and unlabelled rows; the report says what happened.
    const sample = sampleFile(30, 12);
    await page.setInputFiles('#import-file', sample.path);
    const report = page.locator('[data-testid="import-report"]');
    await report.waitFor({ timeout: 60_000 });
    expect(await report.innerText()).toMatch(new RegExp(`${sample.total} rows read`));
    await page.waitForFunction((n) => document.querySelector('#ex-count')?.textContent?.startsWith(`${n} of ${n}`), sample.total);
    expect(await page.locator('.concepts li[data-concept]').count()).toBe(3);
    await page.waitForFunction(() => document.querySelectorAll('.examples .pred:not(.muted)').length > 0);
    await shot(page, '1-data');

    // Filter by label: unlabelled only.
    await page.selectOption('#ex-label', '-');
    await page.waitForFunction((n) => document.querySelector('#ex-count')?.textContent?.startsWith(`${n} of`), sample.total - sample.labelled);

    // Label: keys 1–3, then undo; the queue shows the prediction beside the review.
    await page.click('#tab-label');
    await page.waitForSelector('#label-card .review');
    expect(await page.locator('#label-card .scores li').count()).toBe(3);
    await shot(page, '2-label');
    const before = await text('#label-progress');
    const first = await page.locator('#label-card .review').getAttribute('data-id');
    await page.locator('body').press('1');
    await page.waitForFunction((id) => document.querySelector('#label-card .review')?.getAttribute('data-id') !== id, first);
    await page.locator('body').press('z');
    await page.waitForFunction((id) => document.querySelector('#label-card .review')?.getAttribute('data-id') === id, first);
    expect(await text('#label-progress')).toBe(before);
    for (const key of ['3', '1', '2', '3']) {
      const id = await page.locator('#label-card .review').getAttribute('data-id');
      await page.locator('body').press(key);
      await page.waitForFunction((x) => document.querySelector('#label-card .review')?.getAttribute('data-id') !== x, id);
    }
    await page.waitForFunction((n) => document.querySelector('#label-progress')?.textContent?.startsWith(`${n} labelled`), sample.labelled + 4);

    // Train: progress, chart, a saved and active head version.
    await page.click('#tab-train');
    await page.click('#train-start');
    await page.waitForSelector('body[data-trained]', { timeout: 90_000 });
    expect(await text('#train-status')).toMatch(/Saved and made active/);
    expect(await page.locator('.heads tr.active').count()).toBe(1);
    await page.waitForFunction(() => /%/.test(document.querySelector('.heads tr.active td.held')?.textContent ?? ''));
    await shot(page, '3-train');

    // Evaluate: the concept table, the threshold slider changes it live, a confusion cell lists its reviews, and
    // errors are explained word by word.
    await page.click('#tab-evaluate');
    await page.waitForSelector('body[data-evaluated="true"]', { timeout: 60_000 });
    expect(await page.locator('#metrics-table tbody tr').count()).toBe(3);
    const at50 = await text('#metrics-table tbody');
    await page.locator('#threshold').fill('0.2');
    await page.waitForFunction(() => document.querySelector('#threshold-value')?.textContent === '0.20');
    expect(await text('#metrics-table tbody')).not.toBe(at50);
    await page.click('#confusion button.cell[data-true="positive"][data-pred="positive"]');
    await page.waitForSelector('.cell-reviews li');
    await page.waitForSelector('body[data-explained="true"]', { timeout: 60_000 });
    expect(await page.locator('.drivers').count()).toBeGreaterThan(0);
    await shot(page, '4-evaluate');
    await shot(page, '4-evaluate-full', true);

    // Export: predictions CSV, data, head file and the transformers.js folder (zip).
    await page.click('#tab-export');
    const save = async (id: string) => {
      const [d] = await Promise.all([page.waitForEvent('download'), page.click(id)]);
      return readFileSync((await d.path())!);
    };
    const csv = (await save('#export-predictions')).toString('utf8');
    expect(csv.split(/\r?\n/)[0]).toBe('id,text,labels,predicted,negative,neutral,positive');
    expect(csv.trim().split(/\r?\n/).length).toBeGreaterThan(sample.total);
    expect((await save('#export-jsonl')).toString('utf8').trim().split('\n')).toHaveLength(sample.total);
    expect(JSON.parse((await save('#export-head')).toString('utf8')).concepts).toEqual(['negative', 'neutral', 'positive']);
    const zip = await save('#export-model');
    expect(zip.subarray(0, 2).toString()).toBe('PK');
    expect(zip.includes(Buffer.from('/onnx/model.onnx'))).toBe(true);
    await shot(page, '5-export');

    // Model panel.
    await page.click('#tab-model');
    await page.waitForSelector('#storage-facts');
    expect(await text('#model-facts')).toMatch(/WASM/);
    await shot(page, '6-model');

    // A reload keeps the labels, the head versions and the active head.
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]', { timeout: 90_000 });
    await page.click('#tab-train');
    await page.waitForFunction(() => document.querySelectorAll('.heads tr.active').length === 1);
    await page.click('#tab-label');
    await page.waitForFunction((n) => document.querySelector('#label-progress')?.textContent?.startsWith(`${n} labelled`), sample.labelled + 4);

    // Phone width: the same screens, stacked.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.click('#tab-data');
    await shot(page, '7-phone-data');
    await page.click('#tab-evaluate');
    await page.waitForSelector('body[data-evaluated="true"]', { timeout: 60_000 });
    await shot(page, '8-phone-evaluate', true);
    await context.close();
  });
});
