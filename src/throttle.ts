/**
 * Rate-limits a progress callback: at most one call per `ms`, and the last value is never dropped
 * (a `loaded === total` call always goes through), so UIs reach 100 %.
 */
export function throttleProgress<A extends { loaded: number; total: number }>(
  fn: (a: A) => void,
  ms = 100,
): (a: A) => void {
  let last = -Infinity;
  return (a) => {
    const now = Date.now();
    if (now - last >= ms || (a.total > 0 && a.loaded >= a.total)) {
      last = now;
      fn(a);
    }
  };
}
