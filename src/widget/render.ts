/**
 * The widget's DOM: built with createElement and textContent only. Concept names come from a model or head file and
 * review text never reaches the DOM, so nothing anyone types or ships is ever parsed as HTML.
 */
import type { ConceptScore } from '../types.js';

/** The parts of the shadow tree the element updates. */
export interface View {
  list: HTMLUListElement;
  status: HTMLParagraphElement;
}

/**
 * Builds the shadow tree: a slot (for a field placed inside the element), the concept list and a status line.
 * @example const view = buildView(this.attachShadow({ mode: 'open' }));
 */
export function buildView(root: ShadowRoot): View {
  const slot = document.createElement('slot');
  const list = document.createElement('ul');
  list.setAttribute('part', 'list');
  list.setAttribute('aria-label', 'Concepts');
  const status = document.createElement('p');
  status.className = 'status';
  status.setAttribute('part', 'status');
  status.setAttribute('role', 'status');
  root.replaceChildren(slot, list, status);
  return { list, status };
}

/**
 * Shows each concept with its score as a meter and a number.
 * @example renderConcepts(view.list, [{ concept: 'positive', score: 0.93 }]);
 */
export function renderConcepts(list: HTMLUListElement, concepts: readonly ConceptScore[]): void {
  list.replaceChildren(
    ...concepts.map(({ concept, score }) => {
      const row = document.createElement('li');
      row.setAttribute('part', 'concept');
      row.dataset.concept = concept;
      const label = document.createElement('span');
      label.setAttribute('part', 'label');
      label.textContent = concept;
      const meter = document.createElement('meter');
      meter.setAttribute('part', 'meter');
      meter.min = 0;
      meter.max = 1;
      meter.value = score;
      meter.setAttribute('aria-label', concept);
      const value = document.createElement('span');
      value.className = 'score';
      value.setAttribute('part', 'score');
      value.textContent = score.toFixed(2);
      row.append(label, meter, value);
      return row;
    }),
  );
}
