/**
 * Launching Debian's Chromium with the flags measured in ../shared/docs/browser-testing.md.
 */
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--enable-unsafe-webgpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

/** Opens the harness page (which puts the library on `window.lib`) and forwards page errors to the test log. */
export async function openHarness(browser: Browser, baseUrl: string, page = 'test/browser/harness.html'): Promise<Page> {
  const p = await browser.newPage();
  p.on('pageerror', (e) => console.error('[pageerror]', e.message));
  p.on('console', (m) => {
    if (m.type() === 'error') console.error('[console]', m.text());
  });
  await p.goto(`${baseUrl}/${page}`);
  await p.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true, null, { timeout: 60_000 });
  return p;
}
