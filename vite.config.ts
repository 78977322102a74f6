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
  optimizeDeps: { exclude: ['onnxruntime-web'] },
  worker: { format: 'es' },
  build: { target: 'es2022', assetsInlineLimit: 0 },
});
