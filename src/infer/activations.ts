/** Turning logits into scores: softmax for multi-class, sigmoid for multi-label. Pure. */

import type { ProblemType } from '../types.js';

/** In place over each row of [rows × classes] logits, after dividing by `temperature`. */
export function logitsToScores(
  logits: Float32Array,
  classes: number,
  problemType: ProblemType,
  temperature = 1,
): Float32Array {
  const t = temperature > 0 ? temperature : 1;
  for (let o = 0; o < logits.length; o += classes) {
    if (problemType === 'multi_label_classification') {
      for (let c = 0; c < classes; c++) logits[o + c] = 1 / (1 + Math.exp(-logits[o + c] / t));
      continue;
    }
    let max = -Infinity;
    for (let c = 0; c < classes; c++) max = Math.max(max, logits[o + c] / t);
    let sum = 0;
    for (let c = 0; c < classes; c++) {
      const e = Math.exp(logits[o + c] / t - max);
      logits[o + c] = e;
      sum += e;
    }
    for (let c = 0; c < classes; c++) logits[o + c] /= sum;
  }
  return logits;
}
