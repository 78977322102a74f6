/**
 * Step 2: the "label next" queue. The most uncertain unlabelled reviews come first (suggestNext, ranked by the
 * active head or the zero-shot prototypes); the current prediction sits beside the review. Keys: 1–9 label,
 * S or → skip, Z or Backspace undo.
 */
import { countExamples, listConcepts, setLabels, suggestNext, type Suggestion } from '../../src/index.js';
import { errorText, h } from '../dom.js';
import { state } from '../state.js';
import { currentTab, onShow } from '../tabs.js';
import { toast } from '../toast.js';
import { scoreBars } from '../widgets.js';

interface Done {
  item: Suggestion;
  previous: string[];
}

export function initLabelPanel(root: HTMLElement): void {
  let queue: Suggestion[] = [];
  let concepts: string[] = [];
  const undo: Done[] = [];
  const skipped = new Set<string>();
  let source = '';
  let busy = false;

  const progress = h('p', { class: 'muted', id: 'label-progress', 'aria-live': 'polite' });
  const card = h('div', { class: 'card label-card', id: 'label-card' });
  const upcoming = h('ol', { class: 'upcoming', 'aria-label': 'Next in the queue' });
  const undoBtn = h('button', { type: 'button', onclick: () => void undoLast() }, 'Undo ', h('kbd', {}, 'Z'));
  root.append(
    h('div', { class: 'row spread' }, h('h2', {}, 'Label next'), progress),
    h('div', { class: 'grid label-grid' }, card, h('div', { class: 'card' }, h('h3', {}, 'Up next'), upcoming, h('p', { class: 'hint' }, 'Keys: 1–9 label · S or → skip · Z undo'), undoBtn)),
  );

  const refill = async () => {
    const clf = await state.classifier();
    const r = await suggestNext(10, { classifier: clf, cache: state.cache, head: state.activeHead ?? undefined }, state.ds);
    queue = r.suggestions.filter((s) => !skipped.has(s.example.id));
    if (!queue.length && r.suggestions.length) {
      skipped.clear(); // everything left was skipped once: start the round again
      queue = r.suggestions;
    }
    source = r.headSource === 'zero-shot' ? 'zero-shot guess from the concept names' : r.headSource === 'given' ? 'active head' : 'latest head';
  };

  const render = async () => {
    const [left, labelled] = await Promise.all([countExamples({ labelled: false }, state.ds), countExamples({ labelled: true }, state.ds)]);
    progress.textContent = `${labelled} labelled · ${left} waiting`;
    const item = queue[0];
    upcoming.replaceChildren(...queue.slice(1, 6).map((s) => h('li', {}, h('span', { class: 'clip' }, s.example.text))));
    if (concepts.length < 2) {
      card.replaceChildren(h('p', {}, 'Add at least two concepts on the Data step first (e.g. negative and positive).'), h('a', { href: '#data' }, 'Go to Data'));
      return;
    }
    if (!item) {
      card.replaceChildren(h('p', {}, left ? 'Loading the queue…' : 'Nothing left to label. Paste or import more reviews, or train.'), left ? '' : h('a', { href: '#train' }, 'Go to Train'));
      return;
    }
    const buttons = concepts.slice(0, 9).map((c, i) => h('button', { type: 'button', class: 'concept-btn', 'data-concept': c, onclick: () => void label(c) }, h('kbd', {}, i + 1), ` ${c}`));
    card.replaceChildren(
      h('blockquote', { class: 'review', 'data-id': item.example.id }, item.example.text),
      h('div', { class: 'prediction' }, h('h3', {}, 'Current prediction ', h('small', { class: 'muted' }, `(${source})`)), scoreBars(item.scores)),
      h('div', { class: 'row wrap buttons', role: 'group', 'aria-label': 'Label as' }, ...buttons, h('button', { type: 'button', onclick: () => skip() }, 'Skip ', h('kbd', {}, 'S'))),
    );
  };

  const reload = async () => {
    try {
      concepts = (await listConcepts(state.ds)).map((c) => c.name);
      if (concepts.length >= 2) await refill();
    } catch (err) {
      toast(errorText(err), 'error');
    }
    await render();
  };

  async function label(concept: string) {
    const item = queue[0];
    if (!item || busy) return;
    busy = true;
    try {
      await setLabels(item.example.id, [concept], state.ds);
      undo.push({ item, previous: item.example.labels });
      queue.shift();
      if (queue.length < 3) await refill();
      state.emit('examples');
      await render();
    } catch (err) {
      toast(errorText(err), 'error');
    } finally {
      busy = false;
    }
  }

  function skip() {
    const item = queue.shift();
    if (item) skipped.add(item.example.id);
    void (queue.length ? render() : reload());
  }

  async function undoLast() {
    const last = undo.pop();
    if (!last || busy) return;
    busy = true;
    try {
      await setLabels(last.item.example.id, last.previous, state.ds);
      queue.unshift(last.item);
      toast('Undone.');
      state.emit('examples');
      await render();
    } finally {
      busy = false;
    }
  }

  document.addEventListener('keydown', (e) => {
    if (currentTab() !== 'label' || e.altKey || e.metaKey) return;
    const t = e.target as HTMLElement;
    if (t.closest('input, textarea, select, [contenteditable]')) return;
    if (/^[1-9]$/.test(e.key) && !e.ctrlKey) {
      const c = concepts[Number(e.key) - 1];
      if (c) (e.preventDefault(), void label(c));
    } else if ((e.key === 's' || e.key === 'ArrowRight') && !e.ctrlKey) (e.preventDefault(), skip());
    else if (e.key === 'z' || e.key === 'Backspace') (e.preventDefault(), void undoLast());
  });
  onShow('label', () => void reload());
  // A new head or new data changes the ranking; refresh only when the panel is on screen.
  for (const ev of ['active', 'concepts'] as const) state.on(ev, () => currentTab() === 'label' && void reload());
  state.on('model', () => currentTab() === 'label' && void reload());
}
