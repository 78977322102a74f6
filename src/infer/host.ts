/**
 * EngineHost: the Backend that owns one engine. The worker exposes it over comlink; Node calls it in-process.
 * It configures ORT, loads the model through a ModelSource, tracks job cancellation and throttles progress.
 */
import { CancelledError, DisposedError, ModelLoadError } from '../errors.js';
import { chooseDevice, type DeviceChoice, type GpuProbe } from '../model/devices.js';
import { dtypeCandidates } from '../model/dtypes.js';
import { GOLDEN_MIN_COSINE, minCosine, parseGolden } from '../model/golden.js';
import { loadModelFiles, parseJsonFile, type ModelFiles } from '../model/load-model.js';
import { sha256Hex } from '../model/sha256.js';
import { readVerdict, verdictKey, writeVerdict } from '../model/verdicts.js';
import type { CachedSource } from '../model/cached-source.js';
import type { ModelSource } from '../model/source.js';
import type { Backend, LoadedInfo, LoadRequest, RawResult, RunKind, RunOptions } from '../protocol.js';
import { throttleProgress } from '../throttle.js';
import type { ProgressCallback } from '../types.js';
import { InferenceEngine } from './engine.js';
import { isAdapterFile } from '../lora/adapter-file.js';
import type { Ort } from './session.js';

export interface HostEnvironment {
  /** Loads ORT on first use: the WebGPU-capable build for 'webgpu', else the WASM build (Node: its Node build). */
  loadOrt(device: 'wasm' | 'webgpu'): Promise<Ort>;
  /** Looks for a WebGPU adapter; absent in Node. */
  probeGpu?(): Promise<GpuProbe | null>;
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
      const head = await this.readHead(request.head);
      // A LoRA adapter runs the split graphs (bottom.onnx → top.onnx with its matrices), fp32 on WASM.
      const adapter = isAdapterFile(head);
      const gpu = request.device === 'wasm' || adapter ? null : ((await this.env.probeGpu?.()) ?? null);
      let choice = chooseDevice(adapter ? 'wasm' : request.device, gpu, undefined);
      if (adapter) choice = { ...choice, reason: 'LoRA adapter: the split graphs (fp32) run on WASM' };
      if (request.fallbackReason && choice.device === 'wasm') choice = { ...choice, reason: request.fallbackReason };
      const threads = request.threads ?? this.env.defaultThreads();
      const ort = await this.env.loadOrt(choice.device);
      ort.env.logLevel = 'error';
      ort.env.wasm.numThreads = threads;
      const source = this.env.sourceFor(request);
      const dtypes = dtypeCandidates(request.dtype, choice.device, choice.gpu?.hasF16);
      const files = await loadModelFiles(source, dtypes, { onProgress: progress, isCancelled, split: adapter });
      progress?.({ phase: 'load', loaded: 0, total: 1 });

      // A cached verdict for this (adapter, model, dtype) skips the golden check, or WebGPU altogether.
      let verdictId: string | null = null;
      if (choice.device === 'webgpu' && choice.gpu) {
        verdictId = verdictKey(choice.gpu.key, await sha256Hex(files.onnx), files.dtype);
        const verdict = await readVerdict(verdictId);
        if (request.device === 'auto') choice = chooseDevice('auto', gpu, verdict);
        if (verdict !== undefined) verdictId = null;
      }
      let gpuLost: Promise<string> | undefined;
      if (choice.device === 'webgpu' && choice.gpu) {
        const device = await choice.gpu.adapter.requestDevice({
          requiredFeatures: choice.gpu.hasF16 ? ['shader-f16'] : [],
        });
        gpuLost = device.lost.then((info) => info.message || info.reason || 'device lost');
        (ort.env.webgpu as { device: unknown }).device = device;
      }
      const engine = await this.createEngine(ort, files, head, choice, gpuLost, request.device === 'auto');
      const golden = await this.goldenCheck(engine, files, verdictId, request.device === 'auto');

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
        threads: ort.env.wasm.numThreads ?? threads,
        runtime: this.env.runtime,
        goldenCosine: golden,
      };
      return this.info;
    } finally {
      this.loading = false;
    }
  }

  private async readHead(ref: LoadRequest['head']): Promise<unknown> {
    if (typeof ref !== 'string') return ref;
    const bytes = await this.env.readFile(ref);
    if (!bytes) throw new ModelLoadError(`head file not found: ${ref}`, ref);
    return parseJsonFile(bytes, ref);
  }

  /** Creates the engine; under `auto`, a WebGPU session that cannot be created falls back to WASM. */
  private async createEngine(
    ort: Ort,
    files: ModelFiles,
    head: unknown,
    choice: DeviceChoice,
    gpuLost: Promise<string> | undefined,
    auto: boolean,
  ): Promise<InferenceEngine> {
    const create = (device: 'wasm' | 'webgpu', deviceReason: string) =>
      InferenceEngine.create(ort, files, { dtype: files.dtype, device, deviceReason, head, gpuLost });
    if (choice.device === 'wasm' || !auto) return create(choice.device, choice.reason);
    try {
      return await create('webgpu', choice.reason);
    } catch (err) {
      if (err instanceof ModelLoadError && !/ONNX Runtime/.test(err.message)) throw err;
      return create('wasm', `auto: WebGPU session failed (${(err as Error).message}); using WASM`);
    }
  }

  /**
   * On WebGPU, embeds the golden texts and compares them with the shipped fp32 vectors. Under `auto` a failure moves
   * the engine to WASM. Returns the lowest cosine, or undefined when no check ran.
   */
  private async goldenCheck(
    engine: InferenceEngine,
    files: ModelFiles,
    verdictId: string | null,
    auto: boolean,
  ): Promise<number | undefined> {
    if (engine.info.device !== 'webgpu') return undefined;
    const golden = parseGolden(files.golden);
    if (!golden) {
      engine.info.deviceReason += ' (no golden.json: unverified)';
      return undefined;
    }
    if (!verdictId) return undefined;
    const r = await engine.run(golden.texts, 'embed');
    const cosine = minCosine(r.data, r.width, golden);
    const passed = cosine >= GOLDEN_MIN_COSINE[files.dtype];
    await writeVerdict(verdictId, passed);
    if (passed) {
      engine.info.deviceReason += `, golden check passed (cos ${cosine.toFixed(5)})`;
    } else if (auto) {
      await engine.switchToWasm(`auto: WebGPU failed the golden check (cos ${cosine.toFixed(4)}); using WASM`);
    } else {
      engine.info.deviceReason += `, golden check FAILED (cos ${cosine.toFixed(4)})`;
    }
    return cosine;
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
