/**
 * The Model panel: which model, where it runs (WebGPU or WASM, and why), dtype, threads, load progress; storage
 * used, the model cache (clear it), persistent storage (ask for it), and whether the app is ready offline.
 */
import { clearModelCache, embeddingCacheInfo, getModelCacheInfo, requestPersistence, storageInfo } from '../../src/index.js';
import { bytes, errorText, h } from '../dom.js';
import { loadStatus, onLoadStatus } from '../model-loader.js';
import { state } from '../state.js';
import { onShow } from '../tabs.js';
import { toast } from '../toast.js';

function facts(rows: [string, string | Node][], id: string): HTMLElement {
  return h('dl', { class: 'facts', id }, ...rows.map(([k, v]) => h('div', {}, h('dt', {}, k), h('dd', {}, v))));
}

export function initModelPanel(root: HTMLElement): void {
  const model = h('div');
  const storage = h('div');
  const bar = h('progress', { max: 1, value: 0, 'aria-label': 'Model load progress' });
  const renderModel = () => {
    const info = state.clf?.info;
    const p = loadStatus.progress;
    bar.value = loadStatus.phase === 'ready' ? 1 : p?.total ? p.loaded / p.total : 0;
    const downloaded = [...loadStatus.files.values()].reduce((s, f) => s + f.loaded, 0);
    model.replaceChildren(
      facts(
        [
          ['status', loadStatus.phase === 'failed' ? `failed: ${loadStatus.error}` : loadStatus.phase === 'ready' ? `ready in ${Math.round(info!.loadMs)} ms` : `loading${p?.file ? ` ${p.file}` : ''}…`],
          ['load', bar],
          // Progress reports cache hits as 'download' too, so this is what was read, from the cache or the network.
          ['model files read', `${bytes(downloaded)} in ${loadStatus.files.size} files`],
          ['model', info?.modelId ?? '…'],
          ['source', info?.source ?? '…'],
          ['device', info ? `${info.device.toUpperCase()}: ${info.deviceReason}` : '…'],
          ['dtype', info?.dtype ?? '…'],
          ['threads', info ? `${info.threads}${crossOriginIsolated ? ' (cross-origin isolated)' : ' (not cross-origin isolated: one thread)'}` : '…'],
          ['concepts', info ? `${info.concepts.join(', ')} (${info.conceptSource})` : '…'],
          ['vector size', info ? `${info.dim} (max ${info.maxLength} tokens, ${info.pooling} pooling)` : '…'],
        ],
        'model-facts',
      ),
    );
  };
  const renderStorage = async () => {
    try {
      const [s, m, e] = await Promise.all([storageInfo(), getModelCacheInfo(), embeddingCacheInfo(state.cache)]);
      const sw = 'serviceWorker' in navigator ? navigator.serviceWorker.controller : null;
      storage.replaceChildren(
        facts(
          [
            ['used', `${bytes(s.usage)} of ${bytes(s.quota)}`],
            ['model cache', `${bytes(m.bytes)} · ${m.models.length} model${m.models.length === 1 ? '' : 's'}`],
            ['vector cache', `${e.entries} vectors · ${bytes(e.bytes)} of ${bytes(e.budgetBytes)}`],
            ['persistent storage', s.persisted ? 'granted: the browser will not evict your labels' : s.persisted === false ? 'not granted: the browser may evict data under pressure' : 'unknown'],
            ['offline', sw ? 'ready: the app, ORT and the model are cached' : import.meta.env.PROD ? 'after the next load' : 'not in the dev server (production build only)'],
          ],
          'storage-facts',
        ),
      );
    } catch (err) {
      storage.replaceChildren(h('p', { class: 'error' }, errorText(err)));
    }
  };
  const persist = h('button', { type: 'button', id: 'persist' }, 'Ask for persistent storage');
  persist.addEventListener('click', async () => {
    toast((await requestPersistence()) ? 'Storage is persistent.' : 'The browser declined (it decides by site engagement).');
    void renderStorage();
  });
  const clear = h('button', { type: 'button', class: 'danger', id: 'clear-cache' }, 'Clear model cache');
  clear.addEventListener('click', async () => {
    await clearModelCache();
    toast('Model cache cleared: the next load downloads the model again (the loaded one keeps working).');
    void renderStorage();
  });
  root.append(
    h('div', { class: 'grid two' }, h('div', { class: 'card' }, h('h2', {}, 'Model'), model), h('div', { class: 'card' }, h('h2', {}, 'Storage'), storage, h('div', { class: 'row wrap' }, persist, clear))),
  );
  onLoadStatus(renderModel);
  renderModel();
  onShow('model', () => (renderModel(), void renderStorage()));
}
