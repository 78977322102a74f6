/** Small shared views: score bars. */
import type { ConceptScore } from '../src/index.js';
import { h } from './dom.js';

/** One bar per concept, highest first, with the score as text (the bar is decoration). */
export function scoreBars(scores: ConceptScore[]): HTMLElement {
  return h(
    'ul',
    { class: 'scores' },
    ...scores.map(({ concept, score }) =>
      h('li', {}, h('span', { class: 'name' }, concept), h('span', { class: 'bar', 'aria-hidden': 'true' }, h('span', { style: `width:${(score * 100).toFixed(1)}%` })), h('span', { class: 'value' }, score.toFixed(2))),
    ),
  );
}
