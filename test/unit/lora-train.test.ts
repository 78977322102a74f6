/**
 * Training an adapter end to end on the tiny random-weight top.onnx: it learns, the same seed gives the same adapter,
 * a checkpoint resumes to the very same result, cancel stops it, the adapter file round-trips and is refused for
 * another model, and inference through ORT top.onnx (adapter matrices as inputs) agrees with the CPU kernels.
 */
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-web';
import { describe, expect, it } from 'vitest';
import { CancelledError, HeadMismatchError, InvalidHeadError } from '../../src/errors.js';
import { applyHead } from '../../src/learn/apply.js';
import { gaussian, seededRandom } from '../../src/learn/random.js';
import { readAdapterFile } from '../../src/lora/adapter-file.js';
import { pooledVectors, type LoraExample } from '../../src/lora/embed.js';
import { readTopWeights } from '../../src/lora/onnx-weights.js';
import { LayerStack } from '../../src/lora/stack.js';
import { createTopRunner } from '../../src/lora/top-session.js';
import { fitLora, type LoraCheckpoint, type LoraTrainOptions } from '../../src/lora/train-lora.js';

const bytes = readFileSync('tools/lora/fixture/top-tiny.onnx');
const top = readTopWeights(bytes);
const H = top.hidden;
const k = top.layers.length;

/** Random "bottom states" with random labels: only memorisation helps, which adapters add capacity for. */
function dataset(n: number, seed: number): { examples: LoraExample[]; labels: string[][] } {
  const rng = seededRandom(seed);
  const examples = Array.from({ length: n }, () => {
    const tokens = 2 + Math.floor(rng() * 6);
    return { tokens, hidden: Float32Array.from({ length: tokens * H }, () => gaussian(rng)) };
  });
  const labels = examples.map((_, i) => [['a', 'b', 'c'][i % 3]]);
  return { examples, labels };
}

const set = dataset(36, 1);

/** A padded batch of examples as top.onnx takes it: hidden [b × T × H] and a 0/1 mask [b × T]. */
function padded(ex: LoraExample[]): { T: number; hidden: Float32Array; mask: number[] } {
  const T = Math.max(...ex.map((e) => e.tokens));
  const hidden = new Float32Array(ex.length * T * H);
  const mask = new Array<number>(ex.length * T).fill(0);
  ex.forEach((e, b) => {
    hidden.set(e.hidden, b * T * H);
    for (let t = 0; t < e.tokens; t++) mask[b * T + t] = 1;
  });
  return { T, hidden, mask };
}
const base: LoraTrainOptions = { modelId: 'lora-tiny', seed: 3, epochs: 6, validationSplit: 0, rank: 4, batchSize: 8, learningRate: 1e-2, layers: k };

describe('fitLora', () => {
  it('learns: training loss falls well below the head-only warm start, and progress reports every epoch', async () => {
    const seen: number[] = [];
    const { adapter, history } = await fitLora(set, top, { ...base, epochs: 15, onProgress: (p) => seen.push(p.epoch) });
    expect(seen).toEqual(history.map((p) => p.epoch));
    expect(history.at(-1)!.loss).toBeLessThan(history[0].loss * 0.7);
    expect(adapter.layers).toHaveLength(k);
    expect(adapter.layers[0].A_q).toHaveLength(4);
    expect(adapter.layers[0].B_q).toHaveLength(H);
    expect(history[0].seconds).toBeGreaterThan(0);
  });

  it('is reproducible with a seed, and a checkpoint resumes to the identical adapter', async () => {
    const checkpoints: LoraCheckpoint[] = [];
    const a = await fitLora(set, top, { ...base, onCheckpoint: (c) => checkpoints.push(JSON.parse(JSON.stringify(c))) });
    const b = await fitLora(set, top, base);
    expect(b.adapter.layers).toEqual(a.adapter.layers);
    expect(b.adapter.head.weights).toEqual(a.adapter.head.weights);
    // "Lost device": continue from the epoch-3 checkpoint (e.g. on another backend) and land on the same numbers.
    const resumed = await fitLora(set, top, { ...base, resume: checkpoints[2] });
    expect(resumed.adapter.layers).toEqual(a.adapter.layers);
    expect(resumed.adapter.head.weights).toEqual(a.adapter.head.weights);
    expect(resumed.history.map((p) => p.loss)).toEqual(a.history.map((p) => p.loss));
  });

  it('layers: 1 adapts only the top layer: the frozen one below keeps zero matrices and ORT still agrees', async () => {
    expect(k).toBeGreaterThan(1);
    const { adapter, history } = await fitLora(set, top, { ...base, layers: 1, epochs: 8 });
    expect(history.at(-1)!.loss).toBeLessThan(history[0].loss);
    expect(adapter.layers).toHaveLength(k);
    expect(adapter.layers[0].A_q.flat().every((x) => x === 0)).toBe(true);
    expect(adapter.layers[0].B_v.flat().every((x) => x === 0)).toBe(true);
    expect(adapter.layers[k - 1].A_q.flat().some((x) => x !== 0)).toBe(true);
    expect((adapter.trainingData?.options as { layers: number }).layers).toBe(1);
    const { adapters } = readAdapterFile(JSON.parse(JSON.stringify(adapter)), { modelId: 'lora-tiny', hidden: H, k });
    const ex = set.examples.slice(0, 3);
    const { T, hidden, mask } = padded(ex);
    const runner = await createTopRunner(ort, bytes, H);
    expect(runner.k).toBe(k);
    const out = await runner.run(hidden, mask, ex.length, T, adapters);
    await runner.release();
    const cpu = new LayerStack(top.layers, 4);
    ex.forEach((e, b) => {
      const y = cpu.forward(e.hidden, e.tokens, null, adapters);
      for (let i = 0; i < e.tokens * H; i++) expect(Math.abs(y[i] - out[b * T * H + i])).toBeLessThan(1e-4);
    });
    await expect(fitLora(set, top, { ...base, layers: k + 1 })).rejects.toThrow(/layers must be/);
  });

  it('stops with CancelledError', async () => {
    let calls = 0;
    await expect(fitLora(set, top, base, { isCancelled: () => ++calls > 2 })).rejects.toBeInstanceOf(CancelledError);
  });

  it('with a validation split: early stopping, calibration and validation metrics', async () => {
    const { adapter, validation, bestEpoch } = await fitLora(set, top, { ...base, validationSplit: 0.25 });
    expect(validation).not.toBeNull();
    expect(bestEpoch).toBeGreaterThanOrEqual(0);
    expect(adapter.head.calibration?.temperature).toBeGreaterThan(0);
  });
});

describe('adapter file', () => {
  it('round-trips through JSON, is refused for another model, and ORT top.onnx with its matrices == the CPU kernels', async () => {
    const { adapter } = await fitLora(set, top, { ...base, epochs: 3 });
    const file = JSON.parse(JSON.stringify(adapter));
    const target = { modelId: 'lora-tiny', hidden: H, k };
    const { adapters } = readAdapterFile(file, target);
    expect(() => readAdapterFile(file, { ...target, modelId: 'other-model' })).toThrow(HeadMismatchError);
    expect(() => readAdapterFile(file, { ...target, hidden: H * 2 })).toThrow(HeadMismatchError);
    expect(() => readAdapterFile(file, { ...target, k: k + 1 })).toThrow(HeadMismatchError);
    expect(() => readAdapterFile({ ...file, modelRevision: 'abc' }, { ...target, modelRevision: 'def' })).toThrow(HeadMismatchError);
    expect(() => readAdapterFile({ ...file, format: 'x' }, target)).toThrow(InvalidHeadError);

    // Inference through ORT: pad a batch, feed the adapter, mean-pool the real tokens, L2-normalise, apply the head.
    const ex = set.examples.slice(0, 5);
    const { T, hidden, mask } = padded(ex);
    const runner = await createTopRunner(ort, bytes, H, k);
    const out = await runner.run(hidden, mask, ex.length, T, adapters);
    await runner.release();
    const pooledOrt = new Float32Array(ex.length * H);
    ex.forEach((e, b) => {
      const p = pooledOrt.subarray(b * H, (b + 1) * H);
      for (let t = 0; t < e.tokens; t++) for (let j = 0; j < H; j++) p[j] += out[(b * T + t) * H + j] / e.tokens;
      const norm = Math.hypot(...p);
      for (let j = 0; j < H; j++) p[j] /= norm;
    });
    const pooledCpu = pooledVectors(new LayerStack(top.layers, adapters[0].r), ex, adapters);
    for (let i = 0; i < pooledCpu.length; i++) expect(Math.abs(pooledCpu[i] - pooledOrt[i])).toBeLessThan(1e-4);
    const sOrt = applyHead(file.head, pooledOrt, H);
    const sCpu = applyHead(file.head, pooledCpu, H);
    for (let i = 0; i < sOrt.length; i++) expect(Math.abs(sOrt[i] - sCpu[i])).toBeLessThan(1e-4);
  });
});
