/**
 * The one-tag widget as built (`vite.widget.config.ts`), served as static files from a deep path with a strict CSP
 * and no COOP/COEP: it loads, classifies as the user types, renders text as text, and logs no errors.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InpageClassifierElement } from '../../src/widget/index.js';
import { serveStatic, type StaticServer } from '../package/static-server.js';
import { launch } from './chromium.js';
import { buildWidget, openWatched, shownRows, waitClassified, type WatchedPage } from './widget-helpers.js';

const BASE = '/cdn/some/deep/path/';
const XSS = '<img src=x onerror="window.__pwned=1">Great <b>product</b>';

let outDir: string;
let browser: Browser;
let strict: StaticServer;
let open: StaticServer;
let demo: WatchedPage;

beforeAll(async () => {
  outDir = await buildWidget();
  strict = await serveStatic({ mounts: { [BASE]: outDir } });
  open = await serveStatic({ mounts: { [BASE]: outDir }, csp: null });
  browser = await launch();
  demo = await openWatched(browser, `${strict.url}${BASE}widget.html`);
  await waitClassified(demo.page);
});

afterAll(async () => {
  await browser?.close();
  await strict?.close();
  await open?.close();
});

describe('built widget folder', () => {
  it('holds the script, its worker, ORT wasm and the default model beside it, and no data: URLs', () => {
    const assets = readdirSync(join(outDir, 'assets'));
    expect(existsSync(join(outDir, 'inpage-classifier-widget.js'))).toBe(true);
    expect(assets.some((f) => /^inference\.worker-.*\.js$/.test(f))).toBe(true);
    expect(assets.some((f) => /^ort-wasm-simd-threaded-.*\.wasm$/.test(f))).toBe(true);
    expect(existsSync(join(outDir, 'models/inpage-sentiment-mini/config.json'))).toBe(true);
    for (const f of ['inpage-classifier-widget.js', ...assets.filter((a) => a.endsWith('.js')).map((a) => `assets/${a}`)]) {
      expect(readFileSync(join(outDir, f), 'utf8'), f).not.toMatch(/["'`]data:(application|text)\//);
    }
  });
});

describe('widget under a strict CSP, not cross-origin isolated', () => {
  it('loads from a deep path with the shipped model on single-thread WASM and shows every concept', async () => {
    const { page } = demo;
    const state = await page.evaluate(() => {
      const [a, b] = [...document.querySelectorAll('inpage-classifier')];
      return { isolated: crossOriginIsolated, info: a.classifier!.info, states: [a.state, b.state] };
    });
    expect(state.isolated).toBe(false);
    expect(state.states).toEqual(['ready', 'ready']);
    expect(state.info).toMatchObject({ device: 'wasm', threads: 1, runtime: 'worker' });
    expect(state.info.source).toBe(`${strict.url}${BASE}models/inpage-sentiment-mini/`);
    const rows = await shownRows(page, 'inpage-classifier[for="#review"]');
    expect(rows.map((r) => r.concept).sort()).toEqual([...state.info.concepts].sort());
    expect(await shownRows(page, 'inpage-classifier[for="#quote"]')).toHaveLength(1); // top-k="1"
    // Everything came from beside the script: WASM-only ORT, nothing from the page root.
    expect(strict.requests.filter((p) => !p.startsWith(BASE))).toEqual([]);
    expect(strict.requests.some((p) => /assets\/ort-wasm-simd-threaded-[^.]+\.wasm$/.test(p))).toBe(true);
    expect(strict.requests.some((p) => p.includes('jsep'))).toBe(false);
  });

  it('classifies as the user types, debounced, with the scores the classifier itself gives', async () => {
    const { page } = demo;
    await page.evaluate(() => {
      const w = window as unknown as { events: string[]; gaps: number[] };
      w.events = [];
      w.gaps = [];
      const el = document.querySelector('inpage-classifier')!;
      el.addEventListener('classified', (e) => w.events.push(e.detail.text));
      // The main thread's longest stall while typing: a blocked thread would show up here.
      let last = performance.now();
      const tick = () => {
        const now = performance.now();
        w.gaps.push(now - last);
        last = now;
        if (w.gaps.length < 10_000) requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    const text = 'Terrible. It broke after two days and support never answered.';
    await page.fill('#review', '');
    await page.type('#review', text, { delay: 15 });
    await page.waitForFunction((t) => (window as unknown as { events: string[] }).events.includes(t), text);
    const { events, maxGap, shown, direct } = await page.evaluate(async (t) => {
      const w = window as unknown as { events: string[]; gaps: number[] };
      const el = document.querySelector('inpage-classifier')!;
      const [r] = await el.classifier!.classify([t]);
      return { events: w.events, maxGap: Math.max(...w.gaps), shown: el.result!.concepts, direct: r.concepts };
    }, text);
    expect(events.length).toBeLessThan(text.length / 4); // debounced, not once per keystroke
    expect(shown).toEqual(direct);
    console.info(`widget: ${events.length} classifications for ${text.length} keystrokes; longest frame gap ${maxGap.toFixed(0)} ms`);
    expect(maxGap).toBeLessThan(1000);
    expect(demo.problems).toEqual([]);
  });

  it('keeps an injected <img onerror> review inert, in a field and in a plain element', async () => {
    const { page } = demo;
    await page.fill('#review', XSS);
    await page.$eval('#quote', (el, t) => (el.textContent = t), XSS);
    await page.waitForFunction(
      (t) => [...document.querySelectorAll('inpage-classifier')].every((el) => el.result && el.state === 'ready' && (el.target as HTMLElement).textContent !== null && (el.target instanceof HTMLTextAreaElement ? el.target.value : el.target!.textContent) === t),
      XSS,
    );
    await page.evaluate(() => Promise.all([...document.querySelectorAll('inpage-classifier')].map((el) => el.classify())));
    const r = await page.evaluate(() => ({
      pwned: (window as unknown as { __pwned?: number }).__pwned,
      imgs: document.querySelectorAll('img').length,
      shadowImgs: [...document.querySelectorAll('inpage-classifier')].map((el) => el.shadowRoot!.querySelectorAll('img, b').length),
    }));
    expect(r).toEqual({ pwned: undefined, imgs: 0, shadowImgs: [0, 0] });
    expect(demo.problems).toEqual([]);
  });

  it('renders markup in concept names (from a head file) as text, on a page with no CSP to catch it', async () => {
    const { page, problems } = await openWatched(browser, `${open.url}${BASE}widget.html`);
    await waitClassified(page);
    const names = await page.evaluate(async (xss) => {
      const el = document.querySelector<InpageClassifierElement>('inpage-classifier')!;
      const head = await (await fetch('models/inpage-sentiment-mini/head.json')).json();
      head.concepts = head.concepts.map((c: string, i: number) => (i === 0 ? xss.replace('__pwned=1', '__pwned=2') : c));
      const done = new Promise((resolve) => el.addEventListener('classified', resolve, { once: true }));
      el.head = head;
      await done;
      return head.concepts as string[];
    }, XSS);
    const rows = await shownRows(page, 'inpage-classifier[for="#review"]');
    expect(rows.map((r) => r.concept).sort()).toEqual([...names].sort());
    await page.fill('#review', XSS);
    await page.evaluate(() => document.querySelector('inpage-classifier')!.classify());
    const r = await page.evaluate(() => ({
      pwned: (window as unknown as { __pwned?: number }).__pwned,
      imgs: document.querySelectorAll('img').length + document.querySelector('inpage-classifier')!.shadowRoot!.querySelectorAll('img').length,
      isolated: crossOriginIsolated,
    }));
    expect(r).toEqual({ pwned: undefined, imgs: 0, isolated: false });
    expect(problems).toEqual([]);
    await page.close();
  });
});
