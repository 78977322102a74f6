/**
 * Shared by the widget tests: build the one-tag bundle for real (into a temp folder) and open pages while recording
 * console errors, page errors and CSP violations.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { build } from 'vite';
import type { InpageClassifierElement } from '../../src/widget/index.js';

/** Builds `vite.widget.config.ts` into a fresh temp folder and returns it. */
export async function buildWidget(): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), 'inpage-widget-'));
  await build({ configFile: 'vite.widget.config.ts', logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  return outDir;
}

export interface WatchedPage {
  page: Page;
  /** Console errors, uncaught page errors and CSP violations, as text. */
  problems: string[];
}

/**
 * Opens a page that records problems, including `securitypolicyviolation` events; `init` runs before the page's own
 * scripts (injected from outside, so the page's CSP does not apply to it).
 */
export async function openWatched(browser: Browser, url: string, init?: () => void): Promise<WatchedPage> {
  const page = await browser.newPage();
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  await page.exposeFunction('__reportViolation', (v: string) => problems.push(`csp: ${v}`));
  await page.addInitScript(() => {
    const report = (window as unknown as { __reportViolation: (v: string) => void }).__reportViolation;
    document.addEventListener('securitypolicyviolation', (e) => report(`${e.violatedDirective} ${e.blockedURI}`));
  });
  if (init) await page.addInitScript(init);
  await page.goto(url);
  return { page, problems };
}

/** Waits until every `<inpage-classifier>` on the page (or the one matching `selector`) has shown a result. */
export async function waitClassified(page: Page, selector = 'inpage-classifier'): Promise<void> {
  await page.waitForFunction(
    (sel) =>
      [...document.querySelectorAll<InpageClassifierElement>(sel)].every(
        (el) => el.state === 'error' || (el.state === 'ready' && el.result !== null),
      ),
    selector,
    { timeout: 60_000 },
  );
}

/** Rows the widget renders: concept name and shown score, read from its open shadow root. */
export async function shownRows(page: Page, selector: string): Promise<{ concept: string; score: string }[]> {
  return page.$eval(selector, (el) =>
    [...el.shadowRoot!.querySelectorAll('li')].map((li) => ({
      concept: li.querySelector('[part=label]')!.textContent!,
      score: li.querySelector('[part=score]')!.textContent!,
    })),
  );
}
