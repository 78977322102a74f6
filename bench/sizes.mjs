#!/usr/bin/env node
/**
 * Gzip sizes of what a page downloads, built for real with Vite (minified, as users get it): the main-thread core,
 * the inference worker, ORT's JS, the one-tag widget; ORT's wasm binaries apart. Prints a Markdown table.
 *   node bench/sizes.mjs        (or npm run sizes)
 */
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';

const tmp = mkdtempSync(join(tmpdir(), 'inpage-sizes-'));

/** Builds one entry the way the widget is built (relative base, ES workers) and returns its output folder. */
async function buildEntry(name, entry) {
  const outDir = join(tmp, name);
  await build({
    configFile: false,
    logLevel: 'silent',
    base: './',
    publicDir: false,
    worker: { format: 'es' },
    build: {
      target: 'es2022',
      outDir,
      assetsInlineLimit: 0,
      rolldownOptions: { input: { [name]: entry }, output: { entryFileNames: '[name].js' }, preserveEntrySignatures: 'exports-only' },
    },
  });
  return outDir;
}

const widgetDir = join(tmp, 'widget');
await build({ configFile: 'vite.widget.config.ts', logLevel: 'silent', build: { outDir: widgetDir, emptyOutDir: true } });
const coreDir = await buildEntry('core', 'src/create-classifier.ts');
const fullDir = await buildEntry('full', 'src/index.ts');

const find = (dir, re) => {
  const hit = readdirSync(join(dir, 'assets')).find((f) => re.test(f));
  if (!hit) throw new Error(`sizes: no ${re} in ${dir}/assets`);
  return join(dir, 'assets', hit);
};
const kb = (n) => (n / 1024).toFixed(1);
const row = (what, file) => {
  const bytes = readFileSync(file);
  return `| ${what} | ${kb(bytes.length)} | ${kb(gzipSync(bytes, { level: 9 }).length)} |`;
};

const rows = [
  row('core: `createClassifier` + `Classifier` (main thread)', join(coreDir, 'core.js')),
  row('core: the whole browser API incl. training client and metrics (main thread)', join(fullDir, 'full.js')),
  row('inference worker: tokenizer, engine, comlink (without ORT)', find(widgetDir, /^inference\.worker-.*\.js$/)),
  row('ORT JS, WASM build (`onnxruntime-web/wasm`, loaded by the worker)', find(widgetDir, /^ort\.wasm\.bundle\.min-.*\.js$/)),
  row('ORT JS, WebGPU build (`onnxruntime-web`, only for `device: webgpu`)', find(widgetDir, /^ort\.bundle\.min-.*\.js$/)),
  row('training worker (`trainHead`)', find(fullDir, /^training\.worker-.*\.js$/)),
  row('widget: `inpage-classifier-widget.js` (main thread, core included)', join(widgetDir, 'inpage-classifier-widget.js')),
  row('ORT wasm binary, WASM (apart)', find(widgetDir, /^ort-wasm-simd-threaded-[^.]*\.wasm$/)),
  row('ORT wasm binary, WebGPU/JSEP (apart)', find(widgetDir, /^ort-wasm-simd-threaded\.jsep-.*\.wasm$/)),
];
const model = join(widgetDir, 'models/inpage-sentiment-mini/onnx/model_quantized.onnx');
process.stdout.write(
  ['| piece | KiB | KiB gzip |', '| --- | ---: | ---: |', ...rows].join('\n') +
    `\n\nDefault model (q8 weights, fetched once, then cached): ${kb(statSync(model).size)} KiB.\n`,
);
