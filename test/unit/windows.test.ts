import { describe, expect, it } from 'vitest';
import { planWindows } from '../../src/text/windows.js';

const ids = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('planWindows', () => {
  it('keeps a short text as one window', () => {
    const p = planWindows(ids(10), 126, 'window');
    expect(p.windows).toHaveLength(1);
    expect(p.windows[0].ids).toEqual(ids(10));
    expect(p.truncated).toBe(false);
  });

  it('keeps an empty text as one empty window', () => {
    expect(planWindows([], 126, 'window').windows).toEqual([{ ids: [] }]);
  });

  it('splits a long text into overlapping windows that cover every token, last aligned to the end', () => {
    const n = 300;
    const p = planWindows(ids(n), 126, 'window');
    expect(p.windows.length).toBe(3);
    for (const w of p.windows) expect(w.ids.length).toBe(126);
    const covered = new Set(p.windows.flatMap((w) => w.ids));
    expect(covered.size).toBe(n);
    expect(p.windows.at(-1)!.ids.at(-1)).toBe(n - 1);
    // consecutive windows overlap
    const [a, b] = p.windows;
    expect(b.ids[0]).toBeLessThan(a.ids.at(-1)!);
  });

  it('truncates when asked, and says so', () => {
    const p = planWindows(ids(300), 126, 'truncate');
    expect(p.windows).toHaveLength(1);
    expect(p.windows[0].ids).toEqual(ids(126));
    expect(p.truncated).toBe(true);
  });

  it('rejects a non-positive window', () => {
    expect(() => planWindows(ids(3), 0, 'window')).toThrow(RangeError);
  });
});
