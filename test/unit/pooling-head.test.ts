import { describe, expect, it } from 'vitest';
import { HeadMismatchError, InvalidHeadError } from '../../src/errors.js';
import { logitsToScores } from '../../src/infer/activations.js';
import { compileHead, validateHead } from '../../src/infer/head.js';
import { normalizeRows, pool } from '../../src/infer/pooling.js';
import type { HeadFile } from '../../src/types.js';

describe('pool', () => {
  // 1 row, 3 tokens (last is padding), dim 2
  const hidden = Float32Array.from([1, 2, 3, 4, 100, 100]);
  const mask = Uint8Array.from([1, 1, 0]);

  it('mean-pools over unmasked tokens only', () => {
    expect(Array.from(pool(hidden, mask, 1, 3, 2, 'mean'))).toEqual([2, 3]);
  });

  it('cls-pools the first token', () => {
    expect(Array.from(pool(hidden, mask, 1, 3, 2, 'cls'))).toEqual([1, 2]);
  });

  it('normalises rows to unit length, leaving zero rows at zero', () => {
    const m = normalizeRows(Float32Array.from([3, 4, 0, 0]), 2);
    expect(m[0]).toBeCloseTo(0.6);
    expect(m[1]).toBeCloseTo(0.8);
    expect(Array.from(m.subarray(2))).toEqual([0, 0]);
  });
});

describe('logitsToScores', () => {
  it('softmax rows sum to one and keep order; temperature flattens', () => {
    const s = logitsToScores(Float32Array.from([1, 2, 3]), 3, 'single_label_classification');
    expect(s[0] + s[1] + s[2]).toBeCloseTo(1, 6);
    expect(s[2]).toBeCloseTo(Math.exp(3) / (Math.exp(1) + Math.exp(2) + Math.exp(3)), 6);
    const hot = logitsToScores(Float32Array.from([1, 2, 3]), 3, 'single_label_classification', 10);
    expect(hot[2]).toBeLessThan(s[2]);
  });

  it('sigmoid is independent per concept', () => {
    const s = logitsToScores(Float32Array.from([0, 100, -100]), 3, 'multi_label_classification');
    expect(s[0]).toBeCloseTo(0.5);
    expect(s[1]).toBeCloseTo(1);
    expect(s[2]).toBeCloseTo(0);
  });
});

const head = (over: Partial<HeadFile> = {}): HeadFile => ({
  format: 'inpage-classifier/head@1',
  type: 'linear',
  problemType: 'single_label_classification',
  modelId: 'm',
  dims: 2,
  concepts: ['a', 'b'],
  weights: [
    [1, 0],
    [0, 1],
  ],
  bias: [0, 0],
  ...over,
});

describe('validateHead', () => {
  it('accepts a well-formed head', () => {
    expect(validateHead(head(), { modelId: 'm', dim: 2 }).concepts).toEqual(['a', 'b']);
  });

  it('refuses a head for another model or dimension', () => {
    expect(() => validateHead(head(), { modelId: 'other', dim: 2 })).toThrow(HeadMismatchError);
    expect(() => validateHead(head(), { modelId: 'm', dim: 3 })).toThrow(/expects 2-d vectors/);
  });

  it('refuses malformed heads with a message naming the field', () => {
    expect(() => validateHead(null, { modelId: 'm', dim: 2 })).toThrow(InvalidHeadError);
    expect(() => validateHead(head({ format: 'x' as never }), { modelId: 'm', dim: 2 })).toThrow(/format/);
    expect(() => validateHead(head({ weights: [[1, 0]] }), { modelId: 'm', dim: 2 })).toThrow(/weights/);
    expect(() => validateHead(head({ bias: [0, Number.NaN] }), { modelId: 'm', dim: 2 })).toThrow(/bias/);
    expect(() => validateHead(head({ concepts: ['a', 'a'] }), { modelId: 'm', dim: 2 })).toThrow(/unique/);
    expect(() => validateHead(head({ calibration: { temperature: 0 } }), { modelId: 'm', dim: 2 })).toThrow(
      /temperature/,
    );
  });
});

describe('compileHead', () => {
  it('applies W·x + b then softmax', () => {
    const h = compileHead(head({ bias: [1, 0] }));
    const s = h.apply(Float32Array.from([0, 0]), 2);
    expect(s[0]).toBeCloseTo(Math.E / (Math.E + 1), 6);
  });

  it('applies an MLP head with ReLU', () => {
    const h = compileHead(
      head({
        type: 'mlp',
        hidden: { weights: [[1, 1]], bias: [-1] },
        weights: [[1], [-1]],
      }),
    );
    // hidden = relu(0.2 + 0.3 - 1) = 0 → logits [0, 0] → [0.5, 0.5]
    expect(Array.from(h.apply(Float32Array.from([0.2, 0.3]), 2))).toEqual([0.5, 0.5]);
    // hidden = relu(2 + 1 - 1) = 2 → logits [2, -2]
    expect(h.apply(Float32Array.from([2, 1]), 2)[0]).toBeCloseTo(1 / (1 + Math.exp(-4)), 6);
  });
});
