/**
 * The widget's attributes, properties and events, its style isolation, and its targets (a field by `for`, a field
 * slotted inside it, a target inside another shadow root), on the built bundle under the strict CSP.
 */
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InpageClassifierElement } from '../../src/widget/index.js';
import { ROOT } from '../helpers/paths.js';
import { serveStatic, type StaticServer } from '../package/static-server.js';
import { launch } from './chromium.js';
import { buildWidget, openWatched, shownRows, waitClassified } from './widget-helpers.js';

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>widget api</title>
<link rel="icon" href="favicon.svg"><link rel="stylesheet" href="hostile.css">
<script type="module" src="inpage-classifier-widget.js"></script></head>
<body>
  <textarea id="review">I absolutely loved this product, it works perfectly!</textarea>
  <inpage-classifier id="main" for="#review" device="wasm"></inpage-classifier>
  <inpage-classifier id="slotted" top-k="2"><textarea>Terrible. It broke after two days.</textarea></inpage-classifier>
  <ul><li id="probe">a page list item</li></ul>
</body></html>`;

// Page styles aimed at everything the widget renders: none may reach inside its shadow root.
const HOSTILE_CSS = 'li, ul, meter, span { display: none !important; } inpage-classifier { color: rgb(1, 2, 3); }';

let browser: Browser;
let server: StaticServer;
let page: Page;
let problems: string[];

beforeAll(async () => {
  const outDir = await buildWidget();
  server = await serveStatic({
    mounts: { '/w/': outDir, '/alt-model/': join(ROOT, 'public/models/inpage-sentiment-mini') },
    files: {
      '/w/api.html': { body: PAGE, type: 'text/html' },
      '/w/hostile.css': { body: HOSTILE_CSS, type: 'text/css' },
    },
  });
  browser = await launch();
  ({ page, problems } = await openWatched(browser, `${server.url}/w/api.html`, () => {
    const w = window as unknown as { progress: number; classified: string[] };
    w.progress = 0;
    w.classified = [];
    // Both bubble and cross shadow boundaries.
    document.addEventListener('progress', () => w.progress++);
    document.addEventListener('classified', (e) => w.classified.push((e.target as Element).id));
  }));
  await waitClassified(page);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('widget API', () => {
  it('honours the device attribute and shows every concept by default', async () => {
    const info = await page.$eval('#main', (e) => (e as InpageClassifierElement).classifier!.info);
    expect(info.device).toBe('wasm');
    expect((await shownRows(page, '#main')).map((r) => r.concept).sort()).toEqual([...info.concepts].sort());
  });

  it('classifies a field slotted inside it, and top-k limits the rows', async () => {
    expect(await shownRows(page, '#slotted')).toHaveLength(2);
    expect(await page.$eval('#slotted', (e) => (e as InpageClassifierElement).target?.tagName)).toBe('TEXTAREA');
  });

  it('filters by concepts, threshold and top-k through properties, reflected to attributes', async () => {
    const all = await page.$eval('#main', (e) => (e as InpageClassifierElement).result!.concepts);
    const [best, second] = all;
    const r = await page.$eval(
      '#main',
      (e, [a, b]) => {
        const el = e as InpageClassifierElement;
        el.concepts = [a, b];
        const two = el.result!.concepts.map((c) => c.concept);
        el.topK = 1;
        const one = el.result!.concepts.map((c) => c.concept);
        el.topK = null;
        el.concepts = null;
        el.threshold = 1;
        const none = el.result!.concepts.length;
        el.threshold = null;
        return { two, one, none, attrs: el.getAttributeNames(), rows: el.shadowRoot!.querySelectorAll('li').length };
      },
      [second.concept, best.concept],
    );
    expect(r.two).toEqual([best.concept, second.concept]); // still in score order
    expect(r.one).toEqual([best.concept]);
    expect(r.none).toBe(all.filter((c) => c.score >= 1).length);
    expect(r.attrs.sort()).toEqual(['data-state', 'device', 'for', 'id']);
    expect(r.rows).toBe(all.length);
  });

  it('fires progress while loading and classified for each result', async () => {
    const w = await page.evaluate(() => {
      const { progress, classified } = window as unknown as { progress: number; classified: string[] };
      return { progress, classified };
    });
    expect(w.progress).toBeGreaterThan(0);
    expect(w.classified).toEqual(expect.arrayContaining(['main', 'slotted']));
  });

  it('reloads on a new model, and reports a bad one with an error event and state', async () => {
    const bad = await page.$eval('#main', async (e) => {
      const el = e as InpageClassifierElement;
      const event = new Promise<string>((resolve) => el.addEventListener('error', (e) => resolve(e.detail.error.name), { once: true }));
      el.model = '/nowhere/';
      return { name: await event, state: el.state, status: el.shadowRoot!.querySelector('[part=status]')!.textContent };
    });
    expect(bad.name).toBe('ModelLoadError');
    expect(bad.state).toBe('error');
    expect(bad.status).toMatch(/nowhere/);
    const good = await page.$eval('#main', async (e) => {
      const el = e as InpageClassifierElement;
      const done = new Promise((resolve) => el.addEventListener('classified', resolve, { once: true }));
      el.model = '/alt-model/';
      await done;
      return { state: el.state, source: el.classifier!.info.source, rows: el.shadowRoot!.querySelectorAll('li').length };
    });
    expect(good.state).toBe('ready');
    expect(good.source).toBe(`${server.url}/alt-model/`);
    expect(good.rows).toBeGreaterThan(0);
  });

  it('is styled only by its own stylesheet: page rules stay out, its rules stay in', async () => {
    const r = await page.evaluate(() => {
      const root = document.querySelector('#main')!.shadowRoot!;
      const li = root.querySelector('li')!;
      return {
        mode: root.mode,
        adopted: root.adoptedStyleSheets.length,
        styleElements: root.querySelectorAll('style, link').length,
        widgetLi: getComputedStyle(li).display,
        pageLi: getComputedStyle(document.querySelector('#probe')!).display,
        inherited: getComputedStyle(li).color, // inheritance is the one door, by design (themeable)
      };
    });
    expect(r).toEqual({ mode: 'open', adopted: 1, styleElements: 0, widgetLi: 'grid', pageLi: 'none', inherited: 'rgb(1, 2, 3)' });
  });

  it('works inside another shadow root, finding its target there', async () => {
    const rows = await page.evaluate(async () => {
      const host = document.createElement('div');
      document.body.append(host);
      const root = host.attachShadow({ mode: 'open' });
      const field = document.createElement('input');
      field.id = 'inner';
      field.value = 'Works perfectly, great value.';
      const el = document.createElement('inpage-classifier');
      el.htmlFor = '#inner';
      const done = new Promise((resolve) => el.addEventListener('classified', resolve, { once: true }));
      root.append(field, el);
      await done;
      const n = el.shadowRoot!.querySelectorAll('li').length;
      const target = el.target === field;
      el.remove();
      await Promise.resolve();
      return { n, released: el.classifier === null, target };
    });
    expect(rows).toEqual({ n: expect.any(Number), released: true, target: true });
    expect(rows.n).toBeGreaterThan(0);
  });

  it('logs no errors and breaks no CSP rule (the bad model URL aside)', () => {
    expect(problems.filter((p) => !p.includes('404'))).toEqual([]);
  });
});
