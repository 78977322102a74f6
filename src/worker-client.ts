/**
 * WorkerBackend: the Backend that lives in a web worker. comlink carries the calls; this class adds what comlink lacks:
 * a pending-call map rejected when the worker dies (comlink never rejects by itself), death detection through the
 * worker's `error` events and a Web Lock the worker holds for life, and a respawn that replays `load` on the next call.
 */
import { proxy, wrap, type Remote } from 'comlink';
import { installErrorTransfer } from './comlink-errors.js';
import { CancelledError, DisposedError, GpuLostError, WorkerCrashedError } from './errors.js';
import type { Backend, LoadedInfo, LoadRequest, RawResult, RunKind, RunOptions, WorkerApi } from './protocol.js';
import type { ProgressCallback } from './types.js';

export type WorkerFactory = () => Worker;

/** How long `dispose()` waits for the worker to release its session before terminating it anyway. */
const DISPOSE_GRACE_MS = 2000;

export class WorkerBackend implements Backend {
  private worker: Worker | null = null;
  private remote: Remote<WorkerApi> | null = null;
  private lockAbort: AbortController | null = null;
  private generation = 0;
  private nextCall = 1;
  private readonly pending = new Map<number, (err: Error) => void>();
  private request: LoadRequest | null = null;
  private respawning: Promise<void> | null = null;
  private loadedDtype: LoadedInfo['dtype'] | null = null;
  private disposed = false;
  /** Times the worker was restarted after dying; visible for tests and diagnostics. */
  restarts = 0;

  constructor(private readonly factory: WorkerFactory) {
    installErrorTransfer();
  }

  async load(request: LoadRequest, onProgress?: ProgressCallback): Promise<LoadedInfo> {
    this.request = request;
    const remote = this.spawn();
    const cb = onProgress ? proxy(onProgress) : undefined;
    const info = await this.track(remote.load(request, cb));
    this.loadedDtype = info.dtype;
    return info;
  }

  async run(
    jobId: number,
    kind: RunKind,
    texts: string[],
    options: RunOptions,
    onProgress?: (done: number, total: number) => void,
  ): Promise<RawResult> {
    for (let attempt = 0; ; attempt++) {
      const remote = await this.ready();
      try {
        return await this.track(remote.run(jobId, kind, texts, options, onProgress ? proxy(onProgress) : undefined));
      } catch (err) {
        // A lost GPU: restart the worker on WASM (same dtype, so results match) and run the call again, once.
        if (!(err instanceof GpuLostError) || attempt > 0 || !this.request) throw err;
        if (this.request.device !== 'wasm') {
          this.request = {
            ...this.request,
            device: 'wasm',
            dtype: this.loadedDtype ?? this.request.dtype,
            fallbackReason: `${err.message}; restarted on WASM`,
          };
          this.shutdown(err);
        }
      }
    }
  }

  /** Stops an in-flight `load` by terminating its worker; the load rejects with CancelledError. */
  abortLoad(): void {
    this.shutdown(new CancelledError('Model loading was cancelled.'));
  }

  cancel(jobId: number): void {
    // Fire and forget: the worker checks the flag between micro-batches.
    this.remote?.cancel(jobId).catch(() => undefined);
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    const remote = this.remote;
    if (remote) {
      const grace = new Promise((resolve) => setTimeout(resolve, DISPOSE_GRACE_MS));
      await Promise.race([remote.dispose().catch(() => undefined), grace]);
    }
    this.shutdown(new DisposedError());
  }

  /** The live worker, for diagnostics and tests (e.g. terminate it to exercise recovery). */
  get currentWorker(): Worker | null {
    return this.worker;
  }

  private spawn(): Remote<WorkerApi> {
    const worker = this.factory();
    const generation = ++this.generation;
    const remote = wrap<WorkerApi>(worker);
    const died = (why: string) => {
      if (generation === this.generation && !this.disposed) this.shutdown(new WorkerCrashedError(why));
    };
    worker.addEventListener('error', (ev) => {
      ev.preventDefault();
      died(`The inference worker failed: ${ev.message || 'uncaught error'}; it will be restarted on the next call.`);
    });
    worker.addEventListener('messageerror', () => died('The inference worker sent an unreadable message.'));
    this.worker = worker;
    this.remote = remote;
    this.watchLiveness(remote, () => died('The inference worker exited; it will be restarted on the next call.'));
    return remote;
  }

  /**
   * The worker takes a uniquely named Web Lock and never releases it; when the worker dies (terminated, crashed, or
   * closed itself) the browser releases it and our queued request for the same lock is granted.
   */
  private watchLiveness(remote: Remote<WorkerApi>, onDeath: () => void): void {
    const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
    if (!locks) return;
    const name = `inpage-classifier-worker-${crypto.randomUUID()}`;
    const abort = new AbortController();
    this.lockAbort = abort;
    remote
      .holdLock(name)
      .then((held) => {
        if (!held || abort.signal.aborted) return;
        return locks.request(name, { signal: abort.signal }, () => onDeath());
      })
      .catch(() => undefined);
  }

  /** Waits for a live, loaded worker, respawning one (and replaying `load`) after a crash. */
  private async ready(): Promise<Remote<WorkerApi>> {
    if (this.disposed) throw new DisposedError();
    if (this.respawning) await this.respawning;
    if (this.remote) return this.remote;
    if (!this.request) throw new DisposedError();
    const request = this.request;
    this.respawning = (async () => {
      const remote = this.spawn();
      await this.track(remote.load(request));
      this.restarts++;
    })();
    try {
      await this.respawning;
    } finally {
      this.respawning = null;
    }
    if (!this.remote) throw new WorkerCrashedError();
    return this.remote;
  }

  /** Registers a call so a dying worker rejects it instead of leaving it pending forever. */
  private track<T>(call: Promise<T>): Promise<T> {
    const id = this.nextCall++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, reject);
      call.then(resolve, reject).finally(() => this.pending.delete(id));
    });
  }

  private shutdown(reason: Error): void {
    this.lockAbort?.abort();
    this.lockAbort = null;
    this.worker?.terminate();
    this.worker = null;
    this.remote = null;
    const rejects = [...this.pending.values()];
    this.pending.clear();
    for (const reject of rejects) reject(reason);
  }
}
