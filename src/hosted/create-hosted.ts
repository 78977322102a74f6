/** `createClassifier({ hosted })`, shared by the browser and Node entries. */
import { Classifier } from '../classifier.js';
import { HostedBackend, type HostedModelOptions } from './backend.js';
import type { ProgressCallback } from '../types.js';

/**
 * A Classifier whose `classify` calls a trained Clarifai model version.
 * @example const clf = await createHostedClassifier({ pat, appId: 'reviews', modelId: 'reviews-clf', versionId: v });
 */
export async function createHostedClassifier(hosted: HostedModelOptions, onProgress?: ProgressCallback): Promise<Classifier> {
  const started = performance.now();
  const backend = new HostedBackend(hosted);
  const loaded = await backend.load(undefined, onProgress);
  return new Classifier(backend, loaded, performance.now() - started);
}
