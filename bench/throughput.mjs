#!/usr/bin/env node
/**
 * Quick throughput and load-time table for our classifier, WASM, in Node and in Debian Chromium (worker), side by side.
 * Usage: node bench/throughput.mjs [--model <dir>] [--texts N]   (needs `npm run prepare` for dist/)
 * Texts: SST-2 dev sentences from ../shared/data, in file order. Issue [F] grows this into the full comparison.
 */
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { createServer } from 'vite';
import { createClassifier, defaultModelDir } from '../dist/lib/src/node/index.js';

const root = resolve(import.meta.dirname, '..');
const { values } = parseArgs({ options: { model: { type: 'string' }, texts: { type: 'string', default: '256' } } });
const modelDir = resolve(values.model ?? defaultModelDir());
const n = Number(values.texts);
const texts = readFileSync(resolve(root, '../shared/data/sst2/dev.jsonl'), 'utf8')
  .trim()
  .split('\n')
  .slice(0, n)
  .map((l) => JSON.parse(l).text);

/** Runs in Node and, serialised, in the page: load time, then texts/s at batch 1 and 32 after a warm-up. */
async function measure(create, model, dtype, texts) {
  const t0 = performance.now();
  const clf = await create({ model, dtype });
  const loadMs = performance.now() - t0;
  await clf.classify(texts.slice(0, 32));
  const rate = async (batch, count) => {
    const sub = texts.slice(0, count);
    const t = performance.now();
    for (let i = 0; i < sub.length; i += batch) await clf.classify(sub.slice(i, i + batch));
    return (sub.length / (performance.now() - t)) * 1000;
  };
  const b1 = await rate(1, Math.min(64, texts.length));
  const b32 = await rate(32, texts.length);
  const threads = clf.info.threads;
  await clf.dispose();
  return { loadMs, b1, b32, threads };
}

const rows = [];
for (const dtype of ['q8', 'fp32']) {
  rows.push({ where: 'Node 20 (in-process)', dtype, ...(await measure(createClassifier, modelDir, dtype, texts)) });
}

const server = await createServer({ root, configFile: resolve(root, 'vite.config.ts'), logLevel: 'error', server: { port: 0 } });
await server.listen();
const base = `http://127.0.0.1:${server.httpServer.address().port}`;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
});
try {
  const page = await browser.newPage();
  await page.goto(`${base}/test/browser/harness.html`);
  await page.waitForFunction(() => window.ready === true);
  const modelUrl = `/${relative(root, modelDir)}/`;
  for (const dtype of ['q8', 'fp32']) {
    const r = await page.evaluate(
      async ({ src, model, dtype, texts }) => {
        const measure = new Function(`return (${src})`)();
        return measure(window.lib.createClassifier, model, dtype, texts);
      },
      { src: measure.toString(), model: modelUrl, dtype, texts },
    );
    rows.push({ where: 'Chromium 156 (worker, isolated)', dtype, ...r });
  }
} finally {
  await browser.close();
  await server.close();
}

console.log(`model ${relative(root, modelDir)}, ${texts.length} SST-2 dev texts, ${cpus().length} cores, ${new Date().toISOString().slice(0, 10)}`);
console.log('| runtime | dtype | threads | load ms | texts/s batch 1 | texts/s batch 32 |');
console.log('| --- | --- | --- | --- | --- | --- |');
for (const r of rows) {
  console.log(`| ${r.where} | ${r.dtype} | ${r.threads} | ${r.loadMs.toFixed(0)} | ${r.b1.toFixed(1)} | ${r.b32.toFixed(1)} |`);
}
