/**
 * A lazily started, shared worker for one-shot jobs (training, imports): created on first use, and when it dies (an
 * uncaught error or an unreadable message) its pending calls reject with WorkerCrashedError and the next use starts a
 * fresh one. The inference worker needs more (liveness lock, replayed load) and has its own client.
 */
import { wrap, type Remote } from 'comlink';
import { WorkerCrashedError } from './errors.js';
import type { WorkerFactory } from './worker-client.js';

export interface WorkerHandle<T> {
  remote: Remote<T>;
  /** Settles like `call`, but rejects with WorkerCrashedError if the worker dies first. */
  track<R>(call: Promise<R>): Promise<R>;
}

/**
 * @param label how errors name the worker, e.g. 'training'
 * @example const trainer = lazyWorker<TrainerApi>('training'); const t = trainer(factory); await t.track(t.remote.train(…));
 */
export function lazyWorker<T>(label: string): (factory: WorkerFactory) => WorkerHandle<T> {
  let current: WorkerHandle<T> | null = null;
  return (factory) => {
    if (current) return current;
    const worker = factory();
    const pending = new Set<(e: Error) => void>();
    const handle: WorkerHandle<T> = {
      remote: wrap<T>(worker),
      track: (call) =>
        new Promise((resolve, reject) => {
          pending.add(reject);
          call.then(resolve, reject).finally(() => pending.delete(reject));
        }),
    };
    const died = (why: string) => {
      if (current !== handle) return;
      current = null;
      worker.terminate();
      for (const reject of pending) reject(new WorkerCrashedError(why));
    };
    worker.addEventListener('error', (ev) => {
      ev.preventDefault();
      died(`The ${label} worker failed: ${ev.message || 'uncaught error'}.`);
    });
    worker.addEventListener('messageerror', () => died(`The ${label} worker sent an unreadable message.`));
    current = handle;
    return handle;
  };
}
