/**
 * Stratified k-fold cross-validation of a head recipe: train on k−1 folds, score the held-out fold, repeat.
 */
import { applyHead } from './apply.js';
import { evaluate, type EvalReport } from './metrics.js';
import { kFold } from './split.js';
import { fitHead, type TrainControl } from './train-head.js';
import type { TrainingSet, TrainOptions } from './types.js';

export interface CrossValidationResult {
  k: number;
  /** One report per fold, scored on that fold's held-out rows. */
  folds: EvalReport[];
  mean: { accuracy: number; macroF1: number; microF1: number };
  sd: { accuracy: number; macroF1: number; microF1: number };
}

function subset(set: TrainingSet, idx: readonly number[]): TrainingSet {
  const data = new Float32Array(idx.length * set.dim);
  idx.forEach((r, i) => data.set(set.data.subarray(r * set.dim, (r + 1) * set.dim), i * set.dim));
  return {
    data,
    dim: set.dim,
    labels: idx.map((r) => set.labels[r]),
    ids: idx.map((r) => set.ids?.[r] ?? String(r)),
  };
}

const stats = (xs: number[]) => {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, xs.length - 1));
  return { mean, sd };
};

/**
 * Trains and scores `k` heads on stratified folds (Clarifai's "K-split"); the seed fixes both folds and training.
 * @example const cv = await crossValidate(set, { modelId, k: 5 }); cv.mean.macroF1
 */
export async function crossValidate(
  set: TrainingSet,
  options: TrainOptions & { k?: number },
  control: TrainControl = {},
): Promise<CrossValidationResult> {
  const k = options.k ?? 5;
  const folds: EvalReport[] = [];
  const concepts = options.concepts ?? [...new Set(set.labels.flat())].sort();
  for (const { train, test } of kFold(set.labels, k, options.seed ?? 0)) {
    const { head } = await fitHead(subset(set, train), { ...options, concepts, onProgress: undefined }, control);
    const held = subset(set, test);
    const scores = applyHead(head, held.data, held.dim);
    const thresholds = head.problemType === 'multi_label_classification' ? head.thresholds : null;
    folds.push(evaluate(held.labels, scores, head.concepts, { problemType: head.problemType, thresholds, ids: held.ids }));
  }
  const pick = (key: 'accuracy' | 'macroF1' | 'microF1') => stats(folds.map((f) => f[key]));
  const a = pick('accuracy');
  const m = pick('macroF1');
  const u = pick('microF1');
  return {
    k,
    folds,
    mean: { accuracy: a.mean, macroF1: m.mean, microF1: u.mean },
    sd: { accuracy: a.sd, macroF1: m.sd, microF1: u.sd },
  };
}
