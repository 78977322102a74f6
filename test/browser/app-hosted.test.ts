/**
 * The app's Hosted tab against the Clarifai emulator: labelled reviews are synced, a text-classifier is trained there,
 * and the hosted model is compared with the local one on the held-out reviews. The PAT never reaches storage.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { addConcept as addConceptIn, openApp, paste as pasteIn, shot } from './app-helpers.js';
import { launch } from './chromium.js';

let browser: Browser;
let page: Page;

beforeAll(async () => {
  browser = await launch();
  page = await openApp(browser, `${inject('baseUrl')}/#data`);
});
afterAll(async () => {
  await browser?.close();
});

const addConcept = (name: string) => addConceptIn(page, name);
const paste = (lines: string[], label: string) => pasteIn(page, lines, label);

describe('Hosted tab', () => {
  it('syncs, trains on the emulator and compares hosted with local on held-out reviews', async () => {
    const neg = Array.from({ length: 12 }, (_, i) => `Broke after ${i + 2} days, total waste of money.`);
    const pos = Array.from({ length: 12 }, (_, i) => `Love it, works great for ${i + 2} weeks now.`);
    for (const c of ['negative', 'positive']) await addConcept(c);
    await paste(neg, 'negative');
    await paste(pos, 'positive');
    await page.waitForFunction(() => document.body.innerText.includes('Broke after 13 days'));
    await page.goto(`${inject('baseUrl')}/#hosted`);
    await page.click('text=Hosted');
    await page.fill('#hosted-pat', 'test-pat');
    await page.fill('#hosted-app', 'app-tab');
    await page.fill('#hosted-base', inject('hostedUrl'));
    await page.click('#hosted-start');
    await page.waitForSelector('#hosted-compare', { timeout: 90_000 });
    const status = await page.textContent('#hosted-status');
    expect(status).toMatch(/^Trained: model .+, version .+\.$/);
    await shot(page, '9-hosted');
    const table = await page.locator('#hosted-compare').innerText();
    expect(table).toMatch(/Macro F1/);
    expect(table).toMatch(/Local head\s+Hosted model/);
    const stored = await page.evaluate(async () => {
      const dump: string[] = [JSON.stringify(localStorage), JSON.stringify(sessionStorage)];
      for (const db of await indexedDB.databases()) dump.push(db.name ?? '');
      return dump.join('\n');
    });
    expect(stored).not.toContain('test-pat');
  }, 120_000);

  it('shows the API error when the token is wrong', async () => {
    await page.fill('#hosted-pat', 'wrong-pat');
    await page.click('#hosted-start');
    await page.waitForFunction(() => /^Failed:/.test(document.querySelector('#hosted-status')?.textContent ?? ''), null, {
      timeout: 60_000,
    });
    const status = await page.textContent('#hosted-status');
    expect(status).toMatch(/11008|key/i);
    expect(status).not.toContain('wrong-pat');
  });
});
