/**
 * The real engine on the real tiny ONNX model, in Node (onnxruntime-web's WASM build).
 */
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createClassifier,
  DisposedError,
  HeadMismatchError,
  InvalidInputError,
  ModelLoadError,
  type Classifier,
  type HeadFile,
} from '../../src/node/index.js';
import { REVIEWS, TINY_MODEL } from '../helpers/paths.js';

let clf: Classifier;
let tmp: string;

beforeAll(async () => {
  clf = await createClassifier({ model: TINY_MODEL, dtype: 'fp32' });
  tmp = await mkdtemp(join(tmpdir(), 'inpage-test-'));
});
afterAll(async () => {
  await clf.dispose();
  await rm(tmp, { recursive: true, force: true });
});

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

describe('Node classifier on the tiny model', () => {
  it('describes itself', () => {
    expect(clf.info).toMatchObject({
      device: 'wasm',
      dtype: 'fp32',
      runtime: 'inline',
      concepts: ['negative', 'neutral', 'positive'],
      conceptSource: 'head',
      problemType: 'single_label_classification',
      pooling: 'mean',
    });
    expect(clf.info.dim).toBeGreaterThan(0);
  });

  it('classifies a batch: every concept, sorted, probabilities summing to one', async () => {
    const results = await clf.classify(REVIEWS);
    expect(results).toHaveLength(REVIEWS.length);
    for (const r of results) {
      expect(r.concepts.map((c) => c.concept).sort()).toEqual(['negative', 'neutral', 'positive']);
      const scores = r.concepts.map((c) => c.score);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
      expect(scores.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      expect(r.windows).toBe(1);
      expect(r.truncated).toBe(false);
    }
  });

  it('gives the same result for a text alone and inside a padded batch', async () => {
    const batch = await clf.embed(REVIEWS);
    for (const i of [0, 4, 5]) {
      const alone = await clf.embed([REVIEWS[i]]);
      expect(maxAbsDiff(alone.data, batch.data.subarray(i * batch.dim, (i + 1) * batch.dim))).toBeLessThan(1e-5);
    }
  });

  it('embeds to unit vectors', async () => {
    const e = await clf.embed(REVIEWS.slice(0, 3));
    expect(e.count).toBe(3);
    expect(e.data.length).toBe(3 * e.dim);
    for (let i = 0; i < 3; i++) {
      const row = e.data.subarray(i * e.dim, (i + 1) * e.dim);
      expect(Math.hypot(...row)).toBeCloseTo(1, 5);
    }
  });

  it('applies topK and threshold', async () => {
    const [top] = await clf.classify([REVIEWS[0]], { topK: 1 });
    expect(top.concepts).toHaveLength(1);
    const [all] = await clf.classify([REVIEWS[0]]);
    expect(top.concepts[0]).toEqual(all.concepts[0]);
    const [thr] = await clf.classify([REVIEWS[0]], { threshold: all.concepts[1].score });
    expect(thr.concepts).toEqual(all.concepts.slice(0, 2));
  });

  it('windows a 1 MB text without crashing, and truncates on request', async () => {
    const huge = 'This blender is loud but it crushes ice well. '.repeat(23_000);
    expect(huge.length).toBeGreaterThan(1_000_000);
    const [w] = await clf.classify([huge]);
    expect(w.windows).toBeGreaterThan(100);
    expect(w.truncated).toBe(false);
    expect(w.concepts.reduce((s, c) => s + c.score, 0)).toBeCloseTo(1, 5);
    const [t] = await clf.classify([huge], { longText: 'truncate' });
    expect(t.windows).toBe(1);
    expect(t.truncated).toBe(true);
  }, 120_000);

  it('rejects bad input with a TypeError naming the position', async () => {
    await expect(clf.classify('text' as unknown as string[])).rejects.toThrow(TypeError);
    await expect(clf.classify(['ok', 7 as unknown as string])).rejects.toThrow(/texts\[1\]/);
    await expect(clf.embed([undefined as unknown as string])).rejects.toBeInstanceOf(InvalidInputError);
    await expect(clf.classify(['ok'], { topK: -1 })).rejects.toThrow(/topK/);
  });

  it('cancels a long job, then keeps working', async () => {
    const many = Array.from({ length: 3000 }, (_, i) => `review number ${i} was fine but ${'long '.repeat(i % 50)}`);
    let done = 0;
    let total = 0;
    const job = clf.classify(many, {
      maxBatchTokens: 512,
      onProgress: (p) => {
        done = p.loaded;
        total = p.total;
        job.cancel(); // mid-run: some micro-batches are done
      },
    });
    await expect(job).rejects.toMatchObject({ name: 'AbortError' });
    // The engine itself stops: progress freezes short of the total.
    await new Promise((r) => setTimeout(r, 300));
    const frozen = done;
    await new Promise((r) => setTimeout(r, 300));
    expect(done).toBe(frozen);
    expect(frozen).toBeLessThan(total);
    const [r] = await clf.classify(['still alive']);
    expect(r.concepts).toHaveLength(3);
  });

  it('reports progress up to the total', async () => {
    const seen: number[] = [];
    let total = 0;
    await clf.classify(
      Array.from({ length: 64 }, (_, i) => `text ${i}`),
      { maxBatchTokens: 64, onProgress: (p) => (seen.push(p.loaded), (total = p.total)) },
    );
    expect(seen.at(-1)).toBe(total);
    expect(total).toBe(64);
  });

  it('q8 agrees with fp32 on the top concept', async () => {
    const q8 = await createClassifier({ model: TINY_MODEL });
    expect(q8.info.dtype).toBe('q8');
    const a = await clf.classify(REVIEWS);
    const b = await q8.classify(REVIEWS);
    const agree = a.filter((r, i) => r.concepts[0].concept === b[i].concepts[0].concept).length;
    expect(agree).toBeGreaterThanOrEqual(REVIEWS.length - 1);
    await q8.dispose();
  });

  it('refuses calls after dispose', async () => {
    const c = await createClassifier({ model: TINY_MODEL, dtype: 'fp32' });
    await c.dispose();
    await c.dispose(); // idempotent
    await expect(c.classify(['x'])).rejects.toBeInstanceOf(DisposedError);
  });
});

describe('heads', () => {
  const headFor = (over: Partial<HeadFile>): HeadFile => {
    const dims = clf.info.dim;
    return {
      format: 'inpage-classifier/head@1',
      type: 'linear',
      problemType: 'multi_label_classification',
      modelId: clf.info.modelId,
      dims,
      concepts: ['alpha', 'beta'],
      weights: [Array.from({ length: dims }, (_, d) => (d % 2 ? 1 : -1)), Array.from({ length: dims }, () => 0)],
      bias: [0, 3],
      ...over,
    };
  };

  it('classifies with a head from a file, multi-label (sigmoid)', async () => {
    const path = join(tmp, 'head.json');
    await writeFile(path, JSON.stringify(headFor({})));
    const c = await createClassifier({ model: TINY_MODEL, dtype: 'fp32', head: path });
    expect(c.info.concepts).toEqual(['alpha', 'beta']);
    expect(c.info.problemType).toBe('multi_label_classification');
    const [r] = await c.classify(['great']);
    const beta = r.concepts.find((x) => x.concept === 'beta')!;
    expect(beta.score).toBeCloseTo(1 / (1 + Math.exp(-3)), 5);
    await c.dispose();
  });

  it('refuses a head trained for another model or dimension', async () => {
    await expect(createClassifier({ model: TINY_MODEL, head: headFor({ modelId: 'someone/else' }) })).rejects.toThrow(
      HeadMismatchError,
    );
    await expect(createClassifier({ model: TINY_MODEL, head: headFor({ dims: 7 }) })).rejects.toThrow(/7-d/);
  });
});

describe('bad model folders', () => {
  const copyModel = async (name: string) => {
    const dir = join(tmp, name);
    await cp(TINY_MODEL, dir, { recursive: true });
    return dir;
  };

  it('names a missing folder or file', async () => {
    await expect(createClassifier({ model: join(tmp, 'nope') })).rejects.toThrow(/config\.json: not found/);
    const dir = await copyModel('no-q8');
    await rm(join(dir, 'onnx', 'model_quantized.onnx'));
    await expect(createClassifier({ model: dir, dtype: 'q8' })).rejects.toThrow(
      /dtype "q8" needs onnx\/model_quantized\.onnx/,
    );
  });

  it('names a corrupt ONNX file', async () => {
    const dir = await copyModel('corrupt');
    await writeFile(join(dir, 'onnx', 'model.onnx'), new Uint8Array(4096).fill(7));
    const err = await createClassifier({ model: dir, dtype: 'fp32' }).catch((e) => e);
    expect(err).toBeInstanceOf(ModelLoadError);
    expect(err.file).toBe('onnx/model.onnx');
  });

  it('names a JSON file that is HTML or broken', async () => {
    const dir = await copyModel('html');
    await writeFile(join(dir, 'config.json'), '<!DOCTYPE html><html><body>Not found</body></html>');
    await expect(createClassifier({ model: dir })).rejects.toThrow(/config\.json: got an HTML page/);
    await writeFile(join(dir, 'config.json'), '{"hidden_size": 6');
    await expect(createClassifier({ model: dir })).rejects.toThrow(/config\.json: is not valid JSON/);
  });
});
