/**
 * The app's service worker: precaches the build (app, ORT wasm, default model) so the app loads offline, and serves
 * every response with COOP/COEP/CORP so an offline reload is still cross-origin isolated (WASM threads need it).
 */
import { addPlugins, cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { CacheFirst } from 'workbox-strategies';

// The project compiles with the DOM lib; these are the few service-worker types this file needs.
interface WaitUntil extends Event {
  waitUntil(p: Promise<unknown>): void;
}
declare const self: {
  __WB_MANIFEST: (string | { url: string; revision: string | null })[];
  skipWaiting(): Promise<void>;
  clients: { claim(): Promise<void> };
  addEventListener(type: 'install' | 'activate', fn: (e: WaitUntil) => void): void;
};

const ISOLATION: Record<string, string> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/** A copy of `response` with the isolation headers; opaque responses (status 0) cannot be rebuilt and pass as they are. */
function isolated(response: Response | undefined): Response | undefined {
  if (!response || response.status === 0) return response;
  const headers = new Headers(response.headers);
  for (const [k, v] of Object.entries(ISOLATION)) headers.set(k, v);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

const isolate = { handlerWillRespond: async ({ response }: { response: Response }) => isolated(response)! };
addPlugins([isolate]);
precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();
// Any in-app navigation (a reload of `/` or `/?tab=…`) gets the precached page.
registerRoute(new NavigationRoute(createHandlerBoundToURL('index.html')));
// Hashed build files left out of the precache (ORT's 28 MB WebGPU wasm, fetched only where WebGPU runs) are kept
// on first use, so a GPU machine works offline too without every other machine downloading them.
registerRoute(
  ({ url }) => url.origin === location.origin && url.pathname.includes('/assets/'),
  new CacheFirst({ cacheName: 'inpage-app-assets', plugins: [isolate] }),
);
// The model's LoRA split graphs (bottom.onnx + top.onnx, ~16 MB) are fetched only when someone trains LoRA in the app,
// then kept, so LoRA works offline after its first use without every install downloading them.
registerRoute(
  ({ url }) => url.origin === location.origin && /\/models\/[^/]+\/onnx\/(bottom|top)\.onnx$/.test(url.pathname),
  new CacheFirst({ cacheName: 'inpage-app-lora', plugins: [isolate] }),
);

// A new build takes over at once: the app keeps no state in memory that an old worker would need.
self.addEventListener('install', () => void self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));
