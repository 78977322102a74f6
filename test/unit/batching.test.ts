import { describe, expect, it } from 'vitest';
import { padBatch, planBatches, type Sequence } from '../../src/text/batching.js';

const seq = (len: number, text: number): Sequence => ({ ids: Array.from({ length: len }, (_, i) => i + 1), text });

describe('planBatches', () => {
  const lengths = [5, 40, 7, 39, 6, 120, 8, 41];
  const seqs = lengths.map((l, i) => seq(l, i));

  it('puts every sequence in exactly one batch', () => {
    const rows = planBatches(seqs, 128).flatMap((b) => b.rows);
    expect(rows.sort((a, b) => a - b)).toEqual(lengths.map((_, i) => i));
  });

  it('groups similar lengths: padding waste is small', () => {
    const batches = planBatches(seqs, 128);
    const padded = batches.reduce((s, b) => s + b.rows.length * b.length, 0);
    const real = lengths.reduce((a, b) => a + b, 0);
    expect(padded / real).toBeLessThan(1.1);
  });

  it('bounds padded tokens per batch, but never splits a single long sequence', () => {
    for (const b of planBatches(seqs, 64)) {
      expect(b.rows.length === 1 || b.rows.length * b.length <= 64).toBe(true);
      expect(Math.max(...b.rows.map((r) => seqs[r].ids.length))).toBe(b.length);
    }
  });

  it('caps rows per batch', () => {
    const many = Array.from({ length: 10 }, (_, i) => seq(3, i));
    const sizes = planBatches(many, 10_000, 4).map((b) => b.rows.length);
    expect(sizes).toHaveLength(3);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(4);
  });

  it('cuts a batch where padding would cost more than another run', () => {
    const mixed = [120, 5, 118, 29, 30].map((l, i) => seq(l, i));
    const groups = planBatches(mixed, 100_000).map((b) => b.rows.map((r) => mixed[r].ids.length));
    expect(groups).toEqual([
      [120, 118],
      [30, 29, 5],
    ]);
  });

  it('keeps equal lengths in one run', () => {
    const same = Array.from({ length: 32 }, (_, i) => seq(20, i));
    expect(planBatches(same, 8192)).toHaveLength(1);
  });
});

describe('padBatch', () => {
  it('right-pads with the pad id and masks padding out', () => {
    const seqs = [seq(3, 0), seq(1, 1)];
    const t = padBatch(seqs, { rows: [0, 1], length: 3 }, 0);
    expect(Array.from(t.inputIds, Number)).toEqual([1, 2, 3, 1, 0, 0]);
    expect(Array.from(t.attentionMask, Number)).toEqual([1, 1, 1, 1, 0, 0]);
    expect(Array.from(t.mask)).toEqual([1, 1, 1, 1, 0, 0]);
    expect(Array.from(t.tokenTypeIds, Number)).toEqual([0, 0, 0, 0, 0, 0]);
  });
});
