/**
 * Splitting token sequences that exceed the model's maximum length. Pure: ids in, windows out.
 */

export interface Window {
  /** Content ids of this window (special tokens are added when batching). */
  ids: number[];
}

export interface WindowPlan {
  windows: Window[];
  truncated: boolean;
}

/**
 * Splits content ids into windows of at most `maxContent` tokens overlapping by about a quarter, the last one
 * aligned to the end so no window is a short tail. With `mode: 'truncate'` keeps only the first window.
 * @example planWindows(ids, 126, 'window') // 300 ids → windows starting at 0, 94, 174
 */
export function planWindows(ids: number[], maxContent: number, mode: 'window' | 'truncate'): WindowPlan {
  if (maxContent < 1) throw new RangeError(`maxContent must be ≥ 1, got ${maxContent}`);
  if (ids.length <= maxContent) return { windows: [{ ids }], truncated: false };
  if (mode === 'truncate') return { windows: [{ ids: ids.slice(0, maxContent) }], truncated: true };
  const stride = Math.max(1, Math.floor(maxContent * 0.75));
  const windows: Window[] = [];
  for (let start = 0; ; start += stride) {
    if (start + maxContent >= ids.length) {
      windows.push({ ids: ids.slice(ids.length - maxContent) });
      break;
    }
    windows.push({ ids: ids.slice(start, start + maxContent) });
  }
  return { windows, truncated: false };
}
