/** Import CSV/JSONL by file picker or drag and drop, streamed in the data worker, with the import report. */
import { importRows, type ImportReport } from '../../src/index.js';
import { errorText, h, isAbort } from '../dom.js';
import { state } from '../state.js';

function reportView(file: string, r: ImportReport): HTMLElement {
  const reasons = Object.entries(r.reasons).map(([k, v]) => h('li', {}, `${v} × ${k}`));
  const examples = r.rejections.slice(0, 5).map((x) => h('li', {}, `row ${x.index + 1}: ${x.reason}${x.detail ? ` (${x.detail})` : ''}`));
  return h(
    'div',
    { class: 'report', 'data-testid': 'import-report' },
    h('p', {}, h('strong', {}, file), ` · ${r.rows} rows read in ${(r.ms / 1000).toFixed(1)} s`),
    h(
      'dl',
      { class: 'stats' },
      h('div', {}, h('dt', {}, 'added'), h('dd', {}, r.added)),
      h('div', {}, h('dt', {}, 'updated'), h('dd', {}, r.updated)),
      h('div', {}, h('dt', {}, 'rejected'), h('dd', {}, r.rejected)),
    ),
    h('p', { class: 'muted' }, `New concepts: ${r.newConcepts.join(', ') || 'none'}`),
    reasons.length ? h('details', {}, h('summary', {}, 'Why rows were rejected'), h('ul', {}, ...reasons), h('ul', { class: 'muted' }, ...examples)) : null,
  );
}

export function importCard(): HTMLElement {
  const input = h('input', { type: 'file', id: 'import-file', accept: '.csv,.jsonl,.json,.txt,text/csv,application/json' });
  const bar = h('progress', { max: 1, value: 0, 'aria-label': 'Import progress' });
  const out = h('div', { class: 'import-out', 'aria-live': 'polite' });
  const cancel = h('button', { type: 'button', disabled: true }, 'Cancel');
  let job: ReturnType<typeof importRows> | null = null;

  const run = async (file: File) => {
    job?.cancel();
    bar.value = 0;
    out.replaceChildren(h('p', {}, `Importing ${file.name}…`));
    cancel.disabled = false;
    const onProgress = (p: { loaded: number; total: number }) => (bar.value = p.total ? p.loaded / p.total : 0);
    const current = importRows(file, { onProgress, source: `import:${file.name}` }, state.ds);
    job = current;
    cancel.onclick = () => current.cancel();
    try {
      const report = await current;
      bar.value = 1;
      out.replaceChildren(reportView(file.name, report));
      state.emit('concepts');
      state.emit('examples');
    } catch (err) {
      out.replaceChildren(h('p', { class: 'error' }, isAbort(err) ? 'Import cancelled; nothing was kept.' : errorText(err)));
    } finally {
      if (job === current) cancel.disabled = true;
    }
  };
  input.addEventListener('change', () => input.files?.[0] && void run(input.files[0]));

  const drop = h(
    'div',
    { class: 'drop', 'data-testid': 'drop-zone' },
    h('p', {}, 'Drop a CSV or JSONL file here, or '),
    h('label', { for: 'import-file', class: 'button' }, 'choose a file'),
    input,
    h('p', { class: 'hint' }, 'Columns: text and labels (labels split on | or ;). Rows without labels wait to be labelled.'),
  );
  drop.addEventListener('dragover', (e) => (e.preventDefault(), drop.classList.add('over')));
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    const file = e.dataTransfer?.files[0];
    if (file) void run(file);
  });
  return h('div', { class: 'card' }, h('h2', {}, 'Import a file'), drop, h('div', { class: 'row' }, bar, cancel), out);
}
