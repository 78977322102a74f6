/**
 * A Backend over a trained hosted model version, so `createClassifier({ hosted })` returns the usual Classifier:
 * same `classify` result shape, scores from Clarifai's predict endpoint. `embed` is not offered by the API.
 */
import { CancelledError, InvalidInputError } from '../errors.js';
import type { RawResult, RunKind, RunOptions } from '../infer/engine.js';
import type { Backend, LoadedInfo, LoadRequest } from '../protocol.js';
import type { ProgressCallback } from '../types.js';
import { HostedClient, type HostedClientOptions } from './client.js';
import { getModelVersion, predictTexts } from './models.js';

/** `createClassifier({ hosted })`: where the hosted model is and how to reach it. */
export interface HostedModelOptions extends HostedClientOptions {
  modelId: string;
  versionId: string;
}

export class HostedBackend implements Backend {
  readonly client: HostedClient;
  private concepts: string[] = [];
  private readonly running = new Map<number, AbortController>();

  constructor(private readonly options: HostedModelOptions) {
    if (!options.modelId || !options.versionId) throw new InvalidInputError('hosted: modelId and versionId are required');
    this.client = new HostedClient(options);
  }

  /** Reads the version: it must be trained; its concepts become the classifier's. */
  async load(_request?: LoadRequest, onProgress?: ProgressCallback): Promise<LoadedInfo> {
    onProgress?.({ phase: 'load', loaded: 0, total: 1 });
    const v = await getModelVersion(this.client, this.options.modelId, this.options.versionId);
    if (v.status.code !== 21100) throw new InvalidInputError(`hosted model version is not trained: ${v.status.code} ${v.status.description}`);
    this.concepts = [...v.concepts].sort();
    onProgress?.({ phase: 'load', loaded: 1, total: 1 });
    return {
      modelId: `clarifai:${this.client.userId}/${this.client.appId}/${this.options.modelId}@${this.options.versionId}`,
      source: this.client.root,
      device: 'wasm',
      deviceReason: 'hosted: runs on the Clarifai API',
      dim: 0,
      maxLength: 0,
      pooling: 'mean',
      concepts: this.concepts,
      // Template-trained text classifiers default to multi_label_classification (§4.10): independent scores.
      problemType: 'multi_label_classification',
      conceptSource: 'head',
      dtype: 'fp32',
      threads: 0,
      runtime: 'inline',
    };
  }

  async run(jobId: number, kind: RunKind, texts: string[], _o: RunOptions, onProgress?: (d: number, t: number) => void): Promise<RawResult> {
    if (kind !== 'classify') throw new InvalidInputError('hosted models classify only; embed() needs a local model');
    const ctrl = new AbortController();
    this.running.set(jobId, ctrl);
    try {
      const rows = await predictTexts(this.client, this.options.modelId, this.options.versionId, texts, {
        signal: ctrl.signal,
        onBatch: (done) => onProgress?.(done, texts.length),
      });
      const c = this.concepts.length;
      const data = new Float32Array(texts.length * c);
      rows.forEach((m, i) => this.concepts.forEach((name, k) => (data[i * c + k] = m.get(name) ?? 0)));
      return {
        kind,
        data,
        count: texts.length,
        width: c,
        tokens: new Int32Array(texts.length),
        windows: new Int32Array(texts.length).fill(1),
        truncated: new Uint8Array(texts.length),
        device: 'wasm',
        deviceReason: 'hosted: runs on the Clarifai API',
      };
    } catch (err) {
      if (ctrl.signal.aborted) throw new CancelledError();
      throw err;
    } finally {
      this.running.delete(jobId);
    }
  }

  cancel(jobId: number): void {
    this.running.get(jobId)?.abort();
  }

  async dispose(): Promise<void> {
    for (const c of this.running.values()) c.abort();
    this.running.clear();
  }
}
