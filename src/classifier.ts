/**
 * The Classifier facade: argument checks, job ids, cancel, and turning raw score matrices into sorted concept lists.
 * It holds no ML state; every heavy step happens in its Backend (a worker in browsers, in-process in Node).
 */
import { DisposedError } from './errors.js';
import { Job } from './job.js';
import type { Backend, LoadedInfo, RawResult, RunKind } from './protocol.js';
import type { ClassifierInfo, ClassifyOptions, ClassifyResult, EmbedResult, InferOptions } from './types.js';
import { checkClassifyOptions, checkTexts } from './validate.js';

export class Classifier {
  private nextJob = 1;
  private disposed = false;
  private readonly jobs = new Set<Job<unknown>>();
  private current: Readonly<ClassifierInfo>;

  /** Use `createClassifier()`; this constructor is for custom backends. */
  constructor(
    private readonly backend: Backend,
    loaded: LoadedInfo,
    loadMs: number,
  ) {
    this.current = Object.freeze({
      modelId: loaded.modelId,
      source: loaded.source,
      device: loaded.device,
      deviceReason: loaded.deviceReason,
      dtype: loaded.dtype,
      threads: loaded.threads,
      concepts: [...loaded.concepts],
      problemType: loaded.problemType,
      conceptSource: loaded.conceptSource,
      dim: loaded.dim,
      maxLength: loaded.maxLength,
      pooling: loaded.pooling,
      loadMs,
      runtime: loaded.runtime,
      goldenCosine: loaded.goldenCosine,
      ...(loaded.adapter ? { adapter: { ...loaded.adapter } } : {}),
    });
  }

  /** What is loaded and where it runs. `device` changes to 'wasm' if a GPU is lost mid-run. */
  get info(): Readonly<ClassifierInfo> {
    return this.current;
  }

  /**
   * Scores every concept for each text.
   * @example const [r] = await clf.classify(['Loved it']); r.concepts[0] // { concept: 'positive', score: 0.93 }
   */
  classify(texts: string[], options: ClassifyOptions = {}): Job<ClassifyResult[]> {
    return this.start(
      'classify',
      texts,
      options,
      (raw) => toClassifyResults(raw, this.info.concepts, options),
      () => checkClassifyOptions(options),
    );
  }

  /**
   * Pooled, L2-normalised sentence vectors, one row per text.
   * @example const { data, dim } = await clf.embed(['a', 'b']); // data.length === 2 * dim
   */
  embed(texts: string[], options: InferOptions = {}): Job<EmbedResult> {
    return this.start('embed', texts, options, (raw) => ({
      data: raw.data,
      count: raw.count,
      dim: raw.width,
      windows: raw.windows,
      truncated: raw.truncated,
    }));
  }

  /** Cancels running jobs and releases the worker, the session and their memory. Idempotent. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    for (const job of this.jobs) job.cancel();
    await this.backend.dispose();
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  private start<T>(
    kind: RunKind,
    texts: string[],
    options: InferOptions,
    shape: (raw: RawResult) => T,
    precheck?: () => void,
  ): Job<T> {
    const id = this.nextJob++;
    const work = (async () => {
      if (this.disposed) throw new DisposedError();
      checkTexts(texts);
      precheck?.();
      const { onProgress, ...runOptions } = options;
      const progress = onProgress
        ? (done: number, total: number) => onProgress({ phase: 'infer', loaded: done, total })
        : undefined;
      const raw = await this.backend.run(id, kind, texts, runOptions, progress);
      if (raw.device !== this.current.device) {
        this.current = Object.freeze({ ...this.current, device: raw.device, deviceReason: raw.deviceReason });
      }
      return shape(raw);
    })();
    const job = new Job<T>(id, work, (jobId) => this.backend.cancel(jobId));
    this.jobs.add(job as Job<unknown>);
    job.promise.then(
      () => this.jobs.delete(job as Job<unknown>),
      () => this.jobs.delete(job as Job<unknown>),
    );
    return job;
  }
}

/** Rows of a [count × concepts] score matrix → per-text concept lists, sorted, then cut by threshold and topK. */
export function toClassifyResults(raw: RawResult, concepts: readonly string[], options: ClassifyOptions): ClassifyResult[] {
  const out: ClassifyResult[] = new Array(raw.count);
  const c = concepts.length;
  for (let i = 0; i < raw.count; i++) {
    let list = concepts.map((concept, k) => ({ concept, score: raw.data[i * c + k] }));
    list.sort((a, b) => b.score - a.score);
    if (options.threshold !== undefined) list = list.filter((s) => s.score >= options.threshold!);
    if (options.topK !== undefined) list = list.slice(0, options.topK);
    out[i] = { concepts: list, tokens: raw.tokens[i], windows: raw.windows[i], truncated: raw.truncated[i] === 1 };
  }
  return out;
}
