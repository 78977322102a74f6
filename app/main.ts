/** The bare app: textarea in, concepts out. Uses only the public API. */
import { createClassifier, type ClassifyResult } from '../src/index.js';

const textarea = document.querySelector<HTMLTextAreaElement>('#review')!;
const list = document.querySelector<HTMLElement>('#concepts')!;
const status = document.querySelector<HTMLElement>('#status')!;

function render(result: ClassifyResult): void {
  list.replaceChildren(
    ...result.concepts.map(({ concept, score }) => {
      const row = document.createElement('div');
      row.className = 'concept';
      const name = document.createElement('span');
      name.textContent = concept;
      const bar = document.createElement('meter');
      bar.min = 0;
      bar.max = 1;
      bar.value = score;
      const value = document.createElement('span');
      value.textContent = score.toFixed(3);
      row.append(name, bar, value);
      return row;
    }),
  );
}

const clf = await createClassifier({
  onProgress: (p) => {
    status.textContent = p.phase === 'download' ? `Downloading ${p.file ?? ''}… ${Math.round(p.loaded / 1024)} KiB` : 'Loading…';
  },
});
const { info } = clf;
status.textContent = `${info.modelId} · ${info.device} (${info.deviceReason}) · ${info.dtype} · ${info.threads} thread(s) · loaded in ${Math.round(info.loadMs)} ms`;

let timer: ReturnType<typeof setTimeout> | undefined;
let current: ReturnType<typeof clf.classify> | undefined;
async function update(): Promise<void> {
  current?.cancel();
  const job = clf.classify([textarea.value]);
  current = job;
  try {
    const [result] = await job;
    render(result);
    document.body.dataset.state = 'classified';
  } catch (err) {
    if ((err as Error).name !== 'AbortError') status.textContent = `Error: ${(err as Error).message}`;
  }
}
textarea.addEventListener('input', () => {
  clearTimeout(timer);
  timer = setTimeout(update, 150);
});
void update();
