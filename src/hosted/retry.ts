/**
 * Exponential back-off with full jitter, honouring Retry-After. Bounded: a policy has a maximum number of attempts,
 * so no fault can keep a call looping.
 */
import { CancelledError } from '../errors.js';
import { MAX_RETRY_AFTER_MS } from './contract.js';

export interface RetryPolicy {
  /** Tries in all, the first included (default 6). */
  attempts?: number;
  /** First delay before jitter (default 500 ms); doubles each retry. */
  baseMs?: number;
  /** Largest delay before jitter (default 30 s). */
  maxMs?: number;
  /** Source of randomness in [0, 1), for tests (default Math.random). */
  random?: () => number;
}

export const DEFAULT_RETRY: Required<Omit<RetryPolicy, 'random'>> = Object.freeze({ attempts: 6, baseMs: 500, maxMs: 30_000 });

/**
 * Delay before retry number `retry` (0-based): full jitter over `min(maxMs, baseMs·2^retry)`, but never less than the
 * server's Retry-After.
 * @example backoffDelay(2, { baseMs: 100 }, 0) // 0..400 ms, or ≥ 1000 ms with retryAfterMs = 1000
 */
export function backoffDelay(retry: number, policy: RetryPolicy = {}, retryAfterMs?: number): number {
  const base = policy.baseMs ?? DEFAULT_RETRY.baseMs;
  const cap = Math.min(policy.maxMs ?? DEFAULT_RETRY.maxMs, base * 2 ** retry);
  const jittered = (policy.random ?? Math.random)() * cap;
  return retryAfterMs !== undefined ? Math.max(jittered, Math.min(retryAfterMs, MAX_RETRY_AFTER_MS)) : jittered;
}

/**
 * Retry-After as milliseconds: delta-seconds or an HTTP date; undefined when absent or unreadable.
 * @example parseRetryAfter('2') // 2000
 */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const s = value.trim();
  if (/^\d+(\.\d+)?$/.test(s)) return Math.round(Number(s) * 1000);
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : Math.max(0, t - now);
}

/**
 * Waits `ms`, rejecting with CancelledError as soon as `signal` aborts.
 * @example await sleep(1000, controller.signal);
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new CancelledError());
    const onAbort = () => {
      clearTimeout(timer);
      reject(new CancelledError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Throws CancelledError when the signal has aborted. */
export function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw new CancelledError();
}
