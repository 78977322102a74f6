/**
 * Metrics against hand-computed cases, and splits: stratified, disjoint, reproducible, stable as data grows.
 */
import { describe, expect, it } from 'vitest';
import { fitThresholds, fitTemperature } from '../../src/learn/calibration.js';
import { evaluate, prCurve, rocAuc } from '../../src/learn/metrics.js';
import { heldOutSplit, isHeldOut, kFold, stratifiedSplit } from '../../src/learn/split.js';

const single = { problemType: 'single_label_classification' } as const;

describe('evaluate (multi-class)', () => {
  // Truth: a a b b c ; predicted (argmax): a b b c c
  const truth = [['a'], ['a'], ['b'], ['b'], ['c']];
  const scores = new Float32Array([
    0.8, 0.1, 0.1, //
    0.3, 0.6, 0.1, //
    0.2, 0.7, 0.1, //
    0.1, 0.2, 0.7, //
    0.1, 0.1, 0.8,
  ]);
  const r = evaluate(truth, scores, ['a', 'b', 'c'], { ...single, ids: ['r0', 'r1', 'r2', 'r3', 'r4'] });

  it('accuracy, per-concept P/R/F1/support, macro and micro F1', () => {
    expect(r.accuracy).toBeCloseTo(3 / 5);
    expect(r.perConcept.a).toMatchObject({ precision: 1, recall: 0.5, support: 2, tp: 1, fp: 0, fn: 1 });
    expect(r.perConcept.a.f1).toBeCloseTo(2 / 3);
    expect(r.perConcept.b).toMatchObject({ precision: 0.5, recall: 0.5, f1: 0.5, support: 2 });
    expect(r.perConcept.c).toMatchObject({ precision: 0.5, recall: 1, support: 1 });
    expect(r.perConcept.c.f1).toBeCloseTo(2 / 3);
    expect(r.macroF1).toBeCloseTo((2 / 3 + 0.5 + 2 / 3) / 3);
    expect(r.microF1).toBeCloseTo(3 / 5);
  });

  it('confusion matrix, rows true, columns predicted', () => {
    expect(r.confusion).toEqual({ labels: ['a', 'b', 'c'], matrix: [[1, 1, 0], [0, 1, 1], [0, 0, 1]] });
  });

  it('lists false positives and negatives with ids, most confident first', () => {
    expect(r.falsePositives).toEqual([
      { id: 'r3', concept: 'c', score: expect.closeTo(0.7) },
      { id: 'r1', concept: 'b', score: expect.closeTo(0.6) },
    ]);
    expect(r.falseNegatives.map((e) => [e.id, e.concept])).toEqual([['r3', 'b'], ['r1', 'a']]);
  });

  it('ROC AUC and PR curve per concept', () => {
    // Concept a: positives score 0.8, 0.3; negatives 0.2, 0.1, 0.1 → every positive above every negative.
    expect(r.perConcept.a.auc).toBe(1);
    expect(r.perConcept.a.pr![0]).toEqual({ threshold: expect.closeTo(0.8), precision: 1, recall: 0.5 });
    expect(r.thresholdSweep).toHaveLength(19);
  });
});

describe('evaluate (multi-label)', () => {
  it('uses per-concept thresholds; accuracy is exact-set match', () => {
    const truth = [['x', 'y'], ['x'], []];
    const scores = new Float32Array([0.9, 0.4, 0.6, 0.1, 0.2, 0.35]);
    const plain = evaluate(truth, scores, ['x', 'y'], { problemType: 'multi_label_classification' });
    // At 0.5: row0 {x} (misses y), row1 {x}, row2 {} → 2/3 exact; y: tp 0, fn 1.
    expect(plain.accuracy).toBeCloseTo(2 / 3);
    expect(plain.perConcept.y).toMatchObject({ tp: 0, fn: 1, fp: 0, f1: 0 });
    const tuned = evaluate(truth, scores, ['x', 'y'], { problemType: 'multi_label_classification', thresholds: { y: 0.38 } });
    // At y ≥ 0.38: row0 {x, y} is now right, and row2's 0.35 stays below → every row exact.
    expect(tuned.accuracy).toBe(1);
    expect(tuned.perConcept.y).toMatchObject({ tp: 1, fn: 0, fp: 0, f1: 1 });
  });
});

describe('rank metrics', () => {
  it('rocAuc counts ties half and needs both classes', () => {
    expect(rocAuc([0.5, 0.5], [true, false])).toBe(0.5);
    expect(rocAuc([0.1, 0.9, 0.4, 0.3], [false, true, true, false])).toBe(1);
    // Positives 0.1, 0.4 vs negatives 0.9, 0.3: one pair of four ranked right.
    expect(rocAuc([0.9, 0.1, 0.4, 0.3], [false, true, true, false])).toBe(0.25);
    expect(rocAuc([0.2, 0.3], [true, true])).toBeNull();
  });

  it('prCurve ends at full recall', () => {
    const c = prCurve([0.9, 0.8, 0.3, 0.1], [true, false, true, false]);
    expect(c.map((p) => [p.precision, p.recall])).toEqual([[1, 0.5], [0.5, 0.5], [2 / 3, 1], [0.5, 1]]);
  });
});

describe('calibration', () => {
  it('thresholds maximise F1 between neighbouring scores', () => {
    const scores = new Float32Array([0.9, 0.7, 0.4, 0.2]);
    const targets = new Float32Array([1, 1, 0, 0]);
    expect(fitThresholds(scores, targets, 1)[0]).toBeCloseTo(0.55);
  });

  it('temperature grows for over-confident logits and shrinks for timid ones', () => {
    // Correct 3 times out of 4 with a margin of 10: far too sure.
    const logits = new Float32Array([10, 0, 10, 0, 10, 0, 0, 10]);
    const targets = new Float32Array([1, 0, 1, 0, 1, 0, 1, 0]);
    expect(fitTemperature(logits, targets, 2, 'single_label_classification')).toBeGreaterThan(3);
    const timid = new Float32Array([0.1, 0, 0.1, 0, 0.1, 0, 0.1, 0]);
    expect(fitTemperature(timid, targets, 2, 'single_label_classification')).toBeLessThan(0.2);
  });
});

describe('splits', () => {
  const labels = Array.from({ length: 103 }, (_, i) => [i % 10 === 0 ? 'rare' : i % 2 ? 'odd' : 'even']);

  it('stratified validation split keeps class shares, every class on both sides, reproducibly', () => {
    const s = stratifiedSplit(labels, 0.15, 42);
    expect(s.train.length + s.test.length).toBe(103);
    expect(new Set([...s.train, ...s.test]).size).toBe(103);
    const count = (idx: number[], c: string) => idx.filter((i) => labels[i][0] === c).length;
    for (const c of ['rare', 'odd', 'even']) {
      expect(count(s.test, c)).toBeGreaterThanOrEqual(1);
      expect(count(s.test, c) / (count(s.test, c) + count(s.train, c))).toBeCloseTo(0.15, 1);
    }
    expect(stratifiedSplit(labels, 0.15, 42)).toEqual(s);
    expect(stratifiedSplit(labels, 0.15, 43)).not.toEqual(s);
  });

  it('k-fold: folds disjoint, covering, stratified, balanced', () => {
    const folds = kFold(labels, 5, 1);
    const tests = folds.flatMap((f) => f.test);
    expect(tests.sort((a, b) => a - b)).toEqual([...labels.keys()]);
    for (const f of folds) {
      expect(f.train.length + f.test.length).toBe(103);
      expect(f.train.some((i) => f.test.includes(i))).toBe(false);
      expect(f.test.length).toBeGreaterThanOrEqual(20);
      expect(f.test.length).toBeLessThanOrEqual(21);
      const rare = f.test.filter((i) => labels[i][0] === 'rare').length;
      expect(rare).toBeGreaterThanOrEqual(2);
      expect(rare).toBeLessThanOrEqual(3);
    }
  });

  it('held-out assignment depends on the id only, so it survives growing data', () => {
    const ids = Array.from({ length: 2000 }, (_, i) => `row-${i}`);
    const a = heldOutSplit(ids.slice(0, 1000), 0.2);
    const b = heldOutSplit(ids, 0.2);
    expect(b.test.filter((i) => i < 1000)).toEqual(a.test);
    expect(b.test.length / 2000).toBeCloseTo(0.2, 1);
    expect(isHeldOut('row-17', 0.2)).toBe(isHeldOut('row-17', 0.2));
  });
});
