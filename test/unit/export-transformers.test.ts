/**
 * The exported folder in another tool: transformers.js' own `text-classification` pipeline (Node, onnxruntime-node)
 * must load it from disk and give the scores our classifier gives. Skipped where @huggingface/transformers (a dev
 * dependency) is not installed.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readExportInputs } from '../../src/export/export-inputs.js';
import { folderSource } from '../../src/node/file-source.js';
import { createClassifier, exportHeadModel, type HeadFile } from '../../src/node/index.js';
import { seededRandom } from '../../src/learn/random.js';
import { REVIEWS, TINY_MODEL } from '../helpers/paths.js';

type Transformers = typeof import('@huggingface/transformers');
const transformers: Transformers | null = await import('@huggingface/transformers').catch(() => null);

function head(problemType: HeadFile['problemType'], seed: number): HeadFile {
  const rng = seededRandom(seed);
  const row = (n: number) => Array.from({ length: n }, () => Math.fround(4 * (rng() - 0.5)));
  return {
    format: 'inpage-classifier/head@1',
    type: 'linear',
    problemType,
    modelId: 'tiny-sentiment',
    dims: 64,
    concepts: ['negative', 'neutral', 'positive'],
    weights: [row(64), row(64), row(64)],
    bias: row(3),
    calibration: { temperature: 0.8 },
  };
}

/**
 * fp32 agrees to ~1e-7. The int8 encoder (DynamicQuantizeLinear + MatMulInteger: activations are quantised per call)
 * already differs between onnxruntime-node and -web, whose int8 kernels round differently: scores move by up to ~6e-3
 * on this model, whatever the head. The export itself is exact (export-model.test.ts checks 1e-4 on one runtime).
 */
const TOLERANCE = { fp32: 1e-4, q8: 2e-2 } as const;

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'inpage-export-tjs-'));
});
afterAll(() => rm(tmp, { recursive: true, force: true }));

describe.skipIf(!transformers)('exported folder in transformers.js', () => {
  for (const problemType of ['single_label_classification', 'multi_label_classification'] as const) {
    it(`text-classification pipeline scores like our classifier: ${problemType}`, async () => {
      const { env, pipeline } = transformers!;
      const name = `tiny-${problemType}`;
      const files = exportHeadModel(await readExportInputs(folderSource(TINY_MODEL)), head(problemType, 21), { modelId: name });
      for (const [file, bytes] of files) {
        await mkdir(dirname(join(tmp, name, file)), { recursive: true });
        await writeFile(join(tmp, name, file), bytes);
      }
      env.allowRemoteModels = false;
      env.localModelPath = tmp;
      for (const dtype of ['fp32', 'q8'] as const) {
        const ours = await createClassifier({ model: join(tmp, name), dtype });
        const classify = await pipeline('text-classification', name, { dtype, device: 'cpu' });
        try {
          expect(ours.info.conceptSource).toBe('id2label');
          const want = await ours.classify(REVIEWS);
          const got = (await classify(REVIEWS, { top_k: null })) as { label: string; score: number }[][];
          got.forEach((labels, i) => {
            expect(labels.map((l) => l.label).sort()).toEqual(['negative', 'neutral', 'positive']);
            for (const { label, score } of labels) {
              const mine = want[i].concepts.find((c) => c.concept === label)!.score;
              expect(Math.abs(score - mine)).toBeLessThan(TOLERANCE[dtype]);
            }
          });
        } finally {
          await classify.dispose();
          await ours.dispose();
        }
      }
    }, 120_000);
  }
});
