/**
 * Browser entry: `createClassifier` runs tokenization and inference in a module web worker.
 */
import { Classifier } from './classifier.js';
import { CancelledError } from './errors.js';
import { DEFAULT_MODEL_PATH } from './model/default-model.js';
import { isHubId } from './model/hub.js';
import { checkOptions, type ClassifierOptions } from './options.js';
import { WorkerBackend, type WorkerFactory } from './worker-client.js';

export interface BrowserClassifierOptions extends ClassifierOptions {
  /** Creates the inference worker. Default: the bundled `workers/inference.worker.ts`. */
  workerFactory?: WorkerFactory;
}

const defaultWorker: WorkerFactory = () =>
  new Worker(new URL('../workers/inference.worker.ts', import.meta.url), { type: 'module', name: 'inpage-classifier' });

/** Resolves a model or head location against the page, so the worker (whose base URL differs) gets an absolute URL. */
function absolute(ref: string): string {
  return new URL(ref, document.baseURI).href;
}

/**
 * Loads a model in a new worker and resolves when it can classify.
 * @example
 * const clf = await createClassifier();
 * const [r] = await clf.classify(['The battery died after a day.']);
 * console.log(r.concepts[0]); // { concept: 'negative', score: 0.9 }
 */
export async function createClassifier(options: BrowserClassifierOptions = {}): Promise<Classifier> {
  checkOptions(options);
  const started = performance.now();
  const backend = new WorkerBackend(options.workerFactory ?? defaultWorker);
  const { signal } = options;
  // Cancelling a load terminates its worker: downloads stop at once and nothing is committed to the cache.
  const onAbort = () => backend.abortLoad();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    if (signal?.aborted) throw new CancelledError('Model loading was cancelled.');
    const loaded = await backend.load(
      {
        model: isHubId(options.model ?? '') ? options.model! : absolute(options.model ?? DEFAULT_MODEL_PATH),
        hubUrl: options.hubUrl,
        revision: options.revision,
        cache: options.cache,
        offline: options.offline,
        head: typeof options.head === 'string' ? absolute(options.head) : options.head,
        device: options.device ?? 'auto',
        dtype: options.dtype ?? 'auto',
        threads: options.threads,
      },
      options.onProgress,
    );
    return new Classifier(backend, loaded, performance.now() - started);
  } catch (err) {
    await backend.dispose();
    throw err;
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}
