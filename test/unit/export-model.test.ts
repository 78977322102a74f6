/**
 * Exporting a head with the tiny encoder as a transformers.js text-classification folder: the exported graph's
 * `logits` (through our own id2label path) must score like the encoder + head, for every head kind and precision.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-web';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readExportInputs } from '../../src/export/export-inputs.js';
import { exportHeadModel } from '../../src/export/export-model.js';
import { buildHeadGraph } from '../../src/export/head-graph.js';
import { scanFields } from '../../src/export/onnx-wire.js';
import { seededRandom } from '../../src/learn/random.js';
import { folderSource } from '../../src/node/file-source.js';
import {
  createClassifier,
  HeadMismatchError,
  InvalidHeadError,
  ModelLoadError,
  trainHead,
  type ClassifyResult,
  type HeadFile,
} from '../../src/node/index.js';
import { REVIEWS, TINY_MODEL } from '../helpers/paths.js';

const DIM = 64;
let inputs: Map<string, Uint8Array>;
let tmp: string;

beforeAll(async () => {
  inputs = await readExportInputs(folderSource(TINY_MODEL));
  tmp = await mkdtemp(join(tmpdir(), 'inpage-export-'));
});
afterAll(() => rm(tmp, { recursive: true, force: true }));

/** A head with seeded random weights (big enough that scores differ clearly between texts). */
function randomHead(over: Partial<HeadFile> & { hiddenUnits?: number }, seed: number): HeadFile {
  const rng = seededRandom(seed);
  const matrix = (rows: number, cols: number) => Array.from({ length: rows }, () => Array.from({ length: cols }, () => Math.fround(4 * (rng() - 0.5))));
  const concepts = over.concepts ?? ['negative', 'neutral', 'positive'];
  const { hiddenUnits, ...rest } = over;
  const inDim = hiddenUnits ?? DIM;
  return {
    format: 'inpage-classifier/head@1',
    type: hiddenUnits ? 'mlp' : 'linear',
    problemType: 'single_label_classification',
    modelId: 'tiny-sentiment',
    dims: DIM,
    concepts,
    weights: matrix(concepts.length, inDim),
    bias: matrix(1, concepts.length)[0],
    ...(hiddenUnits ? { hidden: { weights: matrix(hiddenUnits, DIM), bias: matrix(1, hiddenUnits)[0] } } : {}),
    calibration: { temperature: 0.7 },
    ...rest,
  };
}

async function writeFolder(files: Map<string, Uint8Array>, name: string): Promise<string> {
  const dir = join(tmp, name);
  for (const [file, bytes] of files) {
    await mkdir(join(dir, file, '..'), { recursive: true });
    await writeFile(join(dir, file), bytes);
  }
  return dir;
}

// Buffer's compare: toEqual walks megabytes element by element.
const sameBytes = (a: Uint8Array, b: Uint8Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(b);

/** Per text, score by concept. */
const byConcept = (results: ClassifyResult[]) => results.map((r) => Object.fromEntries(r.concepts.map((c) => [c.concept, c.score])));

function maxDiff(a: Record<string, number>[], b: Record<string, number>[]): number {
  let m = 0;
  a.forEach((row, i) => {
    for (const [c, s] of Object.entries(row)) m = Math.max(m, Math.abs(s - b[i][c]));
  });
  return m;
}

const TEXTS = [...REVIEWS, 'fine', 'not bad at all, would buy again'.repeat(3)];

async function trainedHead(type: 'linear' | 'mlp', multi: boolean): Promise<HeadFile> {
  const clf = await createClassifier({ model: TINY_MODEL, dtype: 'fp32' });
  const texts = ['great', 'awful', 'loved it', 'hated it', 'superb value', 'broke at once', 'works well', 'useless junk', 'fantastic', 'terrible'];
  const emb = await clf.embed(texts);
  await clf.dispose();
  const labels = texts.map((_, i) => (multi ? (i % 3 === 0 ? ['good', 'short'] : i % 2 ? ['bad'] : ['good']) : [i % 2 ? 'bad' : 'good']));
  const { head } = await trainHead({ ...emb, labels }, { modelId: 'tiny-sentiment', type, validationSplit: 0, epochs: 30 });
  return head;
}

describe('exportHeadModel on the tiny model', () => {
  const cases: [string, () => Promise<HeadFile>][] = [
    ['linear, single-label (trained)', () => trainedHead('linear', false)],
    ['mlp, multi-label (trained)', () => trainedHead('mlp', true)],
    ['linear, multi-label', async () => randomHead({ problemType: 'multi_label_classification' }, 1)],
    ['mlp, single-label', async () => randomHead({ hiddenUnits: 16 }, 2)],
    ['linear, not normalised, temperature 1', async () => randomHead({ normalize: false, calibration: { temperature: 1 } }, 3)],
    ['mlp, cls pooling, multi-label', async () => randomHead({ hiddenUnits: 8, pooling: 'cls', problemType: 'multi_label_classification' }, 4)],
  ];
  for (const [what, make] of cases) {
    it(`scores like encoder + head: ${what}`, async () => {
      const head = await make();
      const dir = await writeFolder(exportHeadModel(inputs, head, { modelId: 'exported' }), what.replace(/\W+/g, '-'));
      for (const dtype of ['fp32', 'q8'] as const) {
        const original = await createClassifier({ model: TINY_MODEL, head, dtype });
        const exported = await createClassifier({ model: dir, dtype });
        try {
          expect(exported.info).toMatchObject({
            modelId: 'exported',
            conceptSource: 'id2label',
            concepts: head.concepts,
            problemType: head.problemType,
            dtype,
          });
          const want = byConcept(await original.classify(TEXTS));
          const got = byConcept(await exported.classify(TEXTS));
          expect(maxDiff(got, want)).toBeLessThan(1e-4);
          // Scores really vary between texts, so the comparison means something.
          const first = want.map((row) => row[head.concepts[0]]);
          expect(Math.max(...first) - Math.min(...first)).toBeGreaterThan(1e-3);
          // last_hidden_state is still there: embeddings are the encoder's (pooled as 1_Pooling says, so a CLS head's
          // original, which embeds with the head's pooling, differs by design).
          if (head.pooling !== 'cls') {
            const [a, b] = [await original.embed(TEXTS), await exported.embed(TEXTS)];
            expect(Math.max(...a.data.map((x, k) => Math.abs(x - b.data[k])))).toBeLessThan(1e-6);
          }
        } finally {
          await original.dispose();
          await exported.dispose();
        }
      }
    }, 120_000);
  }

  it('writes a transformers.js config and leaves tokenizer files as they are', async () => {
    const head = randomHead({ concepts: ['bad', 'good'], problemType: 'multi_label_classification', thresholds: { bad: 0.4, good: 0.6 } }, 5);
    const files = exportHeadModel(inputs, head);
    expect([...files.keys()].sort()).toEqual(
      ['1_Pooling/config.json', 'config.json', 'golden.json', 'onnx/model.onnx', 'onnx/model_quantized.onnx', 'tokenizer.json', 'tokenizer_config.json'].sort(),
    );
    for (const file of ['tokenizer.json', 'tokenizer_config.json', '1_Pooling/config.json', 'golden.json']) {
      expect(sameBytes(files.get(file)!, inputs.get(file)!)).toBe(true);
    }
    const config = JSON.parse(new TextDecoder().decode(files.get('config.json')));
    const fixtureConfig = JSON.parse(await readFile(join(TINY_MODEL, 'config.json'), 'utf8'));
    expect(fixtureConfig.inpage.revision).toBeTruthy();
    expect(config).toMatchObject({
      _name_or_path: 'tiny-sentiment-classifier',
      model_type: 'bert',
      hidden_size: 64,
      architectures: ['BertForSequenceClassification'],
      id2label: { 0: 'bad', 1: 'good' },
      label2id: { bad: 0, good: 1 },
      problem_type: 'multi_label_classification',
      inpage: {
        format: 'inpage-classifier/exported-head@1',
        encoder: { modelId: 'tiny-sentiment', revision: fixtureConfig.inpage.revision },
        head: { type: 'linear', temperature: 0.7, thresholds: { bad: 0.4, good: 0.6 } },
      },
    });
  });

  it('appends to the encoder graph byte for byte, and ORT sees logits [batch, concepts] next to last_hidden_state', async () => {
    const head = randomHead({}, 6);
    const files = exportHeadModel(inputs, head);
    for (const file of ['onnx/model.onnx', 'onnx/model_quantized.onnx']) {
      const before = scanFields(inputs.get(file)!);
      const after = scanFields(files.get(file)!);
      expect(after.map((f) => f.field)).toEqual(before.map((f) => f.field));
      const graphBefore = before.find((f) => f.field === 7)!.data!;
      const graphAfter = after.find((f) => f.field === 7)!.data!;
      expect(sameBytes(graphAfter.subarray(0, graphBefore.length), graphBefore)).toBe(true);

      const session = await ort.InferenceSession.create(files.get(file)!);
      try {
        expect(session.inputNames).toEqual(['input_ids', 'attention_mask']);
        expect(session.outputNames).toEqual(['last_hidden_state', 'logits']);
        const ids = BigInt64Array.from([2, 10, 11, 3, 0, 2, 12, 3, 0, 0], BigInt);
        const mask = BigInt64Array.from([1, 1, 1, 1, 0, 1, 1, 1, 0, 0], BigInt);
        const out = await session.run({
          input_ids: new ort.Tensor('int64', ids, [2, 5]),
          attention_mask: new ort.Tensor('int64', mask, [2, 5]),
        });
        expect(out.logits.type).toBe('float32');
        expect(out.logits.dims).toEqual([2, 3]);
        expect(out.last_hidden_state.dims).toEqual([2, 5, 64]);
      } finally {
        await session.release();
      }
    }
  });

  it('refuses a head for another model, and a graph that already has logits', async () => {
    expect(() => exportHeadModel(inputs, randomHead({ modelId: 'someone/else' }, 7))).toThrow(HeadMismatchError);
    expect(() => exportHeadModel(inputs, { ...randomHead({}, 7), bias: [0] })).toThrow(InvalidHeadError);
    const once = exportHeadModel(inputs, randomHead({}, 7), { modelId: 'tiny-sentiment' });
    expect(() => exportHeadModel(once, randomHead({}, 7))).toThrow(/already has a "logits" value/);
    const noGraph = new Map([...inputs].filter(([f]) => f !== 'onnx/model.onnx'));
    expect(() => exportHeadModel(noGraph, randomHead({}, 7))).toThrow(ModelLoadError);
  });
});

it('uses the attribute form of ReduceSum before opset 13', () => {
  const io = { hidden: 'h', mask: 'm', batchDim: { dimParam: 'batch' }, prefix: 'p/' };
  const reduces = (opset: number) => buildHeadGraph(randomHead({}, 8), { ...io, opset }).nodes.filter((n) => n.opType === 'ReduceSum');
  for (const n of reduces(12)) {
    expect(n.input).toHaveLength(1);
    expect(n.attribute).toContainEqual({ name: 'axes', type: 7, ints: [1] });
  }
  for (const n of reduces(14)) expect(n.input).toHaveLength(2);
  expect(reduces(12)).toHaveLength(3); // tokens, masked sum, squares
});
