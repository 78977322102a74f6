/**
 * Node entry: the same Classifier API, with the engine in-process on onnxruntime-web's Node (WASM) build.
 */
import { join } from 'node:path';
import { Classifier } from '../classifier.js';
import { EngineHost } from '../infer/host.js';
import { DEFAULT_MODEL_PATH } from '../model/default-model.js';
import { fetchFile } from '../model/source.js';
import { checkOptions, type ClassifierOptions } from '../options.js';
import { CancelledError } from '../errors.js';
import { isUrl, modelSource, readLocalFile } from './file-source.js';
import { packageRoot } from './package-root.js';
import { createHostedClassifier } from '../hosted/create-hosted.js';

/** The shipped default model's folder inside the package. */
export function defaultModelDir(): string {
  return join(packageRoot(), 'public', DEFAULT_MODEL_PATH);
}

/**
 * @example
 * const clf = await createClassifier({ model: './my-model' });
 * const results = await clf.classify(['Great value', 'Broke in a week']);
 */
export async function createClassifier(options: ClassifierOptions = {}): Promise<Classifier> {
  checkOptions(options);
  if (options.hosted) return createHostedClassifier(options.hosted, options.onProgress);
  if (options.signal?.aborted) throw new CancelledError('Model loading was cancelled.');
  const started = performance.now();
  const host = new EngineHost({
    loadOrt: () => import('onnxruntime-web'),
    sourceFor: modelSource,
    readFile: (ref) => (isUrl(ref) ? fetchFile(ref) : readLocalFile(ref)),
    runtime: 'inline',
    // Measured on 2 cores: ORT-web in Node ran no faster with 2 threads than with 1.
    defaultThreads: () => 1,
  });
  try {
    const loaded = await host.load(
      {
        model: options.model ?? defaultModelDir(),
        head: options.head,
        device: options.device ?? 'auto',
        dtype: options.dtype ?? 'auto',
        threads: options.threads,
        hubUrl: options.hubUrl,
        revision: options.revision,
        cache: options.cache,
        offline: options.offline,
      },
      options.onProgress,
      () => options.signal?.aborted === true,
    );
    return new Classifier(host, loaded, performance.now() - started);
  } catch (err) {
    await host.dispose();
    throw err;
  }
}
