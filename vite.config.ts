import { defineConfig } from 'vite';

// Cross-origin isolation lets ORT use WASM threads (SharedArrayBuffer). A page that embeds the widget cannot
// always set these headers; the library then runs single-threaded.
export const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  server: { headers: isolationHeaders, host: '127.0.0.1' },
  preview: { headers: isolationHeaders, host: '127.0.0.1' },
  // Pre-bundling ORT rewrites its wasm URLs and makes the dev server reload mid-load.
  // Pre-bundle the worker's deps at start-up too, so discovering them later does not reload pages mid-test.
  optimizeDeps: {
    exclude: ['onnxruntime-web', '@huggingface/transformers'],
    include: ['comlink', '@huggingface/tokenizers', 'papaparse', 'idb-keyval', '@huggingface/jinja', 'onnxruntime-common'],
    entries: ['index.html', 'workers/*.ts', 'test/browser/*.html', 'bench/pages/*.html', 'bench/workers/*.ts'],
  },
  worker: { format: 'es' },
  // The app; the one-tag widget is built by vite.widget.config.ts into dist/widget, the npm library by tsc into dist/lib.
  build: { target: 'es2022', assetsInlineLimit: 0, outDir: 'dist/app' },
});
