/**
 * EngineHost: the Backend that owns one engine. The worker exposes it over comlink; Node calls it in-process.
 * It configures ORT, loads the model through a ModelSource, tracks job cancellation and throttles progress.
 */
import { CancelledError, DisposedError, ModelLoadError } from '../errors.js';
import { chooseDevice } from '../model/devices.js';
import { resolveDtype } from '../model/dtypes.js';
import { loadModelFiles, parseJsonFile } from '../model/load-model.js';
import type { CachedSource } from '../model/cached-source.js';
import type { ModelSource } from '../model/source.js';
import type { Backend, LoadedInfo, LoadRequest, RawResult, RunKind, RunOptions } from '../protocol.js';
import { throttleProgress } from '../throttle.js';
import type { ProgressCallback } from '../types.js';
import { InferenceEngine } from './engine.js';
import type { Ort } from './session.js';

export interface HostEnvironment {
  /** Loads ORT on first use (the wasm build in browsers, the Node build in Node). */
  loadOrt(): Promise<Ort>;
  /** A source for the requested model (URL, hub id, or a path in Node); a CachedSource is committed after loading. */
  sourceFor(request: LoadRequest): ModelSource | CachedSource;
  /** Reads a head file given by URL or path. */
  readFile(ref: string): Promise<Uint8Array | null>;
  runtime: 'worker' | 'inline';
  defaultThreads(): number;
}

export class EngineHost implements Backend {
  private engine: InferenceEngine | null = null;
  private info: LoadedInfo | null = null;
  private readonly active = new Set<number>();
  private readonly cancelled = new Set<number>();
  private loading = false;
  private disposed = false;

  constructor(private readonly env: HostEnvironment) {}

  async load(request: LoadRequest, onProgress?: ProgressCallback, isCancelled?: () => boolean): Promise<LoadedInfo> {
    if (this.disposed) throw new DisposedError();
    if (this.engine || this.loading) throw new ModelLoadError('this host already holds a model');
    this.loading = true;
    try {
      const progress = onProgress ? throttleProgress(onProgress) : undefined;
      const choice = chooseDevice(request.device);
      const dtype = resolveDtype(request.dtype, choice.device);
      const threads = request.threads ?? this.env.defaultThreads();
      const ort = await this.env.loadOrt();
      ort.env.logLevel = 'error';
      ort.env.wasm.numThreads = threads;
      const source = this.env.sourceFor(request);
      const files = await loadModelFiles(source, dtype, { onProgress: progress, isCancelled });
      let head: unknown = undefined;
      if (typeof request.head === 'string') {
        const bytes = await this.env.readFile(request.head);
        if (!bytes) throw new ModelLoadError(`head file not found: ${request.head}`, request.head);
        head = parseJsonFile(bytes, request.head);
      } else if (request.head) {
        head = request.head;
      }
      progress?.({ phase: 'load', loaded: 0, total: 1 });
      const engine = await InferenceEngine.create(ort, files, {
        dtype,
        executionProviders: choice.executionProviders,
        head,
      });
      if (this.disposed || isCancelled?.()) {
        await engine.dispose();
        throw this.disposed ? new DisposedError() : new CancelledError('Model loading was cancelled.');
      }
      // Only a model that loaded is cached: nothing half-written survives a failed load.
      if ('commit' in source) await source.commit();
      progress?.({ phase: 'load', loaded: 1, total: 1 });
      this.engine = engine;
      this.info = {
        ...engine.info,
        source: source.location,
        device: choice.device,
        deviceReason: choice.reason,
        threads: ort.env.wasm.numThreads ?? threads,
        runtime: this.env.runtime,
      };
      return this.info;
    } finally {
      this.loading = false;
    }
  }

  async run(
    jobId: number,
    kind: RunKind,
    texts: string[],
    options: RunOptions,
    onProgress?: (done: number, total: number) => void,
  ): Promise<RawResult> {
    if (this.disposed || !this.engine) throw new DisposedError();
    const progress = onProgress
      ? throttleProgress((p: { loaded: number; total: number }) => onProgress(p.loaded, p.total))
      : undefined;
    this.active.add(jobId);
    try {
      return await this.engine.run(texts, kind, options, {
        isCancelled: () => this.cancelled.has(jobId),
        onProgress: progress ? (done, total) => progress({ loaded: done, total }) : undefined,
      });
    } finally {
      this.active.delete(jobId);
      this.cancelled.delete(jobId);
    }
  }

  cancel(jobId: number): void {
    if (this.active.has(jobId)) this.cancelled.add(jobId);
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    const engine = this.engine;
    this.engine = null;
    await engine?.dispose();
  }
}
