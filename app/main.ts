/**
 * The offline app: data → label → train → evaluate → export, in one page, on the public API only.
 * Each panel lives in app/panels/ and talks to the others through app/state.ts.
 */
import { $ } from './dom.js';
import { loadModel, loadStatus, onLoadStatus } from './model-loader.js';
import { initDataPanel } from './panels/data.js';
import { initEvaluatePanel } from './panels/evaluate.js';
import { initExportPanel } from './panels/export.js';
import { initHostedPanel } from './panels/hosted.js';
import { initLabelPanel } from './panels/label.js';
import { initModelPanel } from './panels/model.js';
import { initTrainPanel } from './panels/train.js';
import { registerServiceWorker } from './pwa.js';
import { restoreActiveHead } from './heads.js';
import { state } from './state.js';
import { initTabs } from './tabs.js';

function headerChips(): void {
  const chip = $('#model-chip');
  const render = () => {
    const info = state.clf?.info;
    chip.dataset.state = loadStatus.phase;
    if (loadStatus.phase === 'failed') chip.textContent = `Model failed: ${loadStatus.error}`;
    else if (!info) {
      const p = loadStatus.progress;
      chip.textContent = p?.phase === 'download' && p.total ? `Downloading the model… ${Math.round((100 * p.loaded) / p.total)} %` : 'Loading the model…';
    } else chip.textContent = `${info.modelId} · ${info.device.toUpperCase()} · ${info.dtype}`;
  };
  onLoadStatus(render);
  render();
  const net = $('#net-chip');
  const online = () => {
    net.textContent = navigator.onLine ? 'Online' : 'Offline: everything still works';
    net.dataset.state = navigator.onLine ? 'online' : 'offline';
  };
  window.addEventListener('online', online);
  window.addEventListener('offline', online);
  online();
}

headerChips();
initDataPanel($('#panel-data'));
initLabelPanel($('#panel-label'));
initTrainPanel($('#panel-train'));
initEvaluatePanel($('#panel-evaluate'));
initExportPanel($('#panel-export'));
initModelPanel($('#panel-model'));
initHostedPanel($('#panel-hosted'));
initTabs();
void registerServiceWorker();
await restoreActiveHead();
await loadModel();
document.body.dataset.ready = 'true';
