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
    exclude: ['onnxruntime-web'],
    include: ['comlink', '@huggingface/tokenizers', 'papaparse'],
    entries: ['index.html', 'workers/*.ts', 'test/browser/*.html'],
  },
  worker: { format: 'es' },
  build: { target: 'es2022', assetsInlineLimit: 0 },
});
