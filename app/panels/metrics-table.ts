/** Clarifai's concept table: per concept, at the chosen threshold (one-vs-rest), with ROC AUC. */
import type { EvalReport } from '../../src/index.js';
import { h, num, pct } from '../dom.js';

export function metricsTable(at: EvalReport, curves: EvalReport, concepts: string[]): HTMLElement {
  const head = ['Concept', 'ROC AUC', 'Total labeled', 'Total predicted', 'True positives', 'False negatives', 'False positives', 'Recall', 'Precision', 'F1'];
  const rows = concepts.map((c) => {
    const m = at.perConcept[c];
    const auc = curves.perConcept[c]?.auc;
    return h(
      'tr',
      { 'data-concept': c },
      h('th', { scope: 'row' }, c),
      h('td', { class: 'num' }, auc === null || auc === undefined ? '–' : num(auc, 3)),
      h('td', { class: 'num' }, m.support),
      h('td', { class: 'num' }, m.tp + m.fp),
      h('td', { class: 'num' }, m.tp),
      h('td', { class: 'num' }, m.fn),
      h('td', { class: 'num' }, m.fp),
      h('td', { class: 'num' }, pct(m.recall)),
      h('td', { class: 'num' }, pct(m.precision)),
      h('td', { class: 'num strong' }, pct(m.f1)),
    );
  });
  return h('div', { class: 'table-wrap' }, h('table', { class: 'metrics', id: 'metrics-table' }, h('thead', {}, h('tr', {}, ...head.map((t) => h('th', { scope: 'col' }, t)))), h('tbody', {}, ...rows)));
}
