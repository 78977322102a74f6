/** Type a review, see its concepts live: the quickest check of the active head. */
import { h } from '../dom.js';
import { scoreTexts } from '../scoring.js';
import { state } from '../state.js';
import { scoreBars } from '../widgets.js';

export function tryItCard(): HTMLElement {
  const text = h('textarea', { id: 'try-text', rows: 3 });
  text.value = 'The battery died after two days, but support replaced it quickly.';
  const out = h('div', { class: 'try-out', 'aria-live': 'polite', id: 'try-out' });
  let seq = 0;
  const run = async () => {
    const mine = ++seq;
    if (!state.clf) return;
    const [scores] = await scoreTexts([text.value]);
    if (mine === seq) out.replaceChildren(scoreBars(scores));
  };
  let t: ReturnType<typeof setTimeout> | undefined;
  text.addEventListener('input', () => (clearTimeout(t), (t = setTimeout(run, 150))));
  state.on('model', () => void run());
  state.on('active', () => void run());
  void run();
  return h('div', { class: 'card' }, h('h2', {}, 'Try a review'), h('label', { for: 'try-text' }, 'Review'), text, out);
}
