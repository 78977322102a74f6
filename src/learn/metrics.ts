/**
 * Evaluation of scores against true labels: accuracy, per-concept precision/recall/F1/support, macro and micro F1,
 * confusion matrix, ROC AUC and PR curve per concept, a threshold sweep, and the errors with their ids. Pure.
 */
import type { ProblemType } from '../types.js';

export interface EvaluateOptions {
  problemType: ProblemType;
  /** Multi-label decision threshold per concept (by name or index); default 0.5. Multi-class predicts the argmax. */
  thresholds?: Record<string, number> | readonly number[] | null;
  /** Example ids, reported with the errors; default: the row index as a string. */
  ids?: readonly string[];
  /** ROC AUC, PR curves and the threshold sweep (default true). */
  curves?: boolean;
  /** Most false positives (and false negatives) listed, most confident first; default 100. */
  maxErrors?: number;
}

export interface PrPoint {
  threshold: number;
  precision: number;
  recall: number;
}

export interface ConceptMetrics {
  precision: number;
  recall: number;
  f1: number;
  /** Rows whose true labels include the concept. */
  support: number;
  tp: number;
  fp: number;
  fn: number;
  /** ROC AUC of the concept's score, one-vs-rest; null without both positives and negatives. */
  auc?: number | null;
  /** Precision–recall curve, highest threshold first (at most 50 points). */
  pr?: PrPoint[];
}

export interface EvalError {
  id: string;
  concept: string;
  score: number;
}

export interface EvalReport {
  count: number;
  /** Multi-class: top concept is the true one. Multi-label: predicted set equals the true set (subset accuracy). */
  accuracy: number;
  /** Unweighted mean F1 over concepts that occur in the truth or the predictions. */
  macroF1: number;
  /** F1 of true/false positives pooled over concepts (equals accuracy for multi-class). */
  microF1: number;
  perConcept: Record<string, ConceptMetrics>;
  /** `matrix[t][p]`: rows with true concept t and predicted concept p (multi-label: every true × predicted pair). */
  confusion: { labels: string[]; matrix: number[][] };
  /** Pooled precision/recall/F1 if every concept used one threshold, from 0.05 to 0.95. */
  thresholdSweep?: (PrPoint & { f1: number })[];
  falsePositives: EvalError[];
  falseNegatives: EvalError[];
}

const f1Of = (p: number, r: number) => (p + r > 0 ? (2 * p * r) / (p + r) : 0);
const ratio = (a: number, b: number) => (b > 0 ? a / b : 0);

/**
 * ROC AUC by the rank-sum (Mann–Whitney) statistic, ties counted half; null without positives or negatives.
 * @example rocAuc([0.9, 0.2, 0.7], [true, false, false]) // 1
 */
export function rocAuc(scores: ArrayLike<number>, positive: ArrayLike<boolean>): number | null {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let pos = 0;
  let rankSum = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && scores[order[j + 1]] === scores[order[i]]) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) if (positive[order[k]]) (pos++, (rankSum += rank));
    i = j + 1;
  }
  const neg = n - pos;
  if (!pos || !neg) return null;
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

/**
 * Precision–recall points at each distinct score, highest threshold first, thinned to at most `maxPoints`.
 * @example prCurve([0.9, 0.2], [true, false]) // [{ threshold: 0.9, precision: 1, recall: 1 }, …]
 */
export function prCurve(scores: ArrayLike<number>, positive: ArrayLike<boolean>, maxPoints = 50): PrPoint[] {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b] - scores[a]);
  let total = 0;
  for (let i = 0; i < n; i++) if (positive[i]) total++;
  const points: PrPoint[] = [];
  let tp = 0;
  for (let i = 0; i < n; i++) {
    if (positive[order[i]]) tp++;
    if (i + 1 < n && scores[order[i + 1]] === scores[order[i]]) continue;
    points.push({ threshold: scores[order[i]], precision: tp / (i + 1), recall: ratio(tp, total) });
  }
  if (points.length <= maxPoints) return points;
  const step = (points.length - 1) / (maxPoints - 1);
  return Array.from({ length: maxPoints }, (_, k) => points[Math.round(k * step)]);
}

function thresholdList(options: EvaluateOptions, concepts: readonly string[]): number[] {
  const t = options.thresholds;
  return concepts.map((c, k) => {
    const v = Array.isArray(t) ? t[k] : (t as Record<string, number> | null | undefined)?.[c];
    return typeof v === 'number' && Number.isFinite(v) ? v : 0.5;
  });
}

/** Predicted concept indices per row: the argmax (multi-class) or all concepts at or above their threshold. */
export function predict(scores: Float32Array, classes: number, problemType: ProblemType, thresholds?: number[]): number[][] {
  const rows = scores.length / classes;
  const out: number[][] = [];
  for (let r = 0; r < rows; r++) {
    const o = r * classes;
    if (problemType === 'single_label_classification') {
      let best = 0;
      for (let c = 1; c < classes; c++) if (scores[o + c] > scores[o + best]) best = c;
      out.push([best]);
    } else {
      const set: number[] = [];
      for (let c = 0; c < classes; c++) if (scores[o + c] >= (thresholds?.[c] ?? 0.5)) set.push(c);
      out.push(set);
    }
  }
  return out;
}

/**
 * Scores a [rows × concepts] score matrix against each row's true labels.
 * @example
 * const report = evaluate([['pos'], ['neg']], new Float32Array([0.2, 0.8, 0.9, 0.1]), ['neg', 'pos'],
 *   { problemType: 'single_label_classification' });
 * report.accuracy // 1
 */
export function evaluate(
  truth: readonly (readonly string[])[],
  scores: Float32Array,
  concepts: readonly string[],
  options: EvaluateOptions,
): EvalReport {
  const C = concepts.length;
  const n = truth.length;
  if (scores.length !== n * C) throw new RangeError(`scores must be ${n}×${C}, got ${scores.length} numbers`);
  const index = new Map(concepts.map((c, k) => [c, k]));
  const thresholds = thresholdList(options, concepts);
  const predicted = predict(scores, C, options.problemType, thresholds);
  const idOf = (i: number) => options.ids?.[i] ?? String(i);
  const tp = new Array<number>(C).fill(0);
  const fp = new Array<number>(C).fill(0);
  const fn = new Array<number>(C).fill(0);
  const matrix = concepts.map(() => new Array<number>(C).fill(0));
  const falsePositives: EvalError[] = [];
  const falseNegatives: EvalError[] = [];
  let correct = 0;
  for (let i = 0; i < n; i++) {
    const t = new Set<number>();
    let unknown = false;
    for (const l of truth[i]) {
      const k = index.get(l);
      if (k === undefined) unknown = true;
      else t.add(k);
    }
    const p = new Set(predicted[i]);
    if (!unknown && t.size === p.size && [...t].every((k) => p.has(k))) correct++;
    for (const k of p) {
      if (t.has(k)) tp[k]++;
      else (fp[k]++, falsePositives.push({ id: idOf(i), concept: concepts[k], score: scores[i * C + k] }));
    }
    for (const k of t) {
      if (!p.has(k)) (fn[k]++, falseNegatives.push({ id: idOf(i), concept: concepts[k], score: scores[i * C + k] }));
      for (const q of p) matrix[k][q]++;
    }
  }
  const perConcept: Record<string, ConceptMetrics> = {};
  const f1s: number[] = [];
  const curves = options.curves ?? true;
  concepts.forEach((c, k) => {
    const precision = ratio(tp[k], tp[k] + fp[k]);
    const recall = ratio(tp[k], tp[k] + fn[k]);
    const m: ConceptMetrics = { precision, recall, f1: f1Of(precision, recall), support: tp[k] + fn[k], tp: tp[k], fp: fp[k], fn: fn[k] };
    if (m.support > 0 || fp[k] > 0) f1s.push(m.f1);
    if (curves) {
      const col = Float32Array.from({ length: n }, (_, i) => scores[i * C + k]);
      const pos = truth.map((ls) => ls.includes(c));
      m.auc = rocAuc(col, pos);
      m.pr = prCurve(col, pos);
    }
    perConcept[c] = m;
  });
  const sum = (a: number[]) => a.reduce((s, x) => s + x, 0);
  const microP = ratio(sum(tp), sum(tp) + sum(fp));
  const microR = ratio(sum(tp), sum(tp) + sum(fn));
  const maxErrors = options.maxErrors ?? 100;
  const report: EvalReport = {
    count: n,
    accuracy: ratio(correct, n),
    macroF1: f1s.length ? sum(f1s) / f1s.length : 0,
    microF1: f1Of(microP, microR),
    perConcept,
    confusion: { labels: [...concepts], matrix },
    falsePositives: falsePositives.sort((a, b) => b.score - a.score).slice(0, maxErrors),
    falseNegatives: falseNegatives.sort((a, b) => a.score - b.score).slice(0, maxErrors),
  };
  if (curves) report.thresholdSweep = sweep(truth, scores, concepts, index);
  return report;
}

function sweep(
  truth: readonly (readonly string[])[],
  scores: Float32Array,
  concepts: readonly string[],
  index: Map<string, number>,
): (PrPoint & { f1: number })[] {
  const C = concepts.length;
  const out: (PrPoint & { f1: number })[] = [];
  for (let s = 1; s <= 19; s++) {
    const threshold = s / 20;
    let tp = 0;
    let fp = 0;
    let fn = 0;
    truth.forEach((ls, i) => {
      const t = new Set(ls.map((l) => index.get(l)).filter((k): k is number => k !== undefined));
      for (let k = 0; k < C; k++) {
        const hit = scores[i * C + k] >= threshold;
        if (hit && t.has(k)) tp++;
        else if (hit) fp++;
        else if (t.has(k)) fn++;
      }
    });
    const precision = ratio(tp, tp + fp);
    const recall = ratio(tp, tp + fn);
    out.push({ threshold, precision, recall, f1: f1Of(precision, recall) });
  }
  return out;
}
