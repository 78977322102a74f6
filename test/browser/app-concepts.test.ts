/**
 * Concepts and reviews typed into the app: paste with a label, add/rename/merge/delete concepts, search and filter;
 * a training run can be cancelled and leaves no head behind.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { addConcept as addConceptIn, openApp, paste as pasteIn } from './app-helpers.js';
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

const concepts = () => page.locator('.concepts li[data-concept] .concept-name').allInnerTexts();

const addConcept = (name: string) => addConceptIn(page, name);
const paste = (lines: string[], label: string) => pasteIn(page, lines, label);

describe('concepts and reviews in the app', () => {
  it('adds, renames, merges and deletes concepts; search and label filters narrow the list', async () => {
    for (const c of ['bad', 'awful', 'good']) await addConcept(c);
    await paste(['Broke in a day.', 'Never again.', 'Sound is muddy.'], 'bad');
    await paste(['Worst purchase ever.'], 'awful');
    await paste(['Love it.', 'Great sound, easy setup.', 'Works as promised.'], 'good');
    await page.waitForFunction(() => document.querySelector('#ex-count')?.textContent?.startsWith('7 of 7'));

    // Rename good → positive (inline field, Enter).
    await page.click('.concepts li[data-concept="good"] >> text=Rename');
    await page.fill('.concepts li[data-concept="good"] input[type=text]', 'positive');
    await page.press('.concepts li[data-concept="good"] input[type=text]', 'Enter');
    await page.waitForSelector('.concepts li[data-concept="positive"]');
    // Merge bad + awful → negative.
    await page.check('.concepts li[data-concept="bad"] input[type=checkbox]');
    await page.check('.concepts li[data-concept="awful"] input[type=checkbox]');
    await page.fill('#merge-into', 'negative');
    await page.click('button:has-text("Merge")');
    await page.waitForSelector('.concepts li[data-concept="negative"]');
    expect((await concepts()).sort()).toEqual(['negative', 'positive']);
    expect(await page.locator('.concepts li[data-concept="negative"] .count').innerText()).toBe('4');

    // Filters: by label, then search.
    await page.selectOption('#ex-label', 'negative');
    await page.waitForFunction(() => document.querySelector('#ex-count')?.textContent?.startsWith('4 of 7'));
    await page.fill('#ex-search', 'sound');
    await page.waitForFunction(() => document.querySelector('#ex-count')?.textContent?.startsWith('1 of 7'));
    await page.fill('#ex-search', '');
    await page.selectOption('#ex-label', '*');

    // Delete needs a second click; the examples become unlabelled.
    await addConcept('spam');
    await page.click('.concepts li[data-concept="spam"] >> text=Delete');
    await page.click('.concepts li[data-concept="spam"] >> text=/Delete \\(unlabels/');
    await page.waitForFunction(() => !document.querySelector('.concepts li[data-concept="spam"]'));
  });

  it('imports a CSV dropped on the page and reports rejected rows', async () => {
    await page.click('#tab-data');
    const csv = 'text,labels\n"Stopped working, sadly.",negative\n,positive\n"Crisp sound.",positive\n';
    await page.evaluate((body) => {
      const dt = new DataTransfer();
      dt.items.add(new File([body], 'dropped.csv', { type: 'text/csv' }));
      document.querySelector('[data-testid="drop-zone"]')!.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, csv);
    const report = page.locator('[data-testid="import-report"]');
    await report.waitFor();
    const text = await report.innerText();
    expect(text).toMatch(/dropped\.csv · 3 rows read/);
    expect(text).toMatch(/rejected\s+1/);
    await page.click('text=Why rows were rejected');
    expect(await report.innerText()).toMatch(/1 × empty text/);
  });

  it('cancels a training run and keeps no head', async () => {
    await page.click('#tab-train');
    // Train and cancel in one task: the run is stopped whatever phase it reached.
    await page.evaluate(() => {
      document.querySelector<HTMLButtonElement>('#train-start')!.click();
      document.querySelector<HTMLButtonElement>('#train-cancel')!.click();
    });
    await page.waitForFunction(() => /cancelled/.test(document.querySelector('#train-status')?.textContent ?? ''));
    expect(await page.locator('.heads tr[data-head]').count()).toBe(0);
    expect(await page.locator('#train-start').isEnabled()).toBe(true);
  });
});
