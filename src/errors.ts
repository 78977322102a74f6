/**
 * Typed errors. Every error the library throws on purpose carries a stable `code`, so callers can branch on it
 * and so errors survive the worker boundary (see `serializeError` / `deserializeError`).
 */

export const ErrorCode = Object.freeze({
  InvalidInput: 'INVALID_INPUT',
  Disposed: 'DISPOSED',
  Cancelled: 'CANCELLED',
  ModelLoad: 'MODEL_LOAD',
  HeadMismatch: 'HEAD_MISMATCH',
  InvalidHead: 'INVALID_HEAD',
  WorkerCrashed: 'WORKER_CRASHED',
  Inference: 'INFERENCE',
  GpuLost: 'GPU_LOST',
} as const);
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Base class of all library errors. */
export class ClassifierError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ClassifierError';
    this.code = code;
  }
}

/**
 * Bad arguments. Extends `TypeError` (what JS users expect for a wrong type) and names the offending position.
 * @example `classify(['ok', 42])` → InvalidInputError: texts[1] must be a string, got number
 */
export class InvalidInputError extends TypeError {
  readonly code = ErrorCode.InvalidInput;
  /** Index of the bad element, when the problem is one element of an array. */
  readonly index: number | undefined;
  constructor(message: string, index?: number) {
    super(message);
    this.name = 'InvalidInputError';
    this.index = index;
  }
}

/** A call on a classifier after `dispose()`. */
export class DisposedError extends ClassifierError {
  constructor(what = 'classifier') {
    super(ErrorCode.Disposed, `This ${what} has been disposed; create a new one with createClassifier().`);
    this.name = 'DisposedError';
  }
}

/** A job stopped by `job.cancel()`. `name` is 'AbortError' like a DOM abort, so generic abort handling works. */
export class CancelledError extends ClassifierError {
  constructor(message = 'The job was cancelled.') {
    super(ErrorCode.Cancelled, message);
    this.name = 'AbortError';
  }
}

/** A model could not be loaded: names the file and what is wrong with it. */
export class ModelLoadError extends ClassifierError {
  readonly file: string | undefined;
  constructor(message: string, file?: string, options?: { cause?: unknown }) {
    super(ErrorCode.ModelLoad, file ? `${file}: ${message}` : message, options);
    this.name = 'ModelLoadError';
    this.file = file;
  }
}

/** A head file that does not fit the loaded encoder (another model id, or another dimension). */
export class HeadMismatchError extends ClassifierError {
  constructor(message: string) {
    super(ErrorCode.HeadMismatch, message);
    this.name = 'HeadMismatchError';
  }
}

/** A head file that is not a valid head (missing fields, wrong shapes, non-finite numbers). */
export class InvalidHeadError extends ClassifierError {
  constructor(message: string) {
    super(ErrorCode.InvalidHead, message);
    this.name = 'InvalidHeadError';
  }
}

/** The worker died while a call was in flight. The classifier restarts it on the next call. */
export class WorkerCrashedError extends ClassifierError {
  constructor(message = 'The inference worker stopped unexpectedly; it will be restarted on the next call.') {
    super(ErrorCode.WorkerCrashed, message);
    this.name = 'WorkerCrashedError';
  }
}

/**
 * The WebGPU device was lost mid-run (driver reset, device.destroy(), tab backgrounded on some systems). The browser
 * facade catches it, restarts the worker on WASM and re-runs the call, so callers normally never see it.
 */
export class GpuLostError extends ClassifierError {
  constructor(reason: string) {
    super(ErrorCode.GpuLost, `The GPU device was lost: ${reason}`);
    this.name = 'GpuLostError';
  }
}

/** Plain data form of an error, safe to post across a worker boundary. */
export interface SerializedError {
  name: string;
  message: string;
  code?: string;
  file?: string;
  index?: number;
}

export function serializeError(err: unknown): SerializedError {
  if (err instanceof Error) {
    const e = err as Error & { code?: unknown; file?: unknown; index?: unknown };
    return {
      name: e.name,
      message: e.message,
      code: typeof e.code === 'string' ? e.code : undefined,
      file: typeof e.file === 'string' ? e.file : undefined,
      index: typeof e.index === 'number' ? e.index : undefined,
    };
  }
  return { name: 'Error', message: String(err) };
}

/** Rebuilds the typed error on the receiving side, so `instanceof` works for callers of the facade. */
export function deserializeError(s: SerializedError): Error {
  switch (s.code) {
    case ErrorCode.InvalidInput:
      return new InvalidInputError(s.message, s.index);
    case ErrorCode.Disposed:
      return Object.assign(new DisposedError(), { message: s.message });
    case ErrorCode.Cancelled:
      return new CancelledError(s.message);
    case ErrorCode.ModelLoad: {
      const e = new ModelLoadError(s.message, undefined);
      return Object.assign(e, { file: s.file });
    }
    case ErrorCode.HeadMismatch:
      return new HeadMismatchError(s.message);
    case ErrorCode.InvalidHead:
      return new InvalidHeadError(s.message);
    case ErrorCode.WorkerCrashed:
      return new WorkerCrashedError(s.message);
    case ErrorCode.GpuLost:
      return Object.assign(new GpuLostError(''), { message: s.message });
    case ErrorCode.Inference:
      return new ClassifierError(ErrorCode.Inference, s.message);
    default: {
      const e = new Error(s.message);
      e.name = s.name;
      return e;
    }
  }
}
