/**
 * Training a head, start to finish: checks → stratified validation split → mini-batch Adam with early stopping →
 * temperature and thresholds fitted on the validation rows → a HeadFile. Pure and environment-free: the same code runs
 * in the training worker and in Node.
 */
import { CancelledError, InvalidInputError } from '../errors.js';
import type { ProblemType } from '../types.js';
import { Adam } from './adam.js';
import { fitTemperature, fitThresholds, logLoss, scoresOf } from './calibration.js';
import { buildHeadFile } from './head-file.js';
import { linearNet } from './linear-head.js';
import { balancedWeights, crossEntropy, unitWeights } from './loss.js';
import { evaluate } from './metrics.js';
import { mlpNet } from './mlp-head.js';
import type { HeadNet, Standardizer } from './net.js';
import { seededRandom, shuffle } from './random.js';
import { stratifiedSplit } from './split.js';
import type { TrainingSet, TrainOptions, TrainProgress, TrainResult } from './types.js';

/** How the caller can stop a run (checked between epochs). */
export interface TrainControl {
  isCancelled?: () => boolean;
}

/** Hand the thread back this often, so cancel messages and progress get through. */
const YIELD_MS = 30;
const yieldNow = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

function checkSet(set: TrainingSet, options: TrainOptions): void {
  if (!(set.data instanceof Float32Array)) throw new InvalidInputError('data must be a Float32Array');
  if (!Number.isInteger(set.dim) || set.dim < 1) throw new InvalidInputError('dim must be a positive integer');
  if (!Array.isArray(set.labels) || set.labels.length < 2) throw new InvalidInputError('labels: need at least 2 rows');
  if (set.data.length !== set.labels.length * set.dim) {
    throw new InvalidInputError(`data holds ${set.data.length} numbers, expected ${set.labels.length} × ${set.dim}`);
  }
  set.labels.forEach((ls, i) => {
    if (!Array.isArray(ls) || !ls.every((l) => typeof l === 'string' && l)) {
      throw new InvalidInputError(`labels[${i}] must be an array of concept names`, i);
    }
  });
  if (typeof options.modelId !== 'string' || !options.modelId) throw new InvalidInputError('modelId is required');
  if (options.dims !== undefined && options.dims !== set.dim) {
    throw new InvalidInputError(`dims is ${options.dims}, but the vectors are ${set.dim}-d`);
  }
  const f = options.validationSplit;
  if (f !== undefined && !(f >= 0 && f < 1)) throw new InvalidInputError(`validationSplit must be in [0, 1), got ${f}`);
}

function conceptsOf(set: TrainingSet, options: TrainOptions, problemType: ProblemType): string[] {
  const seen = [...new Set(set.labels.flat())].sort();
  const concepts = options.concepts ?? seen;
  const known = new Set(concepts);
  set.labels.forEach((ls, i) => {
    const bad = ls.find((l) => !known.has(l));
    if (bad !== undefined) throw new InvalidInputError(`labels[${i}]: "${bad}" is not one of the concepts`, i);
    if (problemType === 'single_label_classification' && ls.length !== 1) {
      throw new InvalidInputError(`labels[${i}]: a multi-class row needs exactly one label, got ${ls.length}`, i);
    }
  });
  const min = problemType === 'single_label_classification' ? 2 : 1;
  if (concepts.length < min) throw new InvalidInputError(`need at least ${min} concepts, got ${concepts.length}`);
  return concepts;
}

/** L2-normalised copy of the rows (when asked), and the standardisation fitted on `rows`. */
function prepare(set: TrainingSet, normalize: boolean, rows: number[]): { x: Float32Array; std: Standardizer } {
  const { dim } = set;
  const x = set.data.slice();
  if (normalize) {
    for (let o = 0; o < x.length; o += dim) {
      let s = 0;
      for (let d = 0; d < dim; d++) s += x[o + d] * x[o + d];
      const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
      for (let d = 0; d < dim; d++) x[o + d] *= inv;
    }
  }
  const mean = new Float32Array(dim);
  const sq = new Float32Array(dim);
  for (const r of rows) for (let d = 0; d < dim; d++) mean[d] += x[r * dim + d] / rows.length;
  for (const r of rows) for (let d = 0; d < dim; d++) sq[d] += (x[r * dim + d] - mean[d]) ** 2 / rows.length;
  // A constant feature carries nothing; scaling it by 1/0 would only blow up noise.
  const invStd = sq.map((v) => (v > 1e-12 ? 1 / Math.sqrt(v) : 0));
  return { x, std: { mean, invStd } };
}

/** Standardised rows `idx` of `x`, contiguous, and their targets. */
function gather(
  x: Float32Array,
  targets: Float32Array,
  dim: number,
  classes: number,
  idx: readonly number[],
  std: Standardizer,
): { x: Float32Array; y: Float32Array } {
  const gx = new Float32Array(idx.length * dim);
  const gy = new Float32Array(idx.length * classes);
  idx.forEach((r, i) => {
    for (let d = 0; d < dim; d++) gx[i * dim + d] = (x[r * dim + d] - std.mean[d]) * std.invStd[d];
    gy.set(targets.subarray(r * classes, (r + 1) * classes), i * classes);
  });
  return { x: gx, y: gy };
}

/**
 * Trains a head on labelled vectors. Resolves with the head (ready for `createClassifier({ head })`), its history
 * and validation metrics; rejects with CancelledError when `control.isCancelled()` turns true.
 * @example
 * const { head } = await fitHead({ ...(await clf.embed(texts)), labels }, { modelId: clf.info.modelId });
 */
export async function fitHead(set: TrainingSet, options: TrainOptions, control: TrainControl = {}): Promise<TrainResult> {
  const started = performance.now();
  checkSet(set, options);
  const problemType: ProblemType =
    options.problemType ??
    (set.labels.some((ls) => ls.length !== 1) ? 'multi_label_classification' : 'single_label_classification');
  const concepts = conceptsOf(set, options, problemType);
  const C = concepts.length;
  const { dim } = set;
  const n = set.labels.length;
  const seed = options.seed ?? 0;
  const type = options.type ?? 'linear';
  const normalize = options.normalize ?? true;
  const index = new Map(concepts.map((c, k) => [c, k]));
  const targets = new Float32Array(n * C);
  set.labels.forEach((ls, i) => ls.forEach((l) => (targets[i * C + index.get(l)!] = 1)));

  const fraction = options.validationSplit ?? 0.15;
  const split = fraction > 0 ? stratifiedSplit(set.labels, fraction, seed) : { train: [...set.labels.keys()], test: [] };
  const { x, std } = prepare(set, normalize, split.train);
  const tr = gather(x, targets, dim, C, split.train, std);
  const va = gather(x, targets, dim, C, split.test, std);
  const nTr = split.train.length;
  const nVa = split.test.length;
  const valLabels = split.test.map((i) => set.labels[i]);

  const rng = seededRandom(seed);
  const net: HeadNet = type === 'mlp' ? mlpNet(dim, options.hidden ?? 32, C, rng) : linearNet(dim, C);
  const adam = new Adam(net.params, net.decay, { learningRate: options.learningRate ?? 0.01, l2: options.l2 ?? 1e-3 });
  const weights = options.classWeights === 'none' ? unitWeights(C) : balancedWeights(tr.y, C, problemType);
  const batch = options.batchSize ?? Math.min(64, Math.max(8, Math.round(nTr / 16)));
  const epochs = options.epochs ?? 100;
  const patience = options.patience ?? 10;

  const grad = new Float32Array(net.params.length);
  const xb = new Float32Array(batch * dim);
  const yb = new Float32Array(batch * C);
  const zb = new Float32Array(batch * C);
  const dz = new Float32Array(batch * C);
  const zVal = new Float32Array(nVa * C);
  const order = [...Array(nTr).keys()];
  const history: TrainProgress[] = [];
  let best = { loss: Infinity, epoch: 0, params: net.params.slice() };
  let lastYield = performance.now();

  for (let epoch = 1; epoch <= epochs; epoch++) {
    shuffle(order, rng);
    let total = 0;
    for (let s = 0; s < nTr; s += batch) {
      const rows = Math.min(batch, nTr - s);
      for (let i = 0; i < rows; i++) {
        const r = order[s + i];
        xb.set(tr.x.subarray(r * dim, (r + 1) * dim), i * dim);
        yb.set(tr.y.subarray(r * C, (r + 1) * C), i * C);
      }
      const z = zb.subarray(0, rows * C);
      const g = dz.subarray(0, rows * C);
      net.forward(xb, rows, z);
      total += crossEntropy(z, yb.subarray(0, rows * C), C, problemType, weights, g);
      for (let i = 0; i < g.length; i++) g[i] /= rows;
      grad.fill(0);
      net.backward(xb, rows, g, grad);
      adam.step(grad);
    }
    let valLoss: number | null = null;
    let valMetric: number | null = null;
    if (nVa > 0) {
      net.forward(va.x, nVa, zVal);
      valLoss = crossEntropy(zVal, va.y, C, problemType, weights, null) / nVa;
      const scores = scoresOf(zVal, C, problemType);
      valMetric = evaluate(valLabels, scores, concepts, {
        problemType,
        curves: false,
        maxErrors: 0,
      }).macroF1;
    }
    const p: TrainProgress = { epoch, epochs, loss: total / nTr, valLoss, valMetric };
    history.push(p);
    options.onProgress?.(p);
    const monitored = valLoss ?? p.loss;
    if (monitored < best.loss - 1e-6) best = { loss: monitored, epoch, params: net.params.slice() };
    else if (valLoss !== null && epoch - best.epoch >= patience) break;
    if (performance.now() - lastYield > YIELD_MS) {
      await yieldNow();
      lastYield = performance.now();
    }
    if (control.isCancelled?.()) throw new CancelledError('Training was cancelled.');
  }
  if (valLossSeen(history)) net.params.set(best.params);

  let temperature = 1;
  let thresholds: number[] | null = null;
  let validation = null;
  const metrics: Record<string, unknown> = {};
  if (nVa > 0) {
    net.forward(va.x, nVa, zVal);
    temperature = fitTemperature(zVal, va.y, C, problemType);
    const scores = scoresOf(zVal, C, problemType, temperature);
    thresholds = fitThresholds(scores, va.y, C);
    const valIds = split.test.map((i) => set.ids?.[i] ?? String(i));
    validation = evaluate(valLabels, scores, concepts, {
      problemType,
      thresholds: problemType === 'multi_label_classification' ? thresholds : null,
      ids: valIds,
    });
    metrics.validation = {
      rows: nVa,
      accuracy: validation.accuracy,
      macroF1: validation.macroF1,
      microF1: validation.microF1,
      logLoss: logLoss(zVal, va.y, C, problemType, 1),
      logLossCalibrated: logLoss(zVal, va.y, C, problemType, temperature),
    };
  }
  const perConcept = Object.fromEntries(concepts.map((c, k) => [c, split.train.filter((i) => targets[i * C + k]).length]));
  const head = buildHeadFile({
    ...net.toWeights(std),
    type,
    problemType,
    modelId: options.modelId,
    modelRevision: options.modelRevision,
    model: options.model,
    dims: dim,
    normalize,
    concepts,
    temperature,
    thresholds,
    metrics,
    trainingData: {
      ...options.dataSummary,
      rows: n,
      trainRows: nTr,
      validationRows: nVa,
      trainPerConcept: perConcept,
      seed,
      epochsRun: history.length,
      bestEpoch: best.epoch,
      options: {
        validationSplit: fraction,
        learningRate: options.learningRate ?? 0.01,
        l2: options.l2 ?? 1e-3,
        batchSize: batch,
        classWeights: options.classWeights ?? 'balanced',
        ...(type === 'mlp' ? { hidden: options.hidden ?? 32 } : {}),
      },
    },
  });
  return { head, history, bestEpoch: best.epoch, validation, ms: performance.now() - started };
}

const valLossSeen = (h: TrainProgress[]) => h.some((p) => p.valLoss !== null);
