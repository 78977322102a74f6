/**
 * Step 3: train a head on the labelled reviews (held-out ones excluded), with a progress bar, a live loss and
 * validation chart and cancel. Every run is saved as a head version and made active.
 */
import { embedCached, saveHead, trainHead, trainLora, type TrainProgress } from '../../src/index.js';
import { lineChart } from '../charts.js';
import { errorText, h, isAbort, pct } from '../dom.js';
import { labelledSides } from '../heldout.js';
import { activate } from '../heads.js';
import { state } from '../state.js';
import { toast } from '../toast.js';
import { headVersionsCard } from './head-versions.js';

export function initTrainPanel(root: HTMLElement): void {
  const type = h('select', { id: 'head-type' }, h('option', { value: 'linear' }, 'linear (fast, robust)'), h('option', { value: 'mlp' }, 'MLP (one hidden layer)'), h('option', { value: 'lora' }, 'LoRA (fine-tunes the top layer; slower)'));
  const start = h('button', { type: 'button', class: 'primary', id: 'train-start' }, 'Train');
  const cancel = h('button', { type: 'button', id: 'train-cancel', disabled: true }, 'Cancel');
  const bar = h('progress', { max: 1, value: 0, id: 'train-bar', 'aria-label': 'Training progress' });
  const status = h('p', { class: 'status-line', id: 'train-status', 'aria-live': 'polite' }, 'Ready when you have a few labelled reviews per concept.');
  const chartHost = h('div', { class: 'chart', id: 'loss-chart' });
  root.append(
    h(
      'div',
      { class: 'grid two' },
      h(
        'div',
        { class: 'card' },
        h('h2', {}, 'Train a head'),
        h('p', { class: 'muted' }, 'A small classifier over the encoder’s vectors; about a second for a few hundred reviews. 20 % of labelled reviews are held out for evaluation.'),
        h('div', { class: 'row wrap' }, h('label', { for: 'head-type' }, 'Head'), type, start, cancel),
        bar,
        status,
      ),
      h('div', { class: 'card' }, h('h2', {}, 'Loss and validation'), chartHost),
    ),
    headVersionsCard(),
  );
  const chart = lineChart(chartHost, {
    x: 'epoch',
    series: [{ label: 'train loss' }, { label: 'validation loss', dash: [6, 4] }, { label: 'validation macro-F1', scale: 'r' }],
    right: 'macro-F1',
  });

  let job: ReturnType<typeof trainHead> | ReturnType<typeof trainLora> | null = null;
  // Cancel works in every phase: while reviews are embedded (no job yet) and while the worker trains.
  let cancelled = false;
  const stopIfCancelled = () => {
    if (cancelled) throw Object.assign(new Error('Training was cancelled.'), { name: 'AbortError' });
  };
  cancel.addEventListener('click', () => ((cancelled = true), job?.cancel()));
  start.addEventListener('click', async () => {
    start.disabled = true;
    cancel.disabled = false;
    cancelled = false;
    bar.value = 0;
    const history: TrainProgress[] = [];
    chart.set([], [[], [], []]);
    try {
      const clf = await state.classifier();
      const sides = await labelledSides();
      if (new Set(sides.train.flatMap((e) => e.labels)).size < 2) throw new Error('Label reviews of at least two concepts first.');
      const onProgress = (p: TrainProgress) => {
        history.push(p);
        bar.value = p.epoch / p.epochs;
        chart.set(history.map((x) => x.epoch), [history.map((x) => x.loss), history.map((x) => x.valLoss), history.map((x) => x.valMetric)]);
      };
      const labelled = sides.train.length + (sides.allTrain ? 0 : sides.test.length);
      const dataSummary = { heldOut: sides.allTrain ? 0 : sides.test.length, dataset: state.ds.name };
      if (type.value === 'lora') {
        // LoRA adapts the encoder itself: the training worker runs the model's bottom once per review, then trains.
        status.textContent = `Encoding ${sides.train.length} reviews for LoRA…`;
        const lora = trainLora(
          { texts: sides.train.map((e) => e.text), labels: sides.train.map((e) => e.labels), ids: sides.train.map((e) => e.id) },
          {
            model: clf.info.source,
            dataSummary,
            onEncode: (done, total) => (status.textContent = `Encoding reviews for LoRA: ${done}/${total}…`),
            onProgress: (p) => {
              status.textContent = `LoRA epoch ${p.epoch} (${p.seconds.toFixed(1)} s)…`;
              onProgress(p);
            },
          },
        );
        job = lora;
        const result = await lora;
        stopIfCancelled();
        bar.value = 1;
        const rec = await saveHead(result.adapter, { name: `LoRA · ${labelled} labels` }, state.ds);
        state.emit('heads');
        const f1 = result.validation ? ` · validation macro-F1 ${pct(result.validation.macroF1)}` : '';
        // Epoch 0 is the starting point: the adapters never beat the plain head on validation, so that is what was kept.
        const kept = result.bestEpoch === 0 ? ' (the adapters did not beat the plain head on validation, so the version equals it)' : '';
        status.textContent = `LoRA trained in ${(result.ms / 1000).toFixed(1)} s, best epoch ${result.bestEpoch}${kept}${f1}. Saved as a version (scored with its own classifier; the active head is unchanged).`;
        document.body.dataset.trained = rec.id;
        return;
      }
      status.textContent = `Embedding ${sides.train.length} reviews…`;
      const emb = await embedCached(clf, sides.train.map((e) => e.text), state.cache);
      stopIfCancelled();
      status.textContent = `Training on ${sides.train.length} reviews (${emb.hits} vectors from the cache)…`;
      job = trainHead(
        { data: emb.data, dim: emb.dim, labels: sides.train.map((e) => e.labels), ids: sides.train.map((e) => e.id) },
        { modelId: clf.info.modelId, type: type.value as 'linear' | 'mlp', dataSummary, onProgress },
      );
      const result = await job;
      stopIfCancelled();
      bar.value = 1;
      const rec = await saveHead(result.head, { name: `${type.value} · ${labelled} labels` }, state.ds);
      await activate(rec.id);
      state.emit('heads');
      const f1 = result.validation ? ` · validation macro-F1 ${pct(result.validation.macroF1)}` : '';
      status.textContent = `Trained in ${Math.round(result.ms)} ms, best epoch ${result.bestEpoch}${f1}. Saved and made active.`;
      document.body.dataset.trained = rec.id;
    } catch (err) {
      status.textContent = isAbort(err) ? 'Training cancelled; the active head is unchanged.' : `Training failed: ${errorText(err)}`;
      if (!isAbort(err)) toast(errorText(err), 'error');
    } finally {
      job = null;
      start.disabled = false;
      cancel.disabled = true;
    }
  });
}
