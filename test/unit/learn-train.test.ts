/**
 * Training heads on vectors: toy problems each head must learn, reproducibility, calibration, cancel, and that a
 * trained head applies through compileHead() exactly as the engine will apply it.
 */
import { describe, expect, it } from 'vitest';
import { compileHead, validateHead } from '../../src/infer/head.js';
import { evaluate } from '../../src/learn/metrics.js';
import { gaussian, seededRandom } from '../../src/learn/random.js';
import { fitHead } from '../../src/learn/train-head.js';
import type { TrainingSet } from '../../src/learn/types.js';

/** Gaussian blobs around random unit centres: `noise` controls overlap. */
function blobs(n: number, dim: number, classes: string[], noise: number, seed: number, sample = seed): TrainingSet {
  const centreRng = seededRandom(seed);
  const centres = classes.map(() => Float32Array.from({ length: dim }, () => gaussian(centreRng)));
  const rng = seededRandom(sample * 7919 + 1);
  const data = new Float32Array(n * dim);
  const labels: string[][] = [];
  for (let i = 0; i < n; i++) {
    const k = i % classes.length;
    for (let d = 0; d < dim; d++) data[i * dim + d] = centres[k][d] + noise * gaussian(rng);
    labels.push([classes[k]]);
  }
  return { data, dim, labels };
}

/** XOR-like: the class is the sign of x0·x1, which no linear head can separate. */
function xor(n: number, dim: number, seed: number): TrainingSet {
  const rng = seededRandom(seed);
  const data = new Float32Array(n * dim);
  const labels: string[][] = [];
  for (let i = 0; i < n; i++) {
    for (let d = 0; d < dim; d++) data[i * dim + d] = rng() * 2 - 1;
    data[i * dim + dim - 1] = 3; // a constant offset keeps rows away from the origin for L2 normalisation
    labels.push([data[i * dim] * data[i * dim + 1] > 0 ? 'same' : 'diff']);
  }
  return { data, dim, labels };
}

function scoreWith(head: ReturnType<typeof validateHead>, set: TrainingSet): Float32Array {
  const x = set.data.slice();
  for (let o = 0; o < x.length; o += set.dim) {
    const row = x.subarray(o, o + set.dim);
    const norm = Math.hypot(...row);
    for (let d = 0; d < set.dim; d++) row[d] /= norm;
  }
  return compileHead(head).apply(x, set.dim);
}

describe('fitHead', () => {
  const opts = { modelId: 'toy', seed: 1 };

  it.each(['linear', 'mlp'] as const)('%s head learns separable blobs and applies through compileHead', async (type) => {
    const train = blobs(300, 16, ['a', 'b', 'c'], 0.3, 1);
    const test = blobs(150, 16, ['a', 'b', 'c'], 0.3, 1, 2);
    const { head, history, validation } = await fitHead(train, { ...opts, type });
    const valid = validateHead(head, { modelId: 'toy', dim: 16 });
    const report = evaluate(test.labels, scoreWith(valid, test), head.concepts, { problemType: head.problemType });
    expect(report.accuracy).toBeGreaterThan(0.97);
    expect(validation!.accuracy).toBeGreaterThan(0.9);
    expect(history.length).toBeGreaterThan(1);
    expect(head.type).toBe(type);
    expect(head.trainingData).toMatchObject({ rows: 300, seed: 1 });
  });

  it('mlp learns XOR that a linear head cannot', async () => {
    const train = xor(600, 4, 2);
    const test = xor(300, 4, 3);
    const acc = async (type: 'linear' | 'mlp') => {
      const { head } = await fitHead(train, { ...opts, type, epochs: 200, patience: 30, learningRate: 0.02 });
      return evaluate(test.labels, scoreWith(head, test), head.concepts, { problemType: head.problemType }).accuracy;
    };
    expect(await acc('mlp')).toBeGreaterThan(0.9);
    expect(await acc('linear')).toBeLessThan(0.7);
  });

  it('learns multi-label (sigmoid) with per-concept thresholds', async () => {
    const base = blobs(400, 12, ['x', 'y', 'z', 'w'], 0.4, 5);
    // Two independent tags: "even" for classes x/z, "first" for x/y.
    const labels = base.labels.map(([c]) => [...(c === 'x' || c === 'z' ? ['even'] : []), ...(c === 'x' || c === 'y' ? ['first'] : [])]);
    const { head, validation } = await fitHead({ ...base, labels }, opts);
    expect(head.problemType).toBe('multi_label_classification');
    expect(Object.keys(head.thresholds!)).toEqual(['even', 'first']);
    expect(validation!.macroF1).toBeGreaterThan(0.9);
  });

  it('is reproducible with a seed, and differs with another', async () => {
    const set = blobs(200, 8, ['a', 'b'], 1, 7);
    const a = await fitHead(set, { ...opts, type: 'mlp' });
    const b = await fitHead(set, { ...opts, type: 'mlp' });
    const c = await fitHead(set, { ...opts, type: 'mlp', seed: 2 });
    expect(a.head.weights).toEqual(b.head.weights);
    expect(a.head.weights).not.toEqual(c.head.weights);
  });

  it('calibration lowers log-loss on held-out rows', async () => {
    // Overlapping classes and a strong L2: the uncalibrated head is under-confident.
    const set = blobs(600, 32, ['a', 'b', 'c'], 2.5, 11);
    const held = blobs(600, 32, ['a', 'b', 'c'], 2.5, 11, 12);
    const { head } = await fitHead(set, { ...opts, l2: 0.3, validationSplit: 0.3 });
    const t = head.calibration!.temperature;
    expect(t).not.toBe(1);
    const raw = scoreWith({ ...head, calibration: { temperature: 1 } }, held);
    const cal = scoreWith(head, held);
    const targets = new Float32Array(held.labels.length * 3);
    held.labels.forEach(([l], i) => (targets[i * 3 + head.concepts.indexOf(l)] = 1));
    const nll = (p: Float32Array) => -held.labels.reduce((s, _, i) => s + Math.log(Math.max(1e-12, p[i * 3 + targets.subarray(i * 3, i * 3 + 3).indexOf(1)])), 0) / held.labels.length;
    expect(nll(cal)).toBeLessThan(nll(raw) - 0.01);
    const m = head.metrics!.validation as { logLoss: number; logLossCalibrated: number };
    expect(m.logLossCalibrated).toBeLessThan(m.logLoss);
  });

  it('reports progress every epoch and stops when cancelled', async () => {
    const set = blobs(2000, 64, ['a', 'b'], 3, 3);
    const seen: number[] = [];
    let cancelled = false;
    const run = fitHead(
      set,
      { ...opts, epochs: 10_000, patience: 10_000, onProgress: (p) => (seen.push(p.epoch), p.epoch === 5 && (cancelled = true)) },
      { isCancelled: () => cancelled },
    );
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(seen).toEqual([1, 2, 3, 4, 5]);
  });

  it('refuses malformed input with a clear message', async () => {
    const set = blobs(20, 4, ['a', 'b'], 1, 1);
    await expect(fitHead({ ...set, dim: 5 }, opts)).rejects.toThrow(/expected 20 × 5/);
    await expect(fitHead(set, { ...opts, modelId: '' })).rejects.toThrow(/modelId/);
    await expect(fitHead(set, { ...opts, concepts: ['a'] })).rejects.toThrow(/"b" is not one of/);
    await expect(fitHead(set, { ...opts, problemType: 'single_label_classification', concepts: ['a', 'b'] })).resolves.toBeDefined();
  });

  it('trains 1,000 256-d embeddings quickly (reported, not asserted)', async () => {
    const set = blobs(1000, 256, ['neg', 'neu', 'pos'], 3, 9);
    for (const type of ['linear', 'mlp'] as const) {
      const { ms, history } = await fitHead(set, { ...opts, type });
      console.log(`[train 1k×256 ${type}] ${ms.toFixed(0)} ms, ${history.length} epochs`);
    }
  });
});
