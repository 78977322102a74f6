/**
 * `inpage-classifier export`, spawned from compiled dist/ as a user would (run `npm run prepare` first), on the tiny
 * model; the folder it writes must load through the logits + id2label path and score like the head.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/learn/random.js';
import { createClassifier, type HeadFile } from '../../src/node/index.js';
import { REVIEWS, ROOT, TINY_MODEL } from '../helpers/paths.js';
import { runCli } from '../helpers/cli.js';

const run = (args: string[], cwd = ROOT) => runCli(args, { cwd });

function head(): HeadFile {
  const rng = seededRandom(11);
  const row = (n: number) => Array.from({ length: n }, () => Math.fround(4 * (rng() - 0.5)));
  return {
    format: 'inpage-classifier/head@1',
    type: 'mlp',
    problemType: 'single_label_classification',
    modelId: 'tiny-sentiment',
    model: TINY_MODEL,
    dims: 64,
    concepts: ['negative', 'positive'],
    hidden: { weights: Array.from({ length: 8 }, () => row(64)), bias: row(8) },
    weights: [row(8), row(8)],
    bias: row(2),
    calibration: { temperature: 1.3 },
  };
}

let tmp: string;
let headPath: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'inpage-export-cli-'));
  headPath = join(tmp, 'head.json');
  await writeFile(headPath, JSON.stringify(head()));
});
afterAll(() => rm(tmp, { recursive: true, force: true }));

describe('inpage-classifier export', () => {
  it('writes a folder that classifies like the head, from the model the head names', async () => {
    const out = join(tmp, 'my-sentiment');
    const r = await run(['export', '--head', headPath, '--out', out], tmp);
    expect(r.stderr).toMatch(/exported model "my-sentiment"/);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    const config = JSON.parse(await readFile(join(out, 'config.json'), 'utf8'));
    expect(config).toMatchObject({ _name_or_path: 'my-sentiment', id2label: { 0: 'negative', 1: 'positive' } });

    const exported = await createClassifier({ model: out, dtype: 'q8' });
    const original = await createClassifier({ model: TINY_MODEL, head: headPath, dtype: 'q8' });
    try {
      expect(exported.info).toMatchObject({ modelId: 'my-sentiment', conceptSource: 'id2label', concepts: ['negative', 'positive'] });
      const [got, want] = [await exported.classify(REVIEWS), await original.classify(REVIEWS)];
      got.forEach((g, i) => {
        for (const { concept, score } of g.concepts) {
          expect(Math.abs(score - want[i].concepts.find((c) => c.concept === concept)!.score)).toBeLessThan(1e-4);
        }
      });
    } finally {
      await exported.dispose();
      await original.dispose();
    }

    const again = await run(['export', '--head', headPath, '--out', out]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/not empty/);
    expect((await run(['export', '--head', headPath, '--out', out, '--force'])).code).toBe(0);
  }, 120_000);

  it('takes --model and --id', async () => {
    const bare = { ...head(), model: undefined };
    await writeFile(join(tmp, 'bare.json'), JSON.stringify(bare));
    const out = join(tmp, 'named');
    const r = await run(['export', '--head', join(tmp, 'bare.json'), '--model', TINY_MODEL, '--id', 'me/tiny-polarity', '--out', out]);
    expect(r.code).toBe(0);
    expect(JSON.parse(await readFile(join(out, 'config.json'), 'utf8'))._name_or_path).toBe('me/tiny-polarity');
  }, 60_000);

  it('says what is missing', async () => {
    const r = await run(['export', '--head', headPath]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--out/);
  });
});
