/**
 * Weighted cross-entropy over logits and its gradient: softmax for multi-class, per-concept sigmoid for multi-label.
 * Pure; works on flat row-major [rows × classes] arrays.
 */
import type { ProblemType } from '../types.js';

/**
 * Per-class loss weights: `pos[c]` weighs a row whose label is c (multi-class) or a positive for c (multi-label);
 * `neg[c]` weighs a negative for c (multi-label only).
 */
export interface LossWeights {
  pos: Float32Array;
  neg: Float32Array;
}

/** Weights of 1 everywhere. */
export function unitWeights(classes: number): LossWeights {
  return { pos: new Float32Array(classes).fill(1), neg: new Float32Array(classes).fill(1) };
}

/**
 * "Balanced" weights (n / (classes · count), as scikit-learn): rare classes count as much as common ones in total.
 * For multi-label, positives and negatives of each concept are balanced separately, capped at 50× to stay stable.
 * @example balancedWeights(targets, 3, 'single_label_classification')
 */
export function balancedWeights(targets: Float32Array, classes: number, problemType: ProblemType): LossWeights {
  const n = targets.length / classes;
  const pos = new Float32Array(classes);
  for (let i = 0; i < targets.length; i++) pos[i % classes] += targets[i];
  const w = unitWeights(classes);
  for (let c = 0; c < classes; c++) {
    if (problemType === 'single_label_classification') {
      w.pos[c] = pos[c] > 0 ? n / (classes * pos[c]) : 1;
    } else {
      const p = pos[c];
      const q = n - p;
      w.pos[c] = p > 0 ? Math.min(50, n / (2 * p)) : 1;
      w.neg[c] = q > 0 ? Math.min(50, n / (2 * q)) : 1;
    }
  }
  return w;
}

/**
 * Summed weighted loss of `rows` rows; writes d(loss)/d(logits) into `grad` (same layout as `logits`).
 * `targets` holds one-hot (multi-class) or multi-hot (multi-label) rows for the same rows.
 */
export function crossEntropy(
  logits: Float32Array,
  targets: Float32Array,
  classes: number,
  problemType: ProblemType,
  weights: LossWeights,
  grad: Float32Array | null,
): number {
  let loss = 0;
  const rows = logits.length / classes;
  for (let r = 0; r < rows; r++) {
    const o = r * classes;
    if (problemType === 'multi_label_classification') {
      for (let c = 0; c < classes; c++) {
        const z = logits[o + c];
        const y = targets[o + c];
        const w = y > 0.5 ? weights.pos[c] : weights.neg[c];
        // log(1 + e^z) − y·z, written to stay finite for large |z|.
        loss += w * (Math.max(z, 0) - z * y + Math.log1p(Math.exp(-Math.abs(z))));
        if (grad) grad[o + c] = w * (1 / (1 + Math.exp(-z)) - y);
      }
      continue;
    }
    let max = -Infinity;
    for (let c = 0; c < classes; c++) max = Math.max(max, logits[o + c]);
    let sum = 0;
    for (let c = 0; c < classes; c++) sum += Math.exp(logits[o + c] - max);
    const logSum = Math.log(sum) + max;
    let w = 0;
    for (let c = 0; c < classes; c++) if (targets[o + c] > 0.5) w = weights.pos[c];
    for (let c = 0; c < classes; c++) {
      const y = targets[o + c];
      loss -= w * y * (logits[o + c] - logSum);
      if (grad) grad[o + c] = w * (Math.exp(logits[o + c] - logSum) - y);
    }
  }
  return loss;
}
