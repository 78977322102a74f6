/**
 * The concept-by-concept (confusion) matrix of top predictions: rows are true concepts, columns predicted ones.
 * A cell is a button: it lists its reviews below. Shades scale with the row's share, so rare concepts show too.
 */
import type { Example } from '../../src/index.js';
import { h } from '../dom.js';

export function confusionMatrix(rows: Example[], scores: Float32Array, concepts: string[], show: (title: string, items: Example[]) => void): HTMLElement {
  const C = concepts.length;
  const cells = concepts.map(() => concepts.map(() => [] as Example[]));
  rows.forEach((e, i) => {
    let best = 0;
    for (let k = 1; k < C; k++) if (scores[i * C + k] > scores[i * C + best]) best = k;
    for (const l of e.labels) cells[concepts.indexOf(l)]?.[best]?.push(e);
  });
  const body = cells.map((line, t) => {
    const total = line.reduce((s, c) => s + c.length, 0) || 1;
    return h(
      'tr',
      {},
      h('th', { scope: 'row' }, concepts[t]),
      ...line.map((items, p) => {
        const share = items.length / total;
        const bg = t === p ? `rgba(47, 91, 211, ${0.1 + 0.8 * share})` : `rgba(217, 72, 15, ${items.length ? 0.1 + 0.8 * share : 0})`;
        return h(
          'td',
          {},
          h(
            'button',
            {
              type: 'button',
              class: `cell${share > 0.55 ? ' dark' : ''}`,
              style: `background:${bg}`,
              'aria-label': `${items.length} reviews labelled ${concepts[t]} predicted ${concepts[p]}`,
              'data-true': concepts[t],
              'data-pred': concepts[p],
              onclick: () => show(`Labelled ${concepts[t]}, predicted ${concepts[p]}`, items),
            },
            String(items.length),
          ),
        );
      }),
    );
  });
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'confusion', id: 'confusion' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, h('span', { class: 'muted' }, 'true ↓ / predicted →')), ...concepts.map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, ...body),
    ),
  );
}
