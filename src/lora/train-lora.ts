/**
 * Training a LoRA adapter and a linear head together over cached bottom hidden states: stratified validation split →
 * the head starts as the linear probe of the frozen encoder (fitHead), which the adapters must beat on validation loss → AdamW on adapters and head with early stopping on validation loss →
 * temperature fitted on the validation rows → an adapter file. Pure (no DOM): runs in a worker or in Node.
 * Every epoch can be checkpointed (parameters, optimiser moments, history) and resumed exactly.
 * The layers run on the CPU kernels or, with `backend: 'webgpu'`, on WebGPU; a GPU device lost mid-run continues on
 * the CPU from the last epoch's checkpoint.
 */
import { CancelledError, GpuLostError, InvalidInputError } from '../errors.js';
import { fitTemperature, fitThresholds, scoresOf } from '../learn/calibration.js';
import { buildHeadFile } from '../learn/head-file.js';
import { linearNet } from '../learn/linear-head.js';
import { balancedWeights, crossEntropy, unitWeights } from '../learn/loss.js';
import { evaluate, type EvalReport } from '../learn/metrics.js';
import type { Standardizer } from '../learn/net.js';
import { gaussian, seededRandom, shuffle, stableHash } from '../learn/random.js';
import { stratifiedSplit } from '../learn/split.js';
import { fitHead } from '../learn/train-head.js';
import type { TrainOptions, TrainProgress } from '../learn/types.js';
import type { ProblemType } from '../types.js';
import { buildAdapterFile, type AdapterFile } from './adapter-file.js';
import { AdamW, type AdamWState } from './adamw.js';
import type { LoraExample } from './embed.js';
import type { FrozenProjections } from './layer.js';
import type { TopWeights } from './onnx-weights.js';
import { meanPool, meanPoolBackward } from './pool.js';
import { LayerStack, type LoraBackend } from './stack.js';
import { zeroLora, type LoraMatrices } from './types.js';
import { LoraGpu } from './webgpu/device.js';
import { GpuLayerStack } from './webgpu/layer.js';

export interface LoraTrainingSet {
  examples: LoraExample[];
  /** Each row's concepts: exactly one for multi-class, any number for multi-label. */
  labels: string[][];
  ids?: string[];
}

export interface LoraProgress extends TrainProgress {
  /** Wall-clock seconds of this epoch (forward and backward over the training rows, plus validation). */
  seconds: number;
  /** The backend that ran this epoch. */
  backend?: LoraBackend;
}

/** Everything needed to continue a run after `epoch` (plain data: structured-clone and JSON safe). */
export interface LoraCheckpoint {
  format: 'inpage-classifier/lora-checkpoint@1';
  epoch: number;
  adapters: number[];
  head: number[];
  adapterOptimizer: AdamWState;
  headOptimizer: AdamWState;
  best: { loss: number; epoch: number; adapters: number[]; head: number[] };
  history: LoraProgress[];
}

/** The encoder, concepts and data fields mean what they mean for a head ([C1]'s TrainOptions). */
export interface LoraTrainOptions
  extends Pick<TrainOptions, 'modelId' | 'modelRevision' | 'model' | 'problemType' | 'concepts' | 'classWeights' | 'dataSummary'> {
  /** Default 0: the same seed and data give the same adapter. */
  seed?: number;
  /** Default 0.15; 0 trains on all rows (no early stopping). */
  validationSplit?: number;
  /** Most joint epochs; default 12. */
  epochs?: number;
  /** Epochs without a better validation loss before stopping; default 3. */
  patience?: number;
  /** Adapter rank; default 8. */
  rank?: number;
  /**
   * Top layers that get adapters, counted from the top (1 … top.onnx's k); default 1. The frozen ones below run once
   * per example before training, so each epoch runs only the adapted layers forward and back.
   */
  layers?: number;
  /** AdamW step size of the adapters; default 2e-3. */
  learningRate?: number;
  /** AdamW step size of the head; default 5e-3. */
  headLearningRate?: number;
  /** Decoupled weight decay of adapters and head weights; default 0.01. */
  weightDecay?: number;
  /** Rows per step; default 16. */
  batchSize?: number;
  /** Whether the pooled vector is L2-normalised before the head (as `embed` output is); default true. */
  normalize?: boolean;
  /** Keep the first top layer's frozen q/k/v projections per example; default: when they take under 512 MB. */
  cacheProjections?: boolean;
  /**
   * Where the adapted layers run; default 'cpu'. 'webgpu' needs `navigator.gpu`; if its device is lost mid-run,
   * training continues on the CPU from the last completed epoch (see `LoraTrainResult.deviceLost`).
   */
  backend?: LoraBackend;
  /** With backend 'webgpu': run on this device instead of requesting one (a page that holds one already; tests). */
  webgpuDevice?: GPUDevice;
  onProgress?: (p: LoraProgress) => void;
  /** Called after every epoch with a resumable checkpoint. */
  onCheckpoint?: (c: LoraCheckpoint) => void;
  /** Continue a run from its checkpoint (same data, options and seed). */
  resume?: LoraCheckpoint;
}

export interface LoraTrainResult {
  adapter: AdapterFile;
  history: LoraProgress[];
  bestEpoch: number;
  validation: EvalReport | null;
  ms: number;
  /** The backend that finished the run ('cpu' after a lost GPU device). */
  backend: LoraBackend;
  /** Why the GPU device was lost, when the run went on on the CPU. */
  deviceLost?: string;
}

export interface LoraControl {
  isCancelled?: () => boolean;
}

const YIELD_MS = 30;
const yieldNow = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

function checkSet(set: LoraTrainingSet, H: number): void {
  if (!Array.isArray(set.examples) || set.examples.length !== set.labels?.length) {
    throw new InvalidInputError('examples and labels must be arrays of the same length');
  }
  if (set.examples.length < 2) throw new InvalidInputError('need at least 2 examples');
  set.examples.forEach((ex, i) => {
    if (!(ex.hidden instanceof Float32Array) || !(ex.tokens >= 1) || ex.hidden.length !== ex.tokens * H) {
      throw new InvalidInputError(`examples[${i}]: hidden must be a Float32Array of tokens × ${H}`, i);
    }
  });
}

/** Flat adapter parameters with per-layer views in the kernels' layout. */
function adapterViews(flat: Float32Array, k: number, H: number, r: number): LoraMatrices[] {
  const n = r * H;
  return Array.from({ length: k }, (_, i) => {
    const o = i * 4 * n;
    return { r, aq: flat.subarray(o, o + n), bq: flat.subarray(o + n, o + 2 * n), av: flat.subarray(o + 2 * n, o + 3 * n), bv: flat.subarray(o + 3 * n, o + 4 * n) };
  });
}

/**
 * Trains an adapter on the top layers of `top` and a linear head over its pooled vector.
 * @example
 * const top = readTopWeights(topBytes);
 * const { adapter } = await fitLora({ examples, labels }, top, { modelId: 'tiny-sentiment' });
 */
export async function fitLora(set: LoraTrainingSet, top: TopWeights, options: LoraTrainOptions, control: LoraControl = {}): Promise<LoraTrainResult> {
  const started = performance.now();
  const backend = options.backend ?? 'cpu';
  if (backend === 'cpu') return fitLoraOn(set, top, options, control, null, started);
  if (backend !== 'webgpu') throw new InvalidInputError(`backend must be 'cpu' or 'webgpu', got ${JSON.stringify(backend)}`);
  const gpu = await LoraGpu.open(options.webgpuDevice);
  let last = options.resume;
  const keep = (c: LoraCheckpoint) => {
    last = c;
    options.onCheckpoint?.(c);
  };
  try {
    return await fitLoraOn(set, top, { ...options, onCheckpoint: keep }, control, gpu, started);
  } catch (e) {
    if (!(e instanceof GpuLostError)) throw e;
    // Same data, options and seed from the last completed epoch: the CPU run replays exactly what was left.
    const result = await fitLoraOn(set, top, { ...options, resume: last }, control, null, started);
    return { ...result, deviceLost: e.message };
  } finally {
    gpu.destroy();
  }
}

/** fitLora on one backend: the CPU kernels (gpu null) or WebGPU; a lost device throws GpuLostError. */
async function fitLoraOn(
  set: LoraTrainingSet, top: TopWeights, options: LoraTrainOptions, control: LoraControl, gpu: LoraGpu | null, started: number,
): Promise<LoraTrainResult> {
  const H = top.hidden;
  const kAll = top.layers.length;
  const k = options.layers ?? 1;
  if (!Number.isInteger(k) || k < 1 || k > kAll) throw new InvalidInputError(`layers must be an integer from 1 to ${kAll}`);
  checkSet(set, H);
  if (typeof options.modelId !== 'string' || !options.modelId) throw new InvalidInputError('modelId is required');
  const problemType: ProblemType =
    options.problemType ?? (set.labels.some((ls) => ls.length !== 1) ? 'multi_label_classification' : 'single_label_classification');
  const concepts = options.concepts ?? [...new Set(set.labels.flat())].sort();
  const C = concepts.length;
  const index = new Map(concepts.map((c, i) => [c, i]));
  const n = set.examples.length;
  const targets = new Float32Array(n * C);
  set.labels.forEach((ls, i) =>
    ls.forEach((l) => {
      const c = index.get(l);
      if (c === undefined) throw new InvalidInputError(`labels[${i}]: "${l}" is not one of the concepts`, i);
      targets[i * C + c] = 1;
    }),
  );
  const seed = options.seed ?? 0;
  const r = options.rank ?? 8;
  const normalize = options.normalize ?? true;
  const fraction = options.validationSplit ?? 0.15;
  const split = fraction > 0 ? stratifiedSplit(set.labels, fraction, seed) : { train: [...set.labels.keys()], test: [] };
  const trainRows = split.train;
  const valRows = split.test;
  const stack = new LayerStack(top.layers.slice(kAll - k), r);
  // The frozen top layers below the adapted ones run once: their output is the adapted layers' constant input.
  let examples = set.examples;
  if (k < kAll) {
    const below = new LayerStack(top.layers.slice(0, kAll - k), r);
    examples = set.examples.map((ex) => {
      const y = below.forward(ex.hidden, ex.tokens, null, []);
      return { tokens: ex.tokens, hidden: Float32Array.from(y.subarray(0, ex.tokens * H)) };
    });
    await yieldNow();
  }

  // Frozen encoder: pooled vectors → standardisation (kept fixed, folded into the head at the end) → head warm-up.
  const pooled = new Float32Array(H);
  const base = new Float32Array(n * H);
  examples.forEach((ex, i) => {
    const y = stack.forward(ex.hidden, ex.tokens, null, []);
    meanPool(y, ex.tokens, H, null, normalize, base.subarray(i * H, (i + 1) * H));
  });
  const std = standardizer(base, H, trainRows);
  const net = linearNet(H, C);
  const weights = options.classWeights === 'none' ? unitWeights(C) : balancedWeights(gatherTargets(targets, C, trainRows), C, problemType);
  const wd = options.weightDecay ?? 0.01;
  const headOpt = new AdamW(net.params, net.decay, { learningRate: options.headLearningRate ?? 5e-3, weightDecay: wd });
  const adapterFlat = new Float32Array(k * 4 * r * H);
  const adapters = adapterViews(adapterFlat, k, H, r);
  const adapterOpt = new AdamW(adapterFlat, null, { learningRate: options.learningRate ?? 2e-3, weightDecay: wd });
  const batch = options.batchSize ?? 16;
  const epochs = options.epochs ?? 12;
  const patience = options.patience ?? 3;

  const xs = new Float32Array(H);
  const z = new Float32Array(C);
  const dz = new Float32Array(C);
  const headGrad = new Float32Array(net.params.length);
  const standardize = (p: Float32Array, out: Float32Array) => {
    for (let j = 0; j < H; j++) out[j] = (p[j] - std.mean[j]) * std.invStd[j];
  };

  let history: LoraProgress[] = [];
  let first = 1;
  let best = { loss: Infinity, epoch: 0, adapters: adapterFlat.slice(), head: net.params.slice() };
  if (options.resume) {
    const c = options.resume;
    adapterFlat.set(c.adapters);
    net.params.set(c.head);
    adapterOpt.restore(c.adapterOptimizer);
    headOpt.restore(c.headOptimizer);
    best = { loss: c.best.loss, epoch: c.best.epoch, adapters: Float32Array.from(c.best.adapters), head: Float32Array.from(c.best.head) };
    history = [...c.history];
    first = c.epoch + 1;
    // A checkpoint taken as early stopping struck has no epochs left.
    if (valRows.length && c.epoch - c.best.epoch >= patience) first = epochs + 1;
  } else {
    const rng = seededRandom(seed);
    // A random, B zero: the adapted model starts as the base model, and B's first steps see a useful gradient.
    for (const a of adapters) for (const m of [a.aq, a.av]) for (let i = 0; i < m.length; i++) m[i] = gaussian(rng) / Math.sqrt(H);
    // The head starts as the tuned linear probe (fitHead on the same split), re-expressed over standardised inputs.
    const probe = await fitHead(
      { data: base, dim: H, labels: set.labels },
      { modelId: options.modelId, seed, concepts, problemType, validationSplit: fraction, classWeights: options.classWeights, normalize: false },
    );
    probeToStandardized(probe.head.weights, probe.head.bias, std, net.params, H, C);
    best.head = net.params.slice();
    best.adapters = adapterFlat.slice();
  }

  const cacheBytes = trainRows.reduce((s, i) => s + 3 * examples[i].tokens * H * 4, 0);
  const frozen = new Map<number, FrozenProjections>();
  const gpuStack = gpu ? new GpuLayerStack(gpu, top.layers.slice(kAll - k), r, examples.reduce((m, ex) => Math.max(m, ex.tokens), 0)) : null;
  if (!gpuStack && (options.cacheProjections ?? cacheBytes < 512 * 2 ** 20)) {
    for (const i of trainRows) frozen.set(i, stack.frozen(examples[i].hidden, examples[i].tokens));
  }

  const dPooled = new Float32Array(H);
  let dOut = new Float32Array(0);
  const grads = adapterViews(new Float32Array(adapterFlat.length), k, H, r);
  const gradFlat = new Float32Array(grads[0].aq.buffer);
  const order = [...trainRows];
  let lastYield = performance.now();

  /** Loss of example i; with `train`, adds its gradients (scaled by `scale`). Leaves logits in z. */
  const step = async (i: number, train: boolean, scale: number): Promise<number> => {
    const ex = examples[i];
    const T = ex.tokens;
    const y = gpuStack ? await gpuStack.forward(ex.hidden, T, null, adapters) : stack.forward(ex.hidden, T, null, adapters, frozen.get(i));
    const norm = meanPool(y, T, H, null, normalize, pooled);
    standardize(pooled, xs);
    net.forward(xs, 1, z);
    const loss = crossEntropy(z, targets.subarray(i * C, (i + 1) * C), C, problemType, weights, train ? dz : null);
    if (!train) return loss;
    for (let c = 0; c < C; c++) dz[c] *= scale;
    net.backward(xs, 1, dz, headGrad);
    for (let j = 0; j < H; j++) {
      let s = 0;
      for (let c = 0; c < C; c++) s += dz[c] * net.params[c * H + j];
      dPooled[j] = s * std.invStd[j];
    }
    if (dOut.length < T * H) dOut = new Float32Array(T * H);
    meanPoolBackward(dPooled, pooled, norm, T, H, null, normalize, dOut);
    if (gpuStack) await gpuStack.backward(T, dOut, adapters, grads);
    else stack.backward(T, dOut, adapters, grads);
    return loss;
  };

  const valLogits = async () => {
    const out = new Float32Array(valRows.length * C);
    let loss = 0;
    for (const [v, i] of valRows.entries()) {
      loss += await step(i, false, 0);
      out.set(z, v * C);
    }
    return { logits: out, loss: valRows.length ? loss / valRows.length : 0 };
  };
  const valLabels = valRows.map((i) => set.labels[i]);
  const valTargets = gatherTargets(targets, C, valRows);

  if (!options.resume && valRows.length) best.loss = (await valLogits()).loss;

  for (let epoch = first; epoch <= epochs; epoch++) {
    const t0 = performance.now();
    // Each epoch's order depends on (seed, epoch) only, so a resumed run replays the same batches.
    order.splice(0, order.length, ...trainRows);
    shuffle(order, seededRandom(stableHash(`${seed}:${epoch}`)));
    let total = 0;
    for (let s = 0; s < order.length; s += batch) {
      const rows = Math.min(batch, order.length - s);
      gradFlat.fill(0);
      headGrad.fill(0);
      for (let b = 0; b < rows; b++) total += await step(order[s + b], true, 1 / rows);
      adapterOpt.step(gradFlat);
      headOpt.step(headGrad);
      if (performance.now() - lastYield > YIELD_MS) {
        await yieldNow();
        lastYield = performance.now();
      }
      if (control.isCancelled?.()) throw new CancelledError('Training was cancelled.');
    }
    let valLoss: number | null = null;
    let valMetric: number | null = null;
    if (valRows.length) {
      const v = await valLogits();
      valLoss = v.loss;
      valMetric = evaluate(valLabels, scoresOf(v.logits, C, problemType), concepts, { problemType, curves: false, maxErrors: 0 }).macroF1;
    }
    const p: LoraProgress = { epoch, epochs, loss: total / order.length, valLoss, valMetric, seconds: (performance.now() - t0) / 1000, backend: gpu ? 'webgpu' : 'cpu' };
    history.push(p);
    const monitored = valLoss ?? p.loss;
    if (monitored < best.loss - 1e-6) best = { loss: monitored, epoch, adapters: adapterFlat.slice(), head: net.params.slice() };
    options.onProgress?.(p);
    options.onCheckpoint?.({
      format: 'inpage-classifier/lora-checkpoint@1',
      epoch,
      adapters: Array.from(adapterFlat),
      head: Array.from(net.params),
      adapterOptimizer: adapterOpt.state(),
      headOptimizer: headOpt.state(),
      best: { loss: best.loss, epoch: best.epoch, adapters: Array.from(best.adapters), head: Array.from(best.head) },
      history: [...history],
    });
    if (valLoss !== null && epoch - best.epoch >= patience) break;
  }
  if (valRows.length) {
    adapterFlat.set(best.adapters);
    net.params.set(best.head);
  }

  let temperature = 1;
  let thresholds: number[] | null = null;
  let validation: EvalReport | null = null;
  const metrics: Record<string, unknown> = {};
  if (valRows.length) {
    const v = await valLogits();
    temperature = fitTemperature(v.logits, valTargets, C, problemType);
    const scores = scoresOf(v.logits, C, problemType, temperature);
    thresholds = fitThresholds(scores, valTargets, C);
    validation = evaluate(valLabels, scores, concepts, {
      problemType,
      thresholds: problemType === 'multi_label_classification' ? thresholds : null,
      ids: valRows.map((i) => set.ids?.[i] ?? String(i)),
    });
    metrics.validation = { rows: valRows.length, accuracy: validation.accuracy, macroF1: validation.macroF1, microF1: validation.microF1 };
  }
  const trainingData = {
    ...options.dataSummary,
    rows: n,
    trainRows: trainRows.length,
    validationRows: valRows.length,
    seed,
    epochsRun: history.length,
    bestEpoch: best.epoch,
    options: {
      rank: r,
      layers: k,
      learningRate: options.learningRate ?? 2e-3,
      headLearningRate: options.headLearningRate ?? 5e-3,
      weightDecay: wd,
      batchSize: batch,
      warmStart: 'linear probe (fitHead)',
      validationSplit: fraction,
    },
  };
  const head = buildHeadFile({
    ...net.toWeights(std),
    type: 'linear',
    problemType,
    modelId: options.modelId,
    modelRevision: options.modelRevision,
    model: options.model,
    dims: H,
    normalize,
    concepts,
    temperature,
    thresholds,
    metrics,
    trainingData: { lora: true, ...trainingData },
  });
  const adapter = buildAdapterFile({
    modelId: options.modelId,
    modelRevision: options.modelRevision,
    model: options.model,
    hidden: H,
    // top.onnx takes matrices for all its layers: the frozen ones below get zeros (the base layer).
    adapters: [...Array.from({ length: kAll - k }, () => zeroLora(H, r)), ...adapters],
    head,
    metrics,
    trainingData,
  });
  return { adapter, history, bestEpoch: best.epoch, validation, ms: performance.now() - started, backend: gpu ? 'webgpu' : 'cpu' };
}

function gatherTargets(targets: Float32Array, C: number, rows: readonly number[]): Float32Array {
  const out = new Float32Array(rows.length * C);
  rows.forEach((i, j) => out.set(targets.subarray(i * C, (i + 1) * C), j * C));
  return out;
}

function standardizer(x: Float32Array, H: number, rows: readonly number[]): Standardizer {
  const mean = new Float32Array(H);
  const sq = new Float32Array(H);
  for (const r of rows) for (let d = 0; d < H; d++) mean[d] += x[r * H + d] / rows.length;
  for (const r of rows) for (let d = 0; d < H; d++) sq[d] += (x[r * H + d] - mean[d]) ** 2 / rows.length;
  // A constant feature carries nothing; 1/0 would only blow up noise.
  return { mean, invStd: sq.map((v) => (v > 1e-12 ? 1 / Math.sqrt(v) : 0)) };
}

/** W·x + b over raw inputs → the same function over standardised inputs ((x − μ) · invStd), into `params` [W | b]. */
function probeToStandardized(w: number[][], b: number[], std: Standardizer, params: Float32Array, H: number, C: number): void {
  for (let c = 0; c < C; c++) {
    let bias = b[c];
    for (let j = 0; j < H; j++) {
      const inv = std.invStd[j];
      params[c * H + j] = inv > 0 ? w[c][j] / inv : 0;
      bias += w[c][j] * std.mean[j];
    }
    params[C * H + c] = bias;
  }
}
