/**
 * Step 4: evaluate the active head on the held-out reviews, in Clarifai's vocabulary: the concept table at a
 * threshold (a slider; numbers update as it moves), the confusion matrix (click a cell for its reviews), ROC and
 * PR curves, and the false positives/negatives with the words that drove them.
 */
import { evaluate, type EvalReport, type Example } from '../../src/index.js';
import { lineChart, type LineChart } from '../charts.js';
import { errorText, h, pct } from '../dom.js';
import { scoreHeldOut, type Scored } from '../eval-data.js';
import { GRID, prOnGrid, rocOnGrid } from '../roc.js';
import { state } from '../state.js';
import { currentTab, onShow } from '../tabs.js';
import { confusionMatrix } from './confusion.js';
import { errorsList } from './errors.js';
import { metricsTable } from './metrics-table.js';
import { tryItCard } from './try-it.js';

export function initEvaluatePanel(root: HTMLElement): void {
  const heading = h('p', { class: 'muted', id: 'eval-source' });
  const summary = h('dl', { class: 'stats', id: 'eval-summary' });
  const slider = h('input', { type: 'range', id: 'threshold', min: 0.05, max: 0.95, step: 0.01, value: 0.5 });
  const sliderValue = h('output', { for: 'threshold', id: 'threshold-value' }, '0.50');
  const table = h('div', { id: 'eval-table' });
  const matrix = h('div');
  const cellList = h('div', { class: 'cell-list', 'aria-live': 'polite' });
  const errorsHost = h('div', { class: 'grid two' });
  const rocHost = h('div', { class: 'chart' });
  const prHost = h('div', { class: 'chart' });
  root.append(
    h('div', { class: 'row spread' }, h('h2', {}, 'Evaluate'), heading),
    h('div', { class: 'grid two' }, h('div', { class: 'card' }, h('h3', {}, 'Summary'), summary, h('div', { class: 'row' }, h('label', { for: 'threshold' }, 'Prediction threshold'), slider, sliderValue), h('p', { class: 'hint' }, 'A concept counts as predicted when its score is at or above the threshold.')), tryItCard()),
    h('div', { class: 'card wide' }, h('h3', {}, 'Per concept'), table),
    h('div', { class: 'grid two' }, h('div', { class: 'card' }, h('h3', {}, 'Confusion matrix'), matrix, cellList), h('div', { class: 'card' }, h('h3', {}, 'ROC and precision–recall'), rocHost, prHost)),
    errorsHost,
  );

  let data: Scored | null = null;
  let curves: EvalReport | null = null;
  let roc: LineChart | null = null;
  let pr: LineChart | null = null;
  let seq = 0;
  let chartKey = '';

  const showCell = (title: string, items: Example[]) =>
    cellList.replaceChildren(h('h4', {}, `${title}: ${items.length}`), h('ul', { class: 'cell-reviews' }, ...items.slice(0, 50).map((e) => h('li', {}, e.text))));

  const atThreshold = () => {
    if (!data || !curves) return;
    const t = Number(slider.value);
    sliderValue.textContent = t.toFixed(2);
    // One-vs-rest at one threshold: Clarifai's per-concept numbers, whatever the head's problem type.
    const at = evaluate(data.rows.map((e) => e.labels), data.scores, data.concepts, { problemType: 'multi_label_classification', thresholds: data.concepts.map(() => t), ids: data.rows.map((e) => e.id), curves: false, maxErrors: 50 });
    const micro = (k: 'tp' | 'fp' | 'fn') => Object.values(at.perConcept).reduce((s, m) => s + m[k], 0);
    const p = micro('tp') / Math.max(1, micro('tp') + micro('fp'));
    const r = micro('tp') / Math.max(1, micro('tp') + micro('fn'));
    summary.replaceChildren(
      ...([
        ['reviews', String(data.rows.length)],
        ['accuracy (top concept)', pct(curves.accuracy)],
        ['macro-F1 (top concept)', pct(curves.macroF1)],
        [`precision @ ${t.toFixed(2)}`, pct(p)],
        [`recall @ ${t.toFixed(2)}`, pct(r)],
      ] as const).map(([k, v]) => h('div', {}, h('dt', {}, k), h('dd', {}, v))),
    );
    table.replaceChildren(metricsTable(at, curves, data.concepts));
    const byId = new Map(data.rows.map((e) => [e.id, e]));
    const fp = errorsList('False positives', at.falsePositives, byId, 'fp');
    const fn = errorsList('False negatives', at.falseNegatives, byId, 'fn');
    errorsHost.replaceChildren(h('div', { class: 'card' }, fp.el), h('div', { class: 'card' }, fn.el));
    const mine = seq;
    clearTimeout(explainTimer);
    // Explain once the slider rests: occlusion embeds a batch per review.
    explainTimer = setTimeout(async () => {
      if (mine !== seq) return;
      await fp.explain();
      await fn.explain();
      document.body.dataset.explained = 'true';
    }, 400);
  };
  let explainTimer: ReturnType<typeof setTimeout> | undefined;
  slider.addEventListener('input', atThreshold);

  const refresh = async () => {
    const mine = ++seq;
    delete document.body.dataset.evaluated;
    try {
      const d = await scoreHeldOut();
      if (mine !== seq) return;
      data = d;
      if (!d.rows.length) {
        heading.textContent = 'Label some reviews with the head’s concepts first: there is nothing to evaluate yet.';
        return;
      }
      heading.textContent = `${d.rows.length} ${d.optimistic ? 'labelled reviews (too few held out: optimistic)' : 'held-out reviews'} · ${d.source}${d.skipped ? ` · ${d.skipped} skipped (unknown concept)` : ''}`;
      curves = evaluate(d.rows.map((e) => e.labels), d.scores, d.concepts, { problemType: d.problemType, ids: d.rows.map((e) => e.id) });
      matrix.replaceChildren(confusionMatrix(d.rows, d.scores, d.concepts, showCell));
      cellList.replaceChildren(h('p', { class: 'hint' }, 'Click a cell to see its reviews.'));
      const series = d.concepts.map((c) => ({ label: c }));
      const key = d.concepts.join('\n');
      if (key !== chartKey) {
        roc?.destroy();
        pr?.destroy();
        roc = pr = null;
        chartKey = key;
      }
      roc ??= lineChart(rocHost, { x: 'false positive rate', series, xRange: [0, 1], yRange: [0, 1], title: 'ROC (true positive rate)', height: 200 });
      pr ??= lineChart(prHost, { x: 'recall', series, xRange: [0, 1], yRange: [0, 1], title: 'Precision–recall', height: 200 });
      const C = d.concepts.length;
      const col = (k: number) => Float32Array.from(d.rows, (_, i) => d.scores[i * C + k]);
      roc.set(GRID, d.concepts.map((c, k) => rocOnGrid(col(k), d.rows.map((e) => e.labels.includes(c)))));
      pr.set(GRID, d.concepts.map((c) => prOnGrid(curves!.perConcept[c]?.pr)));
      atThreshold();
      document.body.dataset.evaluated = 'true';
    } catch (err) {
      heading.textContent = `Evaluation failed: ${errorText(err)}`;
    }
  };
  onShow('evaluate', () => void refresh());
  for (const ev of ['active', 'examples', 'model'] as const) state.on(ev, () => currentTab() === 'evaluate' && void refresh());
}
