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

/**
 * True in the widget bundle (`vite.widget.config.ts` defines it): that build ships the default model beside itself.
 * Elsewhere (dev server, `tsc` output, a user's bundle) it is undeclared and the default model is page-relative.
 */
declare const __INPAGE_ASSETS_BESIDE_BUNDLE__: boolean | undefined;

// `.js`, not `.ts`: compiled `dist/lib` has only the `.js` file, and Vite maps `.js` to the `.ts` source in dev.
// A literal URL relative to import.meta.url is the pattern bundlers (Vite, webpack 5) follow to emit the worker.
const defaultWorker: WorkerFactory = () =>
  new Worker(new URL('../workers/inference.worker.js', import.meta.url), { type: 'module', name: 'inpage-classifier' });

/** Resolves a model or head location against the page, so the worker (whose base URL differs) gets an absolute URL. */
function absolute(ref: string): string {
  return new URL(ref, document.baseURI).href;
}

/** The shipped model: beside the widget bundle when built as one, else at `models/…` next to the page. */
function defaultModel(): string {
  const beside = typeof __INPAGE_ASSETS_BESIDE_BUNDLE__ === 'boolean' && __INPAGE_ASSETS_BESIDE_BUNDLE__;
  // Not a string literal, so bundlers leave it alone: the folder is copied beside the bundle, not emitted as an asset.
  return beside ? new URL(DEFAULT_MODEL_PATH, import.meta.url).href : absolute(DEFAULT_MODEL_PATH);
}

/** Where a worker should load `model` from: a hub id as it is, anything else absolute; default the shipped model. */
export function modelLocation(model?: string): string {
  const m = model ?? defaultModel();
  return isHubId(m) ? m : absolute(m);
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
  // Loaded on demand: the hosted client is not part of every page's main-thread bundle.
  if (options.hosted) return (await import('./hosted/create-hosted.js')).createHostedClassifier(options.hosted, options.onProgress);
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
        model: modelLocation(options.model),
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
