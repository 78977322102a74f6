import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

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
    include: ['comlink', '@huggingface/tokenizers', 'papaparse', 'idb-keyval', '@huggingface/jinja', 'onnxruntime-common', 'uplot', 'fflate'],
    entries: ['index.html', 'workers/*.ts', 'test/browser/*.html', 'bench/pages/*.html', 'bench/workers/*.ts'],
  },
  worker: { format: 'es' },
  // The app; the one-tag widget is built by vite.widget.config.ts into dist/widget, the npm library by tsc into dist/lib.
  build: { target: 'es2022', assetsInlineLimit: 0, outDir: 'dist/app' },
  plugins: [
    // The installable, offline app (production build only: the dev server never registers a service worker).
    // Our own worker (app/sw.ts) precaches the build and adds COOP/COEP to what it serves, so an offline reload
    // stays cross-origin isolated and ORT keeps its WASM threads.
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'app',
      filename: 'sw.ts',
      injectRegister: false, // app/pwa.ts registers it
      manifest: false, // public/manifest.webmanifest, linked from index.html
      devOptions: { enabled: false },
      injectManifest: {
        // The app, ORT's CPU wasm (14 MB) and the default model's files that the app loads or exports (q8 runs,
        // fp32 is exported); Workbox skips files over 2 MiB unless told. The WebGPU wasm is cached on first use.
        globPatterns: [
          '*.{html,webmanifest}',
          'icons/*',
          'assets/*.{js,css}',
          'assets/ort-wasm-simd-threaded-*.wasm',
          'models/inpage-sentiment-mini/**/*.json',
          'models/inpage-sentiment-mini/onnx/{model,model_quantized}.onnx',
        ],
        maximumFileSizeToCacheInBytes: 64 * 1024 * 1024,
      },
    }),
  ],
});
