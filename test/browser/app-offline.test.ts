/**
 * The installed app works with the network off: a production build (service worker, precache) is served by a
 * plain static server; after the first load the server is shut down and the context set offline, and a reload
 * still loads the model, stays cross-origin isolated (WASM threads), imports, trains and classifies.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasSharedData, openApp, sampleFile, shot } from './app-helpers.js';
import { serveApp } from './app-static.js';
import { launch } from './chromium.js';

let browser: Browser;
let out: string;

beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), 'inpage-app-dist-'));
  // Vitest sets NODE_ENV=test, which would make this a development build without a service worker.
  const env = { ...process.env, NODE_ENV: 'production' };
  execFileSync('npx', ['vite', 'build', '--outDir', out, '--emptyOutDir', '--logLevel', 'error'], { stdio: 'inherit', env });
  browser = await launch();
}, 180_000);
afterAll(async () => {
  await browser?.close();
  rmSync(out, { recursive: true, force: true });
});

describe.skipIf(!hasSharedData())('the app offline', () => {
  it('after the first load, a reload with the network off still loads, trains and classifies', async () => {
    const server = await serveApp(out);
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    let page = await openApp(context, `${server.url}/#data`);
    await page.waitForSelector('#model-chip[data-state="ready"]', { timeout: 90_000 });
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    // The service worker has precached the app, ORT's wasm and the model once it controls the page.
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 90_000 });
    const cached = await page.evaluate(async () => {
      const urls: string[] = [];
      for (const name of await caches.keys()) for (const r of await (await caches.open(name)).keys()) urls.push(new URL(r.url).pathname);
      return urls;
    });
    expect(cached.some((u) => /ort-wasm-simd-threaded-.*\.wasm$/.test(u))).toBe(true);
    expect(cached.some((u) => u.endsWith('/onnx/model_quantized.onnx'))).toBe(true);

    // Network off: the server is gone and the browser is offline.
    await server.close();
    await context.setOffline(true);
    await page.close();
    page = await openApp(context, `${server.url}/#data`);
    await page.waitForSelector('#model-chip[data-state="ready"]', { timeout: 90_000 });
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    expect(await page.locator('#net-chip').innerText()).toMatch(/Offline/);

    // Import, train and classify, all offline.
    const sample = sampleFile(20, 0);
    await page.setInputFiles('#import-file', sample.path);
    await page.locator('[data-testid="import-report"]').waitFor({ timeout: 60_000 });
    await page.click('#tab-train');
    await page.click('#train-start');
    await page.waitForSelector('body[data-trained]', { timeout: 90_000 });
    await page.click('#tab-evaluate');
    await page.waitForSelector('body[data-evaluated="true"]', { timeout: 60_000 });
    await page.fill('#try-text', 'Terrible speaker, it broke after a week and support never answered.');
    await page.waitForFunction(() => document.querySelector('#try-out .scores li .name')?.textContent === 'negative', null, { timeout: 30_000 });
    await page.click('#tab-model');
    await page.waitForSelector('#storage-facts');
    expect(await page.locator('#model-facts').innerText()).toMatch(/cross-origin isolated\)/);
    await shot(page, 'offline-model');
    await context.close();
  });
});
