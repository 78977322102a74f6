/**
 * Hosted panel ([D]): deep-train a Clarifai text-classifier on the labelled reviews, follow it, and compare it with
 * the local head on the same held-out reviews. The PAT stays in memory unless the user ticks "remember for this tab"
 * (sessionStorage, via the client's `patStorage`); it is never written to IndexedDB, exports or the page.
 */
import {
  compareOnHeldOut,
  createClassifier,
  deepTrain,
  listExamples,
  type Classifier,
  type DeepTrainProgress,
  type EvalReport,
} from '../../src/index.js';
import { errorText, h, isAbort, pct } from '../dom.js';
import { state } from '../state.js';

function field(label: string, input: HTMLInputElement, hint = ''): HTMLElement {
  return h('label', { class: 'field' }, h('span', {}, label), input, hint ? h('small', { class: 'muted' }, hint) : null);
}

function describe(p: DeepTrainProgress): string {
  switch (p.step) {
    case 'sync':
      return `Syncing reviews: ${p.sync.done} of ${p.sync.total}`;
    case 'training':
      return `Training on Clarifai: ${p.training.description || p.training.state}`;
    default:
      return { app: 'Opening the app…', dataset: 'Opening the dataset…', snapshot: 'Snapshotting the dataset…', start: 'Starting training…' }[p.step];
  }
}

function comparison(concepts: string[], local: EvalReport, hosted: EvalReport): HTMLElement {
  const row = (name: string, l: string, r: string) => h('tr', {}, h('th', { scope: 'row' }, name), h('td', {}, l), h('td', {}, r));
  return h(
    'table',
    { class: 'metrics', id: 'hosted-compare' },
    h('thead', {}, h('tr', {}, h('th', {}, ''), h('th', { scope: 'col' }, 'Local head'), h('th', { scope: 'col' }, 'Hosted model'))),
    h(
      'tbody',
      {},
      row('Accuracy', pct(local.accuracy), pct(hosted.accuracy)),
      row('Macro F1', pct(local.macroF1), pct(hosted.macroF1)),
      ...concepts.map((c) => row(`F1 · ${c}`, pct(local.perConcept[c]?.f1 ?? 0), pct(hosted.perConcept[c]?.f1 ?? 0))),
    ),
  );
}

export function initHostedPanel(root: HTMLElement): void {
  const pat = h('input', { type: 'password', id: 'hosted-pat', autocomplete: 'off', required: true });
  const app = h('input', { type: 'text', id: 'hosted-app', value: 'inpage-reviews', required: true });
  const user = h('input', { type: 'text', id: 'hosted-user', value: 'me' });
  const base = h('input', { type: 'url', id: 'hosted-base', value: 'https://api.clarifai.com' });
  const remember = h('input', { type: 'checkbox', id: 'hosted-remember' });
  const status = h('p', { id: 'hosted-status', role: 'status' }, 'Not started.');
  const result = h('div', { id: 'hosted-result' });
  const start = h('button', { type: 'submit', class: 'primary', id: 'hosted-start' }, 'Sync and train on Clarifai');
  const cancel = h('button', { type: 'button', id: 'hosted-cancel', disabled: true }, 'Cancel');
  let job: ReturnType<typeof deepTrain> | null = null;

  async function run(ev: Event): Promise<void> {
    ev.preventDefault();
    const client = {
      pat: pat.value.trim(),
      patStorage: remember.checked ? ('session' as const) : ('memory' as const),
      userId: user.value.trim() || 'me',
      appId: app.value.trim(),
      baseUrl: base.value.trim() || undefined,
    };
    start.disabled = true;
    cancel.disabled = false;
    result.replaceChildren();
    let hosted: Classifier | null = null;
    let local: Classifier | null = null;
    try {
      job = deepTrain({ ...client, source: { listExamples: () => listExamples({}, state.ds) }, onProgress: (p) => (status.textContent = describe(p)) });
      const trained = await job;
      status.textContent = `Trained: model ${trained.modelId}, version ${trained.modelVersionId}. Comparing on held-out reviews…`;
      hosted = await createClassifier({ hosted: { ...client, modelId: trained.modelId, versionId: trained.modelVersionId } });
      local = state.activeHead ? await createClassifier({ head: state.activeHead }) : null;
      const examples = await listExamples({}, state.ds);
      const report = await compareOnHeldOut(examples, local ?? (await state.classifier()), hosted);
      result.replaceChildren(
        h('p', {}, `${report.ids.length} held-out reviews (chosen by a hash of their ids, so the split stays fixed as data grows).`),
        comparison(report.concepts, report.local, report.hosted),
      );
      status.textContent = `Trained: model ${trained.modelId}, version ${trained.modelVersionId}.`;
    } catch (err) {
      status.textContent = isAbort(err) ? 'Cancelled.' : `Failed: ${errorText(err)}`;
    } finally {
      job = null;
      await hosted?.dispose();
      await local?.dispose();
      start.disabled = false;
      cancel.disabled = true;
    }
  }

  root.append(
    h(
      'form',
      { class: 'card', id: 'hosted-form', onsubmit: (ev: Event) => void run(ev) },
      h('h2', {}, 'Deep training on Clarifai'),
      h('p', { class: 'muted' }, 'Your labelled reviews go to your Clarifai app only when you press the button. The token stays in this tab’s memory unless you ask to remember it for the tab.'),
      field('Personal access token', pat),
      field('App id', app, 'Created if it does not exist.'),
      field('User id', user),
      field('API base URL', base, 'Your own proxy, or the API itself.'),
      h('label', { class: 'check' }, remember, ' Remember the token for this tab (sessionStorage)'),
      h('div', { class: 'actions' }, start, cancel),
      status,
      result,
    ),
  );
  cancel.addEventListener('click', () => job?.cancel());
}
