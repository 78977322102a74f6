/** Registers the service worker in production builds; the dev server has none (vite.config.ts builds it). */
export async function registerServiceWorker(): Promise<ServiceWorkerRegistration | null> {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return null;
  try {
    return await navigator.serviceWorker.register(`${import.meta.env.BASE_URL}sw.js`, { scope: import.meta.env.BASE_URL });
  } catch (err) {
    console.warn('Service worker not registered; the app will not work offline.', err);
    return null;
  }
}
