/**
 * False positives and negatives at the threshold, most confident first, each with the words that drove its score
 * (occlusion: red words pushed the score up, blue ones down).
 */
import type { EvalReport, Example } from '../../src/index.js';
import { errorText, h } from '../dom.js';
import { wordImpacts } from '../occlusion.js';

type EvalError = EvalReport['falsePositives'][number];

const SHOWN = 6;

function highlighted(text: string, concept: string): HTMLElement & { run: () => Promise<void> } {
  const p = h('p', { class: 'occluded' }, text);
  const run = async () => {
    try {
      const impacts = await wordImpacts(text, concept);
      const max = Math.max(1e-6, ...impacts.map((w) => Math.abs(w.delta)));
      p.replaceChildren(
        ...impacts.flatMap(({ word, delta }) => {
          const a = Math.abs(delta) / max;
          const color = delta > 0 ? `rgba(217, 72, 15, ${a * 0.6})` : `rgba(47, 91, 211, ${a * 0.6})`;
          return [h('span', { class: 'word', style: `background:${color}`, title: `${delta >= 0 ? '+' : ''}${delta.toFixed(3)} for ${concept}` }, word), ' '];
        }),
      );
      const top = [...impacts].sort((a, b) => b.delta - a.delta).slice(0, 3).filter((w) => w.delta > 0);
      p.after(h('p', { class: 'hint drivers' }, top.length ? `Drove “${concept}”: ${top.map((w) => `${w.word} (+${w.delta.toFixed(2)})`).join(', ')}` : 'No single word drove it.'));
    } catch (err) {
      p.after(h('p', { class: 'error' }, errorText(err)));
    }
  };
  return Object.assign(p, { run });
}

export function errorsList(title: string, errs: EvalError[], byId: Map<string, Example>, kind: 'fp' | 'fn'): { el: HTMLElement; explain: () => Promise<void> } {
  const items = errs.slice(0, SHOWN).map((e) => {
    const ex = byId.get(e.id);
    const text = highlighted(ex?.text ?? e.id, e.concept);
    const what = kind === 'fp' ? `predicted ${e.concept} (${e.score.toFixed(2)}), labelled ${ex?.labels.join(', ')}` : `labelled ${e.concept}, scored ${e.score.toFixed(2)}`;
    return { li: h('li', { class: 'err' }, h('p', { class: 'meta' }, what), text), text };
  });
  const legend = h('p', { class: 'hint' }, 'Shaded words changed the score most when removed: ', h('span', { class: 'word up' }, 'raised it'), ' · ', h('span', { class: 'word down' }, 'lowered it'));
  const el = h('div', { class: 'errors' }, h('h3', {}, `${title} (${errs.length})`), items.length ? legend : null, items.length ? h('ol', {}, ...items.map((i) => i.li)) : h('p', { class: 'muted' }, 'None at this threshold.'));
  // Occlusion costs one embed batch per review: run them one after the other, after the table is on screen.
  const explain = async () => {
    for (const i of items) await i.text.run();
  };
  return { el, explain };
}
