/** Eviction policy of the embedding cache. Pure: entries with sizes and last-use times in, keys to drop out. */

export interface CacheEntryInfo {
  key: string;
  bytes: number;
  /** Last time the entry was written or read (ms). */
  usedAt: number;
}

/**
 * Keys to evict, least recently used first, until the total fits `low × budget` (default 0.9: some headroom, so the
 * next few writes do not each trigger a pass). Nothing when the total is within budget.
 * @example evictionPlan(entries, 64 << 20) // ['…oldest key…', …]
 */
export function evictionPlan(entries: readonly CacheEntryInfo[], budgetBytes: number, low = 0.9): string[] {
  let total = 0;
  for (const e of entries) total += e.bytes;
  if (total <= budgetBytes) return [];
  const target = budgetBytes * low;
  const byAge = [...entries].sort((a, b) => a.usedAt - b.usedAt || (a.key < b.key ? -1 : 1));
  const out: string[] = [];
  for (const e of byAge) {
    if (total <= target) break;
    out.push(e.key);
    total -= e.bytes;
  }
  return out;
}
