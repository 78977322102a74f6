/**
 * Calibration fitted on the validation split: a temperature for the scores, and per-concept decision thresholds.
 * Pure.
 */
import { logitsToScores } from '../infer/activations.js';
import type { ProblemType } from '../types.js';
import { crossEntropy, unitWeights } from './loss.js';

/**
 * Mean negative log-likelihood of `logits / temperature` against one-hot / multi-hot `targets`.
 * @example logLoss(logits, targets, 3, 'single_label_classification', 1.5)
 */
export function logLoss(
  logits: Float32Array,
  targets: Float32Array,
  classes: number,
  problemType: ProblemType,
  temperature = 1,
): number {
  const scaled = logits.map((z) => z / temperature);
  const rows = logits.length / classes;
  const sum = crossEntropy(scaled, targets, classes, problemType, unitWeights(classes), null);
  return rows ? sum / rows : 0;
}

/**
 * The temperature T in [0.05, 20] that minimises validation log-loss of softmax/sigmoid(logits / T): golden-section
 * search over log T (the loss is unimodal in T). Returns 1 without rows.
 * @example const t = fitTemperature(valLogits, valTargets, 3, 'single_label_classification');
 */
export function fitTemperature(
  logits: Float32Array,
  targets: Float32Array,
  classes: number,
  problemType: ProblemType,
): number {
  if (logits.length === 0) return 1;
  const f = (logT: number) => logLoss(logits, targets, classes, problemType, Math.exp(logT));
  let a = Math.log(0.05);
  let b = Math.log(20);
  const g = (Math.sqrt(5) - 1) / 2;
  let c = b - g * (b - a);
  let d = a + g * (b - a);
  let fc = f(c);
  let fd = f(d);
  for (let i = 0; i < 40; i++) {
    if (fc < fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - g * (b - a);
      fc = f(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + g * (b - a);
      fd = f(d);
    }
  }
  const t = Math.exp((a + b) / 2);
  // Keep T = 1 unless calibration actually helps (guards against flat losses on tiny validation sets).
  return f(Math.log(t)) < f(0) ? t : 1;
}

/**
 * Per concept, the score threshold maximising F1 on the given rows (one-vs-rest); 0.5 for a concept without
 * positives. Thresholds sit halfway between neighbouring scores, so they generalise better than the scores themselves.
 * @example const thresholds = fitThresholds(valScores, valTargets, 28);
 */
export function fitThresholds(scores: Float32Array, targets: Float32Array, classes: number): number[] {
  const rows = scores.length / classes;
  const out: number[] = [];
  for (let c = 0; c < classes; c++) {
    const order = Array.from({ length: rows }, (_, r) => r).sort(
      (x, y) => scores[y * classes + c] - scores[x * classes + c],
    );
    let positives = 0;
    for (let r = 0; r < rows; r++) positives += targets[r * classes + c] > 0.5 ? 1 : 0;
    if (positives === 0) {
      out.push(0.5);
      continue;
    }
    let tp = 0;
    let best = -1;
    let bestT = 0.5;
    for (let i = 0; i < rows; i++) {
      const r = order[i];
      if (targets[r * classes + c] > 0.5) tp++;
      const s = scores[r * classes + c];
      const next = i + 1 < rows ? scores[order[i + 1] * classes + c] : 0;
      if (next === s) continue; // a threshold cannot split tied scores
      const f1 = (2 * tp) / (i + 1 + positives);
      if (f1 > best) [best, bestT] = [f1, (s + next) / 2];
    }
    out.push(bestT);
  }
  return out;
}

/** Scores (softmax or sigmoid) of logits at a temperature, as a new array. */
export function scoresOf(logits: Float32Array, classes: number, problemType: ProblemType, temperature = 1): Float32Array {
  return logitsToScores(logits.slice(), classes, problemType, temperature);
}
