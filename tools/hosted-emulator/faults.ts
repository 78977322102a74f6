/**
 * Fault switches. Every rule has a count (capped), so no fault can loop forever: each matching request uses one.
 * - throttle: HTTP 429, status 11005, `Retry-After: retryAfterS`
 * - error500: HTTP 500, status 98004
 * - drop: the connection is destroyed; `after: true` (default for drop) processes the request first, so the client
 *   cannot know whether it landed — the case idempotent uploads exist for
 * - slow: the answer waits `ms` first
 */

export type FaultKind = 'throttle' | 'error500' | 'drop' | 'slow';

export interface FaultRule {
  kind: FaultKind;
  /** Requests it applies to (default 1, at most MAX_FAULT_COUNT). */
  count?: number;
  /** Only this method (e.g. POST). */
  method?: string;
  /** Only paths containing this. */
  path?: string;
  retryAfterS?: number;
  ms?: number;
  /** drop: after processing (default true). */
  after?: boolean;
  /** Let this many matching requests pass before the rule starts firing (default 0). */
  skip?: number;
}

export const MAX_FAULT_COUNT = 100;
const MAX_SLOW_MS = 30_000;

interface Armed extends FaultRule {
  left: number;
  skipLeft: number;
}

export class Faults {
  private rules: Armed[] = [];
  /** How often each kind fired, for assertions. */
  readonly fired: Record<FaultKind, number> = { throttle: 0, error500: 0, drop: 0, slow: 0 };

  set(rules: readonly FaultRule[]): void {
    this.rules = rules.map((r) => ({
      ...r,
      ms: Math.min(MAX_SLOW_MS, Math.max(0, r.ms ?? 0)),
      retryAfterS: Math.min(60, Math.max(0, r.retryAfterS ?? 1)),
      left: Math.min(MAX_FAULT_COUNT, Math.max(0, Math.floor(r.count ?? 1))),
      skipLeft: Math.min(MAX_FAULT_COUNT, Math.max(0, Math.floor(r.skip ?? 0))),
    }));
  }

  clear(): void {
    this.rules = [];
  }

  /** The rule that fires for this request, consuming one of its uses; at most one rule per request. */
  take(method: string, path: string): Armed | undefined {
    for (const r of this.rules) {
      if (r.left <= 0) continue;
      if (r.method && r.method.toUpperCase() !== method) continue;
      if (r.path && !path.includes(r.path)) continue;
      if (r.skipLeft > 0) {
        r.skipLeft--;
        continue;
      }
      r.left--;
      this.fired[r.kind]++;
      return r;
    }
    return undefined;
  }

  get pending(): number {
    return this.rules.reduce((n, r) => n + r.left, 0);
  }
}
