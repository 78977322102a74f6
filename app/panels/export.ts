/** Step 5: take it with you: predictions CSV, the data, the head file, and a transformers.js model folder. */
import { exportExamples, exportHead, exportPredictions } from '../../src/index.js';
import { errorText, h } from '../dom.js';
import { download, slug } from '../download.js';
import { modelFolderZip } from '../model-folder.js';
import { state } from '../state.js';
import { toast } from '../toast.js';

function action(label: string, id: string, needsHead: boolean, fn: () => Promise<void>): HTMLButtonElement {
  const b = h('button', { type: 'button', id, 'data-needs-head': needsHead ? 'true' : null }, label);
  b.addEventListener('click', async () => {
    b.disabled = true;
    const text = b.textContent;
    b.textContent = 'Preparing…';
    try {
      await fn();
    } catch (err) {
      toast(errorText(err), 'error');
    } finally {
      b.textContent = text;
      b.disabled = needsHead && !state.activeHead;
    }
  });
  return b;
}

export function initExportPanel(root: HTMLElement): void {
  const headName = () => slug(state.activeHeadName || 'head');
  const buttons = [
    action('Predictions (CSV)', 'export-predictions', true, async () => {
      const clf = await state.classifier();
      download(`predictions-${headName()}.csv`, await exportPredictions(clf, state.activeHead!, { format: 'csv', cache: state.cache }, state.ds), 'text/csv');
    }),
    action('Labelled data (CSV)', 'export-csv', false, async () => download('reviews.csv', await exportExamples({ format: 'csv' }, state.ds), 'text/csv')),
    action('Labelled data (JSONL)', 'export-jsonl', false, async () => download('reviews.jsonl', await exportExamples({ format: 'jsonl' }, state.ds), 'application/x-ndjson')),
    action('Head file (JSON)', 'export-head', true, async () => download(`${headName()}.json`, await exportHead(state.activeHeadId!, state.ds), 'application/json')),
    action('Model folder (transformers.js, zip)', 'export-model', true, async () => {
      const clf = await state.classifier();
      const id = `${clf.info.modelId}-classifier`;
      download(`${id}.zip`, (await modelFolderZip(clf.info.source, state.activeHead!, id)) as BlobPart, 'application/zip');
    }),
  ];
  const note = h('p', { class: 'muted', id: 'export-note' });
  const sync = () => {
    for (const b of buttons) if (b.dataset.needsHead) b.disabled = !state.activeHead;
    note.textContent = state.activeHead ? `Active head: “${state.activeHeadName}” (${state.activeHead.concepts.join(', ')}).` : 'Train a head (step 3) to export predictions, the head and the model folder.';
  };
  state.on('active', sync);
  sync();
  root.append(
    h(
      'div',
      { class: 'card' },
      h('h2', {}, 'Export'),
      note,
      h('ul', { class: 'export-list' }, ...buttons.map((b, i) => h('li', {}, b, h('span', { class: 'hint' }, DESCRIPTIONS[i])))),
    ),
  );
}

const DESCRIPTIONS = [
  'Every review with its label, the predicted concept and one score column per concept.',
  'id, text, labels (joined with |), source, dates: re-importable here.',
  'One JSON object per line, the same fields.',
  'The head alone: createClassifier({ head }) or the CLI’s --head.',
  'Encoder + head as one text-classification model: pipeline("text-classification", folder) in transformers.js.',
];
