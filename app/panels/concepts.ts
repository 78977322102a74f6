/**
 * The concepts editor: add (with an optional description, used by the zero-shot start), rename, merge, delete.
 * Renames and merges move the examples' labels; heads trained on the old names are marked stale by the library.
 */
import { countExamples, deleteConcept, listConcepts, mergeConcepts, renameConcept, setConcept, type Concept } from '../../src/index.js';
import { errorText, h } from '../dom.js';
import { state } from '../state.js';
import { currentTab, onShow } from '../tabs.js';
import { toast } from '../toast.js';

async function run(what: () => Promise<unknown>, done: string): Promise<void> {
  try {
    await what();
    toast(done);
    state.emit('concepts');
    state.emit('examples');
    state.emit('heads');
  } catch (err) {
    toast(errorText(err), 'error');
  }
}

function conceptRow(c: Concept, count: number, selected: Set<string>): HTMLElement {
  const check = h('input', { type: 'checkbox', 'aria-label': `Select ${c.name} to merge` });
  check.addEventListener('change', () => (check.checked ? selected.add(c.name) : selected.delete(c.name)));
  const name = h('span', { class: 'concept-name' }, c.name);
  const li = h('li', { 'data-concept': c.name });
  const rename = h('button', { type: 'button', class: 'small' }, 'Rename');
  rename.addEventListener('click', () => {
    const field = h('input', { type: 'text', value: c.name, 'aria-label': `New name for ${c.name}` });
    const commit = () => {
      const to = field.value.trim();
      if (to && to !== c.name) void run(() => renameConcept(c.name, to, state.ds), `Renamed ${c.name} to ${to}.`);
      else state.emit('concepts');
    };
    field.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') commit();
      if (e.key === 'Escape') state.emit('concepts');
    });
    name.replaceWith(field);
    rename.textContent = 'Save';
    rename.onclick = commit;
    field.focus();
    field.select();
  }, { once: true });
  const del = h('button', { type: 'button', class: 'small danger' }, 'Delete');
  del.addEventListener('click', () => {
    // Two clicks, no modal: the second confirms (a deletion unlabels its examples).
    if (del.dataset.armed) return void run(() => deleteConcept(c.name, state.ds), `Deleted ${c.name}; its ${count} examples are unlabelled.`);
    del.dataset.armed = '1';
    del.textContent = `Delete (unlabels ${count})?`;
  });
  li.append(check, name, h('span', { class: 'count' }, `${count}`), c.description ? h('span', { class: 'muted desc' }, c.description) : '', h('span', { class: 'actions' }, rename, del));
  return li;
}

export function conceptsCard(): HTMLElement {
  const list = h('ul', { class: 'concepts', 'aria-label': 'Concepts' });
  const selected = new Set<string>();
  const render = async () => {
    selected.clear();
    const concepts = await listConcepts(state.ds);
    const counts = await Promise.all(concepts.map((c) => countExamples({ concept: c.name }, state.ds)));
    list.replaceChildren(...concepts.map((c, i) => conceptRow(c, counts[i], selected)));
    if (!concepts.length) list.append(h('li', { class: 'muted' }, 'No concepts yet: add two or more (e.g. negative, positive), or import labelled rows.'));
  };
  // Counting scans every example: do it when the Data tab is on screen, not on every label elsewhere.
  let stale = true;
  const refresh = () => (currentTab() === 'data' ? ((stale = false), void render()) : (stale = true));
  state.on('concepts', refresh);
  state.on('examples', refresh);
  onShow('data', () => stale && ((stale = false), void render()));

  const name = h('input', { type: 'text', id: 'concept-name', placeholder: 'e.g. negative', autocomplete: 'off' });
  const desc = h('input', { type: 'text', id: 'concept-desc', placeholder: 'optional: the customer is unhappy', autocomplete: 'off' });
  const add = h(
    'form',
    { class: 'stack' },
    h('label', { for: 'concept-name' }, 'New concept'),
    name,
    h('label', { for: 'concept-desc' }, 'Description (helps the first suggestions)'),
    h('div', { class: 'row tight' }, desc, h('button', { type: 'submit' }, 'Add')),
  );
  add.addEventListener('submit', (e) => {
    e.preventDefault();
    const n = name.value.trim();
    if (!n) return;
    void run(() => setConcept({ name: n, description: desc.value.trim() || undefined }, state.ds), `Added ${n}.`).then(() => {
      name.value = desc.value = '';
      name.focus();
    });
  });
  const into = h('input', { type: 'text', id: 'merge-into', placeholder: 'merged name', autocomplete: 'off' });
  const merge = h('form', { class: 'stack' }, h('label', { for: 'merge-into' }, 'Merge the ticked concepts into'), h('div', { class: 'row tight' }, into, h('button', { type: 'submit' }, 'Merge')));
  merge.addEventListener('submit', (e) => {
    e.preventDefault();
    const to = into.value.trim();
    if (selected.size < 1 || !to) return toast('Tick the concepts to merge and name the result.', 'error');
    void run(() => mergeConcepts([...selected], to, state.ds), `Merged ${[...selected].join(', ')} into ${to}.`).then(() => (into.value = ''));
  });
  return h('div', { class: 'card' }, h('h2', {}, 'Concepts'), list, add, merge);
}
