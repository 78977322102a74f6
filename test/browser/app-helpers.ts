/**
 * Helpers for the app tests: a small labelled sample derived at run time from the shared amazon-alexa reviews
 * (never committed), opening the app with errors forwarded, and screenshots under test-results/app/.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ROOT } from '../helpers/paths.js';

/** ../shared beside the repository, as on developer machines and in CI. */
export const SHARED = join(ROOT, '..', 'shared', 'data', 'amazon-alexa', 'shared.jsonl');
export const SHOTS = 'test-results/app';

export const hasSharedData = () => existsSync(SHARED);

/**
 * A JSONL file: `perClass` labelled rows of each sentiment plus `unlabelled` rows without labels, each text at least
 * 20 characters (one-word reviews like "Music" teach nothing). Deterministic: the first rows of each class.
 */
export function sampleFile(perClass = 30, unlabelled = 12): { path: string; labelled: number; total: number } {
  const rows = readFileSync(SHARED, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { text: string; labels: string[] });
  const by = new Map<string, { text: string; labels: string[] }[]>();
  for (const r of rows) if (r.text.length >= 20 && r.text.length <= 400) by.set(r.labels[0], [...(by.get(r.labels[0]) ?? []), r]);
  const out: string[] = [];
  for (const [, rs] of by) for (const r of rs.slice(0, perClass)) out.push(JSON.stringify({ text: r.text, labels: r.labels }));
  const labelled = out.length;
  for (const [, rs] of by) for (const r of rs.slice(perClass, perClass + Math.ceil(unlabelled / by.size))) out.push(JSON.stringify({ text: r.text }));
  const dir = join(tmpdir(), 'inpage-app-test');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'alexa-sample.jsonl');
  writeFileSync(path, out.join('\n') + '\n');
  return { path, labelled, total: out.length };
}

export async function openApp(browser: Browser | BrowserContext, url: string, viewport = { width: 1280, height: 800 }): Promise<Page> {
  const page = await browser.newPage({ viewport } as never);
  if ('setViewportSize' in page) await page.setViewportSize(viewport);
  page.on('pageerror', (e) => console.error('[pageerror]', e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') console.error('[console]', m.text());
  });
  await page.goto(url);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 90_000 });
  return page;
}

/** What a person sees (the viewport), or the whole page when `full`. */
export async function shot(page: Page, name: string, full = false): Promise<string> {
  mkdirSync(SHOTS, { recursive: true });
  const path = `${SHOTS}/${name}.png`;
  await page.evaluate((full) => {
    document.getElementById('toast')?.classList.remove('show');
    if (!full) scrollTo(0, 0);
  }, full);
  await page.screenshot({ path, fullPage: full, animations: 'disabled' });
  return path;
}

/** Adds a concept through the Data tab's form and waits for it to be listed. */
export async function addConcept(page: Page, name: string): Promise<void> {
  await page.fill('#concept-name', name);
  await page.press('#concept-name', 'Enter');
  await page.waitForSelector(`.concepts li[data-concept="${name}"]`);
}

/** Pastes reviews (one per line) with a label through the Data tab's form. */
export async function paste(page: Page, lines: string[], label: string): Promise<void> {
  await page.fill('#paste', lines.join('\n'));
  await page.selectOption('#paste-label', label);
  await page.click('text=Add reviews');
}
