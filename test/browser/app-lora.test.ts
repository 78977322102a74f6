/**
 * LoRA in the app ([G]): imported reviews → Train with "LoRA" → the training worker fine-tunes the top layer → a
 * `lora` version, scored on the held-out reviews by its own classifier, while the active head stays as it was.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { hasSharedData, openApp, sampleFile } from './app-helpers.js';
import { launch } from './chromium.js';

let browser: Browser;

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe.skipIf(!hasSharedData())('the app trains LoRA', () => {
  it('saves a lora version with its held-out macro-F1 and leaves the active head alone', async () => {
    const page = await openApp(browser, `${inject('baseUrl')}/#data`);
    await page.waitForSelector('#model-chip[data-state="ready"]', { timeout: 90_000 });
    const sample = sampleFile(20, 0);
    await page.setInputFiles('#import-file', sample.path);
    await page.locator('[data-testid="import-report"]').waitFor({ timeout: 60_000 });
    await page.click('#tab-train');
    await page.selectOption('#head-type', 'lora');
    await page.click('#train-start');
    await page.waitForSelector('body[data-trained]', { timeout: 120_000 });
    expect(await page.locator('#train-status').innerText()).toMatch(/LoRA trained in .* Saved as a version/);
    const row = page.locator('.heads tr', { hasText: 'LoRA' });
    await expect(row.count()).resolves.toBe(1);
    expect(await row.locator('td').nth(2).innerText()).toBe('lora');
    await page.waitForFunction(() => /%/.test([...document.querySelectorAll('.heads tr')].find((r) => r.textContent?.includes('LoRA'))?.querySelector('td.held')?.textContent ?? ''), null, { timeout: 60_000 });
    expect(await page.locator('.heads tr.active').count()).toBe(0);
    expect(await row.locator('button', { hasText: 'Make active' }).isDisabled()).toBe(true);
    await page.close();
  }, 240_000);
});
