/**
 * `inpage-classifier train` → `eval`, spawned from compiled dist/ as a user would, on the tiny model.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, TINY_MODEL } from '../helpers/paths.js';
import { runCli } from '../helpers/cli.js';

const run = (args: string[], cwd = ROOT) => runCli(args, { cwd });

const GOOD = ['great', 'excellent', 'wonderful', 'love it', 'fantastic', 'works perfectly', 'highly recommend', 'superb'];
const BAD = ['terrible', 'awful', 'broke at once', 'waste of money', 'horrible', 'never again', 'useless', 'very poor'];
const THINGS = ['blender', 'phone case', 'movie', 'hotel room', 'headset', 'kettle'];

/** Synthetic short reviews: a product and a polar phrase (written here, not copied from any data set). */
function reviews(count: number, offset: number): { text: string; labels: string[]; id: string }[] {
  return Array.from({ length: count }, (_, i) => {
    const k = i + offset;
    const pos = k % 2 === 0;
    const words = pos ? GOOD : BAD;
    return {
      id: `r${k}`,
      text: `The ${THINGS[k % THINGS.length]} was ${words[(k >> 1) % words.length]}, ${words[(k * 3 + 1) % words.length]}.`,
      labels: [pos ? 'positive' : 'negative'],
    };
  });
}

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'inpage-learn-'));
  await writeFile(join(tmp, 'train.jsonl'), reviews(80, 0).map((r) => JSON.stringify(r)).join('\n'));
  await writeFile(join(tmp, 'test.jsonl'), reviews(40, 1000).map((r) => JSON.stringify(r)).join('\n'));
  await writeFile(join(tmp, 'train.csv'), `text,labels\n${reviews(40, 0).map((r) => `"${r.text}",${r.labels[0]}`).join('\n')}\n`);
});
afterAll(() => rm(tmp, { recursive: true, force: true }));

describe('inpage-classifier train / eval', () => {
  it('trains a head, then evaluates it from another folder without --model', async () => {
    const head = join(tmp, 'head.json');
    const t = await run(['train', '--model', TINY_MODEL, '--data', join(tmp, 'train.jsonl'), '--seed', '3', '--out', head]);
    expect(t.code).toBe(0);
    expect(t.stdout).toBe('');
    expect(t.stderr).toMatch(/trained a linear head on 80 rows/);
    const saved = JSON.parse(await readFile(head, 'utf8'));
    expect(saved).toMatchObject({
      format: 'inpage-classifier/head@1',
      modelId: 'tiny-sentiment',
      model: 'test/fixtures/models/tiny-sentiment',
      dims: 64,
      concepts: ['negative', 'positive'],
      trainingData: { rows: 80, seed: 3 },
    });
    expect(saved.calibration.temperature).toBeGreaterThan(0);
    expect(saved.modelRevision).toBeTruthy();

    // cwd elsewhere: the head's package-relative model path must still resolve.
    const e = await run(['eval', '--head', head, '--data', join(tmp, 'test.jsonl'), '--json'], tmp);
    expect(e.code).toBe(0);
    const lines = e.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const report = JSON.parse(lines[0]);
    expect(Object.keys(report)).toEqual(expect.arrayContaining(['accuracy', 'macroF1', 'microF1', 'perConcept', 'confusion']));
    expect(report.accuracy).toBeGreaterThan(0.8);
    expect(report.perConcept.positive.support).toBe(20);
    expect(report.confusion.labels).toEqual(['negative', 'positive']);

    const human = await run(['eval', '--head', head, '--data', join(tmp, 'test.jsonl')], tmp);
    expect(human.stdout).toMatch(/macro-F1/);
  }, 120_000);

  it('trains an mlp head from CSV with --per-class', async () => {
    const head = join(tmp, 'mlp.json');
    const t = await run(['train', '--model', TINY_MODEL, '--head', 'mlp', '--data', join(tmp, 'train.csv'), '--per-class', '10', '--out', head]);
    expect(t.code).toBe(0);
    expect(t.stderr).toMatch(/sampled 20 of 40 rows/);
    const saved = JSON.parse(await readFile(head, 'utf8'));
    expect(saved.type).toBe('mlp');
    expect(saved.trainingData.rows).toBe(20);
  }, 120_000);

  it('refuses a head made for another model, naming both', async () => {
    const head = join(tmp, 'head.json');
    const other = { ...JSON.parse(await readFile(head, 'utf8')), modelId: 'someone/else' };
    await writeFile(join(tmp, 'other.json'), JSON.stringify(other));
    const e = await run(['eval', '--head', join(tmp, 'other.json'), '--data', join(tmp, 'test.jsonl'), '--json']);
    expect(e.code).toBe(1);
    expect(e.stdout).toBe('');
    expect(e.stderr).toMatch(/trained on model "someone\/else", but the loaded model is "tiny-sentiment"/);
  }, 60_000);

  it('says what is missing', async () => {
    const t = await run(['train', '--data', join(tmp, 'train.jsonl')]);
    expect(t.code).toBe(1);
    expect(t.stderr).toMatch(/--out/);
  });
});
