/**
 * Errors of the hosted (Clarifai) path. Each carries a stable `code` like the library's other errors, plus the API's
 * own status code and description. No message ever contains the PAT: they are built from response statuses only.
 */

export const HostedErrorCode = Object.freeze({
  /** The API answered with a non-success `status.code`. */
  Api: 'HOSTED_API',
  /** No usable answer: network failure, dropped connection, non-JSON body. */
  Transport: 'HOSTED_TRANSPORT',
  /** The chosen training path was refused by the server. */
  TrainingPathUnavailable: 'TRAINING_PATH_UNAVAILABLE',
  /** Training started but ended failed, cancelled or timed out. */
  TrainingFailed: 'TRAINING_FAILED',
} as const);
export type HostedErrorCode = (typeof HostedErrorCode)[keyof typeof HostedErrorCode];

/** The `status` object the API puts on every response (and on items inside it). */
export interface ApiStatus {
  code: number;
  description: string;
  details?: string;
  reqId?: string;
}

/** Base class of hosted errors. `status` is the server's, when there was one. */
export class HostedError extends Error {
  readonly code: HostedErrorCode;
  readonly status: ApiStatus | undefined;
  constructor(code: HostedErrorCode, message: string, status?: ApiStatus, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'HostedError';
    this.code = code;
    this.status = status;
  }
}

/**
 * The API refused a call. `status.code` is Clarifai's code (e.g. 11008), `httpStatus` the HTTP one.
 * @example catch (e) { if (e instanceof HostedApiError && e.status.code === 11008) askForANewKey(); }
 */
export class HostedApiError extends HostedError {
  declare readonly status: ApiStatus;
  readonly httpStatus: number;
  /** What was being done, e.g. `PostInputs`. */
  readonly operation: string;
  constructor(operation: string, status: ApiStatus, httpStatus: number) {
    const details = status.details ? ` (${status.details})` : '';
    super(HostedErrorCode.Api, `${operation} failed: ${status.code} ${status.description}${details}`, status);
    this.name = 'HostedApiError';
    this.httpStatus = httpStatus;
    this.operation = operation;
  }
}

/** The request got no usable answer (after retries, when retried). */
export class HostedTransportError extends HostedError {
  readonly operation: string;
  constructor(operation: string, message: string, options?: { cause?: unknown }) {
    super(HostedErrorCode.Transport, `${operation}: ${message}`, undefined, options);
    this.name = 'HostedTransportError';
    this.operation = operation;
  }
}

/** A training start the server refused (e.g. the deprecated template API), with the server's status. */
export class TrainingPathUnavailableError extends HostedError {
  readonly path: 'template' | 'pipeline';
  constructor(path: 'template' | 'pipeline', status: ApiStatus, hint: string) {
    super(HostedErrorCode.TrainingPathUnavailable, `The ${path} training path was refused: ${status.code} ${status.description}. ${hint}`, status);
    this.name = 'TrainingPathUnavailableError';
    this.path = path;
  }
}

/** Training ran and ended badly; `status` is the version's or run's final status. */
export class TrainingFailedError extends HostedError {
  readonly state: string;
  constructor(state: string, status: ApiStatus) {
    super(HostedErrorCode.TrainingFailed, `Training ${state}: ${status.code} ${status.description}`, status);
    this.name = 'TrainingFailedError';
    this.state = state;
  }
}
