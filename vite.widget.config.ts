/**
 * The one-tag widget build: `dist/widget/inpage-classifier-widget.js` with its worker, ORT's wasm and the default
 * model beside it, every URL relative to the script (`base: './'`), so the folder can be served from any path.
 * An ordinary Rollup input, not library mode: library mode inlines assets as data: URLs, which a strict CSP refuses.
 */
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig, type Plugin } from 'vite';

/** Copies the demo page and its files as they are: the page must load the built one-tag file, nothing else. */
function demoPage(): Plugin {
  const files = { 'widget.html': 'widget.html', 'widget-demo.css': 'src/widget/demo/widget-demo.css', 'favicon.svg': 'src/widget/demo/favicon.svg' };
  return {
    name: 'inpage-widget-demo',
    apply: 'build',
    generateBundle() {
      for (const [fileName, from] of Object.entries(files)) {
        this.emitFile({ type: 'asset', fileName, source: readFileSync(from, 'utf8') });
      }
    },
  };
}

/** Copies the default model (only it: public/ also holds the app's files) beside the script, where the bundle looks. */
function defaultModel(): Plugin {
  const folder = 'models/inpage-sentiment-mini';
  return {
    name: 'inpage-widget-model',
    apply: 'build',
    writeBundle(options) {
      // The LoRA split graphs (bottom/top.onnx) are for training only: a widget never needs them.
      cpSync(join('public', folder), join(options.dir ?? 'dist/widget', folder), {
        recursive: true,
        filter: (src) => !/[\\/](bottom|top)\.onnx$/.test(src),
      });
    },
  };
}

export default defineConfig({
  base: './',
  publicDir: false,
  define: { __INPAGE_ASSETS_BESIDE_BUNDLE__: 'true' },
  worker: { format: 'es' },
  plugins: [demoPage(), defaultModel()],
  build: {
    target: 'es2022',
    outDir: 'dist/widget',
    emptyOutDir: true,
    assetsInlineLimit: 0,
    rolldownOptions: {
      input: { 'inpage-classifier-widget': 'src/widget/auto.ts' },
      output: { entryFileNames: '[name].js' },
      // Keep the entry's exports (the element class, define function) for `import` users of the bundle.
      preserveEntrySignatures: 'exports-only',
    },
  },
});
