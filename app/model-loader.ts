/** Loads the default model once, reporting progress to the header chip and the Model panel. */
import { createClassifier, type Progress } from '../src/index.js';
import { errorText } from './dom.js';
import { state } from './state.js';

export interface LoadStatus {
  phase: 'loading' | 'ready' | 'failed';
  progress: Progress | null;
  /** Bytes downloaded per file during this load (empty when every file came from the cache). */
  files: Map<string, { loaded: number; total: number }>;
  error?: string;
}

export const loadStatus: LoadStatus = { phase: 'loading', progress: null, files: new Map() };
const listeners = new Set<() => void>();
export const onLoadStatus = (fn: () => void) => listeners.add(fn);
const changed = () => listeners.forEach((fn) => fn());

export async function loadModel(): Promise<void> {
  try {
    state.clf = await createClassifier({
      onProgress: (p) => {
        loadStatus.progress = p;
        if (p.file) loadStatus.files.set(p.file, { loaded: p.loaded, total: p.total });
        changed();
      },
    });
    loadStatus.phase = 'ready';
    changed();
    state.emit('model');
  } catch (err) {
    loadStatus.phase = 'failed';
    loadStatus.error = errorText(err);
    changed();
  }
}
