/**
 * A Job is an awaitable result with a `cancel()`. Cancelling rejects it at once with CancelledError and asks the
 * engine to stop at its next micro-batch boundary (AbortSignals cannot cross a worker boundary; job ids can).
 */
import { CancelledError } from './errors.js';

export class Job<T> implements PromiseLike<T> {
  readonly promise: Promise<T>;
  private settled = false;
  private rejectFn!: (e: unknown) => void;

  constructor(
    readonly id: number,
    work: Promise<T>,
    private readonly onCancel: (id: number) => void,
  ) {
    this.promise = new Promise<T>((resolve, reject) => {
      this.rejectFn = reject;
      work.then(
        (v) => {
          this.settled = true;
          resolve(v);
        },
        (e) => {
          this.settled = true;
          reject(e);
        },
      );
    });
  }

  /** Stops the job; a no-op once it has settled. */
  cancel(): void {
    if (this.settled) return;
    this.settled = true;
    this.onCancel(this.id);
    this.rejectFn(new CancelledError());
  }

  then<R1 = T, R2 = never>(
    onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.promise.then(onfulfilled, onrejected);
  }

  catch<R = never>(onrejected?: ((reason: unknown) => R | PromiseLike<R>) | null): Promise<T | R> {
    return this.promise.catch(onrejected);
  }

  finally(onfinally?: (() => void) | null): Promise<T> {
    return this.promise.finally(onfinally);
  }
}
