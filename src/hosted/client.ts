/**
 * The fetch-based transport to Clarifai's REST API (browsers and Node): PAT auth, the long `/v2/users/{U}/apps/{A}`
 * paths, JSON in and out, a `status.code` check on every answer (HTTP status alone is never trusted), and bounded
 * back-off on throttling, server errors and network errors.
 */
import { CancelledError, InvalidInputError } from '../errors.js';
import { statusNumber } from './codes.js';
import { AUTH_CODES, DEFAULT_BASE_URL, RETRYABLE_CODES, isInternalCode } from './contract.js';
import { Credentials, type PatStorage } from './credentials.js';
import { HostedApiError, HostedTransportError, type ApiStatus } from './errors.js';
import { DEFAULT_RETRY, backoffDelay, parseRetryAfter, sleep, type RetryPolicy } from './retry.js';

export interface HostedClientOptions {
  /** Personal access token. Kept in memory (see `patStorage`); optional with `proxyUrl`, whose server adds it. */
  pat?: string;
  /** `memory` (default) or `session` (sessionStorage, this tab only, on explicit request). */
  patStorage?: PatStorage;
  /** Default `me`, the authenticated user. */
  userId?: string;
  appId: string;
  /** API root; default https://api.clarifai.com. */
  baseUrl?: string;
  /** Your own server that forwards `/v2/…` to Clarifai and adds the key, so the page never holds it. Wins over baseUrl. */
  proxyUrl?: string;
  retry?: RetryPolicy;
  /** Per-request timeout; default 60 s. */
  timeoutMs?: number;
  /** Called before each retry (no headers, no key: safe to log). */
  onRetry?: (info: RetryInfo) => void;
  fetch?: typeof fetch;
}

export interface RetryInfo {
  operation: string;
  attempt: number;
  delayMs: number;
  reason: string;
}

/** `all`: retry throttling, 5xx and network errors. `throttle`: only answers that say nothing ran (429 / 11005…). */
export type RetryMode = 'all' | 'throttle';

export interface RequestOptions {
  query?: Record<string, string | number | boolean | readonly (string | number)[] | undefined>;
  body?: unknown;
  retry?: RetryMode;
  signal?: AbortSignal;
  /** Top-level codes that return normally (default only 10000). */
  accept?: readonly number[];
}

/** Any JSON object the API returns; `status` is always there. */
export type ApiResponse = Record<string, unknown> & { status: ApiStatus };

const ID_SEGMENT = /^[A-Za-z0-9_.-]+$/;

export class HostedClient {
  readonly userId: string;
  readonly appId: string;
  readonly root: string;
  readonly viaProxy: boolean;
  readonly #credentials: Credentials;
  readonly #fetch: typeof fetch;
  readonly #retry: RetryPolicy;
  readonly #timeoutMs: number;
  readonly #onRetry: ((info: RetryInfo) => void) | undefined;

  /**
   * @example const client = new HostedClient({ pat, appId: 'reviews' }); await client.request('GetApp', 'GET', client.appPath());
   */
  constructor(options: HostedClientOptions) {
    if (!options.appId || !ID_SEGMENT.test(options.appId)) throw new InvalidInputError('hosted: appId must be a non-empty id');
    const userId = options.userId ?? 'me';
    if (!ID_SEGMENT.test(userId)) throw new InvalidInputError('hosted: userId must be an id or "me"');
    if (!options.pat && !options.proxyUrl && options.patStorage !== 'session') {
      throw new InvalidInputError('hosted: pass a pat, or a proxyUrl whose server adds the key');
    }
    this.userId = userId;
    this.appId = options.appId;
    this.viaProxy = !!options.proxyUrl;
    this.root = (options.proxyUrl ?? options.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, '');
    this.#credentials = new Credentials(options.pat, options.patStorage);
    if (!this.#credentials.hasPat && !options.proxyUrl) throw new InvalidInputError('hosted: no pat in this session');
    this.#fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.#retry = options.retry ?? {};
    this.#timeoutMs = options.timeoutMs ?? 60_000;
    this.#onRetry = options.onRetry;
  }

  /** `/v2/users/{U}/apps/{A}` plus `rest`. */
  appPath(rest = ''): string {
    return `/v2/users/${enc(this.userId)}/apps/${enc(this.appId)}${rest}`;
  }

  /** Drops the PAT (memory and sessionStorage). Later calls fail with 11008 unless a proxy adds the key. */
  forgetPat(): void {
    this.#credentials.forget();
  }

  toJSON(): Record<string, unknown> {
    return { userId: this.userId, appId: this.appId, root: this.root, credentials: this.#credentials.toJSON() };
  }

  /**
   * One API call. Returns the parsed body when `status.code` is accepted; throws HostedApiError (with the code and
   * description) or HostedTransportError otherwise.
   */
  async request(operation: string, method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse> {
    const url = this.root + path + queryString(options.query);
    const attempts = Math.max(1, this.#retry.attempts ?? DEFAULT_RETRY.attempts);
    const mode = options.retry ?? 'all';
    const accept = options.accept ?? [10000];
    const headers: Record<string, string> = {};
    const auth = this.#credentials.authorization();
    if (auth) headers.Authorization = auth;
    if (options.body !== undefined) headers['Content-Type'] = 'application/json';
    const body = options.body === undefined ? undefined : JSON.stringify(options.body);
    for (let attempt = 1; ; attempt++) {
      if (options.signal?.aborted) throw new CancelledError();
      const outcome = await this.once(operation, method, url, headers, body, options.signal);
      if ('json' in outcome) {
        const status = readStatus(outcome.json.status);
        if (accept.includes(status.code)) return { ...outcome.json, status };
        const retryable = isRetryableAnswer(status.code, outcome.http, mode);
        if (!retryable || attempt >= attempts) throw new HostedApiError(operation, this.clean(status), outcome.http);
        await this.pause(operation, attempt, outcome.retryAfterMs, `${status.code} ${status.description}`, options.signal);
        continue;
      }
      // No JSON: a dropped connection, a timeout, or an HTML error page. Only `all` mode retries those.
      const reason = outcome.error;
      const throttled = 'http' in outcome && outcome.http === 429;
      if (!(mode === 'all' || throttled) || attempt >= attempts) throw new HostedTransportError(operation, this.#credentials.redact(reason));
      await this.pause(operation, attempt, 'retryAfterMs' in outcome ? outcome.retryAfterMs : undefined, reason, options.signal);
    }
  }

  private async once(
    operation: string,
    method: string,
    url: string,
    headers: Record<string, string>,
    body: string | undefined,
    signal: AbortSignal | undefined,
  ): Promise<{ json: ApiResponse; http: number; retryAfterMs?: number } | { error: string; http?: number; retryAfterMs?: number }> {
    const timeout = AbortSignal.timeout(this.#timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    let res: Response;
    try {
      res = await this.#fetch(url, { method, headers, body, signal: combined, credentials: 'omit', cache: 'no-store' });
    } catch (err) {
      if (signal?.aborted) throw new CancelledError();
      return { error: timeout.aborted ? `no answer within ${this.#timeoutMs} ms` : `network error (${errorText(err)})` };
    }
    const retryAfterMs = parseRetryAfter(res.headers.get('Retry-After'));
    let text: string;
    try {
      text = await res.text();
    } catch (err) {
      if (signal?.aborted) throw new CancelledError();
      return { error: `connection dropped while reading the answer (${errorText(err)})`, http: res.status, retryAfterMs };
    }
    try {
      const json = JSON.parse(text) as unknown;
      if (json && typeof json === 'object' && 'status' in json) return { json: json as ApiResponse, http: res.status, retryAfterMs };
    } catch {
      /* not JSON: reported below */
    }
    void operation;
    return { error: `HTTP ${res.status} without a JSON status body`, http: res.status, retryAfterMs };
  }

  private async pause(operation: string, attempt: number, retryAfterMs: number | undefined, reason: string, signal?: AbortSignal) {
    const delayMs = backoffDelay(attempt - 1, this.#retry, retryAfterMs);
    this.#onRetry?.({ operation, attempt, delayMs, reason: this.#credentials.redact(reason) });
    await sleep(delayMs, signal);
  }

  private clean(s: ApiStatus): ApiStatus {
    const r = (t: string | undefined) => (t === undefined ? undefined : this.#credentials.redact(t));
    return { code: s.code, description: r(s.description) ?? '', details: r(s.details), reqId: s.reqId };
  }
}

function isRetryableAnswer(code: number, http: number, mode: RetryMode): boolean {
  if (AUTH_CODES.includes(code)) return false;
  const throttled = http === 429 || code === 11005 || code === 40030;
  if (mode === 'throttle') return throttled;
  return throttled || RETRYABLE_CODES.includes(code) || isInternalCode(code) || http >= 500;
}

/** Reads a `status` object whose code may be a number, a numeric string or an enum name. */
export function readStatus(raw: unknown): ApiStatus {
  const s = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  return {
    code: statusNumber(s.code),
    description: typeof s.description === 'string' ? s.description : '',
    details: typeof s.details === 'string' && s.details ? s.details : undefined,
    reqId: typeof s.req_id === 'string' ? s.req_id : undefined,
  };
}

/** Official-client GET encoding: nested names dotted, repeated fields as repeated keys. */
export function queryString(query: RequestOptions['query']): string {
  if (!query) return '';
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined) continue;
    if (Array.isArray(v)) for (const x of v) p.append(k, String(x));
    else p.append(k, String(v));
  }
  const s = p.toString();
  return s ? `?${s}` : '';
}

export const enc = (s: string): string => encodeURIComponent(s);

function errorText(err: unknown): string {
  if (err instanceof Error) {
    const cause = (err as Error & { cause?: unknown }).cause;
    return cause instanceof Error ? `${err.message}: ${cause.message}` : err.message;
  }
  return String(err);
}
