/** Paste or type reviews, one per line, optionally all with one label. */
import { addExamples, listConcepts } from '../../src/index.js';
import { errorText, h } from '../dom.js';
import { state } from '../state.js';
import { toast } from '../toast.js';

export function addReviewsCard(): HTMLElement {
  const text = h('textarea', { id: 'paste', rows: 4, placeholder: 'One review per line…' });
  const label = h('select', { id: 'paste-label' });
  const refreshLabels = async () => {
    const concepts = await listConcepts(state.ds);
    label.replaceChildren(h('option', { value: '' }, 'unlabelled'), ...concepts.map((c) => h('option', { value: c.name }, c.name)));
  };
  state.on('concepts', () => void refreshLabels());
  void refreshLabels();
  const add = async () => {
    const lines = text.value.split('\n').map((l) => l.trim()).filter(Boolean);
    if (!lines.length) return toast('Type or paste at least one review.', 'error');
    // Taken out of the box at once, so text typed while the write runs is not wiped by it.
    const typed = text.value;
    text.value = '';
    try {
      await addExamples(lines.map((t) => ({ text: t, labels: label.value ? [label.value] : [], source: 'paste' })), state.ds);
      toast(`Added ${lines.length} review${lines.length > 1 ? 's' : ''}.`);
      state.emit('examples');
    } catch (err) {
      if (!text.value) text.value = typed;
      toast(errorText(err), 'error');
    }
  };
  text.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void add();
  });
  return h(
    'div',
    { class: 'card' },
    h('h2', {}, 'Paste or type'),
    h('label', { for: 'paste' }, 'Reviews, one per line'),
    text,
    h('div', { class: 'row' }, h('label', { for: 'paste-label' }, 'Label them as'), label),
    h('div', { class: 'row' }, h('button', { type: 'button', class: 'primary', onclick: () => void add() }, 'Add reviews'), h('span', { class: 'hint' }, h('kbd', {}, 'Ctrl'), '+', h('kbd', {}, 'Enter'))),
  );
}
