/**
 * Head versions with their metrics: validation macro-F1 from training and macro-F1 on the fixed held-out reviews
 * (comparable across versions). Any one can be made active; stale ones (a concept renamed since) are flagged.
 */
import { deleteHead, evaluate, headOf, isAdapterFile, listHeads, loadHead, type HeadSummary } from '../../src/index.js';
import { errorText, h, pct } from '../dom.js';
import { activate } from '../heads.js';
import { labelledSides } from '../heldout.js';
import { adapterScores, headScores } from '../scoring.js';
import { state } from '../state.js';
import { toast } from '../toast.js';

const heldOutF1 = new Map<string, string>();

async function scoreHeldOut(id: string): Promise<string> {
  if (heldOutF1.has(id)) return heldOutF1.get(id)!;
  const file = await loadHead(id, state.ds);
  const head = headOf(file);
  const { test, allTrain } = await labelledSides();
  const known = test.filter((e) => e.labels.every((l) => head.concepts.includes(l)));
  if (!known.length) return '–';
  const texts = known.map((e) => e.text);
  const scores = isAdapterFile(file) ? await adapterScores(file, texts) : await headScores(head, texts);
  const r = evaluate(known.map((e) => e.labels), scores, head.concepts, { problemType: head.problemType, curves: false });
  const text = `${pct(r.macroF1)}${allTrain ? '*' : ''}`;
  heldOutF1.set(id, text);
  return text;
}

function row(s: HeadSummary): HTMLTableRowElement {
  const v = s.metrics?.validation as { macroF1?: number; rows?: number } | undefined;
  const active = state.activeHeadId === s.id;
  const held = h('td', { class: 'num held' }, '…');
  void scoreHeldOut(s.id).then((t) => (held.textContent = t), () => (held.textContent = '–'));
  // A LoRA version changes the encoder itself; the app's fast re-scoring (cached vectors + head) cannot apply it.
  const lora = s.type === 'lora';
  const make = h(
    'button',
    { type: 'button', class: 'small', disabled: active || lora, title: lora ? 'LoRA versions run through createClassifier({ head }) or the CLI' : '', onclick: () => void activate(s.id).then(() => state.emit('heads')) },
    active ? 'Active' : 'Make active',
  );
  const del = h('button', { type: 'button', class: 'small danger', 'aria-label': `Delete ${s.name ?? s.id}` }, 'Delete');
  del.addEventListener('click', async () => {
    try {
      await deleteHead(s.id, state.ds);
      if (active) await activate(null);
      state.emit('heads');
    } catch (err) {
      toast(errorText(err), 'error');
    }
  });
  return h(
    'tr',
    { class: active ? 'active' : '', 'data-head': s.id },
    h('td', {}, s.name ?? s.id, s.stale ? h('span', { class: 'badge warn', title: s.staleReason ?? '' }, 'stale') : ''),
    h('td', {}, new Date(s.createdAt).toLocaleString()),
    h('td', {}, s.type),
    h('td', {}, s.concepts.join(', ')),
    h('td', { class: 'num' }, v?.macroF1 !== undefined ? pct(v.macroF1) : '–'),
    held,
    h('td', { class: 'actions' }, make, del),
  );
}

export function headVersionsCard(): HTMLElement {
  const body = h('tbody');
  const note = h('p', { class: 'hint' });
  const render = async () => {
    const heads = (await listHeads(state.ds)).sort((a, b) => b.createdAt - a.createdAt);
    body.replaceChildren(...heads.map(row));
    if (!heads.length) body.append(h('tr', {}, h('td', { colspan: 7, class: 'muted' }, 'No heads yet. Until you train one, the model’s own concepts score reviews.')));
    const { allTrain } = await labelledSides();
    note.textContent = allTrain ? '* Too few held-out reviews yet: scored on the training reviews, so optimistic.' : 'Held-out: the same 20 % of labelled reviews for every version.';
  };
  state.on('examples', () => heldOutF1.clear());
  for (const ev of ['heads', 'active', 'model'] as const) state.on(ev, () => void render());
  void render();
  return h(
    'div',
    { class: 'card wide' },
    h('h2', {}, 'Head versions'),
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'heads' },
        h('thead', {}, h('tr', {}, ...['Name', 'Trained', 'Type', 'Concepts', 'Validation F1', 'Held-out F1', ''].map((t) => h('th', { scope: 'col' }, t)))),
        body,
      ),
    ),
    note,
  );
}
