/**
 * The reviews table: search, filter by label and by prediction (including "disagrees with its label"), change a
 * label inline. Predictions come from the active head, or the model's own concepts before any head.
 */
import { listConcepts, listExamples, setLabels, type Example } from '../../src/index.js';
import { errorText, h } from '../dom.js';
import { ensurePredictions, predictions } from '../scoring.js';
import { state } from '../state.js';
import { currentTab, onShow } from '../tabs.js';
import { toast } from '../toast.js';

const PAGE = 50;

export function predictionChip(id: string): HTMLElement {
  const top = predictions.get(id)?.[0];
  return top ? h('span', { class: 'pred', title: 'prediction' }, top.concept, h('small', {}, ` ${top.score.toFixed(2)}`)) : h('span', { class: 'pred muted' }, '…');
}

function labelSelect(e: Example, concepts: string[]): HTMLSelectElement {
  const sel = h('select', { 'aria-label': 'Label' }, h('option', { value: '' }, '—'), ...concepts.map((c) => h('option', { value: c }, c)));
  sel.value = e.labels[0] ?? '';
  sel.addEventListener('change', async () => {
    try {
      await setLabels(e.id, sel.value ? [sel.value] : [], state.ds);
      state.emit('examples');
    } catch (err) {
      toast(errorText(err), 'error');
    }
  });
  return sel;
}

export function examplesCard(): HTMLElement {
  const search = h('input', { type: 'search', id: 'ex-search', placeholder: 'Search reviews', autocomplete: 'off' });
  const byLabel = h('select', { id: 'ex-label' });
  const byPred = h('select', { id: 'ex-pred' });
  const count = h('p', { class: 'muted', 'aria-live': 'polite', id: 'ex-count' });
  const body = h('tbody');
  const more = h('button', { type: 'button', hidden: true }, 'Show more');
  let limit = PAGE;
  let seq = 0;
  let stale = true;

  const options = (sel: HTMLSelectElement, items: [string, string][]) => {
    const keep = sel.value;
    sel.replaceChildren(...items.map(([v, t]) => h('option', { value: v }, t)));
    sel.value = items.some(([v]) => v === keep) ? keep : items[0][0];
  };

  const render = async () => {
    stale = false;
    const mine = ++seq;
    const [all, concepts] = await Promise.all([listExamples({}, state.ds), listConcepts(state.ds)]);
    const names = concepts.map((c) => c.name);
    options(byLabel, [['*', 'All labels'], ['-', 'Unlabelled'], ['+', 'Labelled'], ...names.map((n): [string, string] => [n, n])]);
    const predNames = state.activeHead?.concepts ?? state.clf?.info.concepts ?? names;
    options(byPred, [['*', 'Any prediction'], ['!', 'Disagrees with label'], ...predNames.map((n): [string, string] => [n, `predicted ${n}`])]);
    const q = search.value.trim().toLowerCase();
    const l = byLabel.value;
    let rows = all.filter((e) => (!q || e.text.toLowerCase().includes(q)) && (l === '*' || (l === '-' ? !e.labels.length : l === '+' ? e.labels.length > 0 : e.labels.includes(l))));
    const p = byPred.value;
    if (p !== '*' && state.clf) {
      await ensurePredictions(rows);
      rows = rows.filter((e) => {
        const top = predictions.get(e.id)?.[0]?.concept;
        return p === '!' ? e.labels.length > 0 && top !== undefined && !e.labels.includes(top) : top === p;
      });
    }
    if (mine !== seq) return;
    count.textContent = `${rows.length} of ${all.length} reviews`;
    const page = rows.slice(0, limit);
    body.replaceChildren(
      ...page.map((e) => h('tr', { 'data-id': e.id }, h('td', { class: 'text' }, e.text), h('td', {}, labelSelect(e, names)), h('td', { class: 'pred-cell' }, predictionChip(e.id)))),
    );
    if (!all.length) body.append(h('tr', {}, h('td', { colspan: 3, class: 'muted' }, 'No reviews yet: paste some above or import a file.')));
    more.hidden = rows.length <= limit;
    // Predictions fill in after the rows are drawn, so the table never waits on the model.
    if (state.clf && page.length) {
      await ensurePredictions(page);
      if (mine !== seq) return;
      for (const tr of body.querySelectorAll<HTMLTableRowElement>('tr[data-id]')) tr.querySelector('.pred-cell')!.replaceChildren(predictionChip(tr.dataset.id!));
    }
  };
  let debounce: ReturnType<typeof setTimeout> | undefined;
  search.addEventListener('input', () => {
    clearTimeout(debounce);
    debounce = setTimeout(() => ((limit = PAGE), void render()), 150);
  });
  for (const s of [byLabel, byPred]) s.addEventListener('change', () => ((limit = PAGE), void render()));
  more.addEventListener('click', () => ((limit += PAGE), void render()));
  // Labelling on another tab would redraw this table on every key: redraw when it is next shown instead.
  const refresh = () => (currentTab() === 'data' ? void render() : (stale = true));
  for (const ev of ['examples', 'concepts', 'active', 'model'] as const) state.on(ev, refresh);
  onShow('data', () => stale && ((stale = false), void render()));

  return h(
    'div',
    { class: 'card wide' },
    h('h2', {}, 'Reviews'),
    h('div', { class: 'row wrap filters' }, h('label', { for: 'ex-search', class: 'sr-only' }, 'Search'), search, h('label', { for: 'ex-label', class: 'sr-only' }, 'Filter by label'), byLabel, h('label', { for: 'ex-pred', class: 'sr-only' }, 'Filter by prediction'), byPred, count),
    h('div', { class: 'table-wrap' }, h('table', { class: 'examples' }, h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Review'), h('th', { scope: 'col' }, 'Label'), h('th', { scope: 'col' }, 'Prediction'))), body)),
    more,
  );
}
