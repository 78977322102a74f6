#!/usr/bin/env node
/**
 * Few-shot learning curves: macro-F1 (mean ± sd over seeds) at 8/32/128 labelled rows per class, for our linear and
 * MLP heads over the encoder's pooled vectors, next to TF-IDF + logistic regression and multinomial naive Bayes on
 * the very same rows. Then training time of each head on 1k and 10k embeddings. Prints markdown tables.
 *
 * Usage: node bench/few-shot.mjs [--model <dir>] [--seeds 5] [--shots 8,32,128] [--max-test 2000] [--only a,b]
 * Needs `npm run prepare` (dist/) and the shared splits (`node tools/split-data.mjs` → build/splits/). Splits used,
 * as each PROVENANCE.md allows: hash-split train → test for ag-news, financial-phrasebank, amazon-alexa;
 * goemotions train → test (multi-label, 28 concepts); sst5 train.3class → dev.3class (its test is withheld).
 */
import { existsSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { applyHead, createClassifier, defaultModelDir, evaluate, trainHead } from '../dist/lib/src/node/index.js';
import { samplePerClass } from '../dist/lib/src/learn/sample.js';
import { seededRandom, shuffle } from '../dist/lib/src/learn/random.js';
import { naiveBayes, tfidfLogReg } from './baselines.mjs';

const root = resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    model: { type: 'string' },
    seeds: { type: 'string', default: '5' },
    shots: { type: 'string', default: '8,32,128' },
    'max-test': { type: 'string', default: '2000' },
    only: { type: 'string' },
    'no-timing': { type: 'boolean', default: false },
  },
});
const model = resolve(values.model ?? defaultModelDir());
const seeds = Array.from({ length: Number(values.seeds) }, (_, i) => i + 1);
const shots = values.shots.split(',').map(Number);
const maxTest = Number(values['max-test']);
const splits = join(root, 'build', 'splits');
if (!existsSync(splits)) throw new Error('build/splits/ is missing: run `node tools/split-data.mjs` first');

const TASKS = [
  { name: 'ag-news (4 topics)', dir: 'ag-news', train: 'train', test: 'test' },
  { name: 'financial-phrasebank (3)', dir: 'financial-phrasebank', train: 'train', test: 'test' },
  { name: 'amazon-alexa (3)', dir: 'amazon-alexa', train: 'train', test: 'test' },
  { name: 'sst5 3-class (dev)', dir: 'sst5', train: 'train.3class', test: 'dev.3class' },
  { name: 'goemotions (28, multi-label)', dir: 'goemotions', train: 'train', test: 'test', multi: true },
].filter((t) => !values.only || values.only.split(',').includes(t.dir));

const read = (dir, split) =>
  readFileSync(join(splits, dir, `${split}.jsonl`), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));

const clf = await createClassifier({ model });
const log = (s) => process.stderr.write(`${s}\n`);
log(`model ${clf.info.modelId} (${model}), ${clf.info.dtype}, dim ${clf.info.dim}`);

async function embed(texts) {
  const out = new Float32Array(texts.length * clf.info.dim);
  for (let s = 0; s < texts.length; s += 256) out.set((await clf.embed(texts.slice(s, s + 256))).data, s * clf.info.dim);
  return out;
}

function rowsOf(vectors, idx, dim) {
  const data = new Float32Array(idx.length * dim);
  idx.forEach((r, i) => data.set(vectors.subarray(r * dim, (r + 1) * dim), i * dim));
  return data;
}

const stat = (xs) => {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / Math.max(1, xs.length - 1));
  return `${(100 * m).toFixed(1)} ± ${(100 * sd).toFixed(1)}`;
};

const METHODS = ['linear head', 'MLP head', 'TF-IDF + LR', 'naive Bayes'];
const table = [];
for (const task of TASKS) {
  const train = read(task.dir, task.train);
  let test = read(task.dir, task.test);
  if (test.length > maxTest) test = shuffle(test, seededRandom(0)).slice(0, maxTest);
  const problemType = task.multi ? 'multi_label_classification' : 'single_label_classification';
  const concepts = [...new Set([...train, ...test].flatMap((r) => r.labels))].sort();
  const C = concepts.length;
  const index = new Map(concepts.map((c, k) => [c, k]));
  const samples = new Map();
  for (const n of shots) for (const s of seeds) samples.set(`${n}/${s}`, samplePerClass(train.map((r) => r.labels), n, s));
  const needed = [...new Set([...samples.values()].flat())].sort((a, b) => a - b);
  log(`${task.name}: embedding ${needed.length} train + ${test.length} test rows`);
  const where = new Map(needed.map((r, i) => [r, i]));
  const trainVec = await embed(needed.map((r) => train[r].text));
  const testVec = await embed(test.map((r) => r.text));
  const truth = test.map((r) => r.labels);
  const macro = (scores, thresholds) => evaluate(truth, scores, concepts, { problemType, thresholds, curves: false, maxErrors: 0 }).macroF1;
  for (const n of shots) {
    const f1 = Object.fromEntries(METHODS.map((m) => [m, []]));
    let rows = 0;
    for (const s of seeds) {
      const idx = samples.get(`${n}/${s}`);
      rows = idx.length;
      const labels = idx.map((r) => train[r].labels);
      const set = { data: rowsOf(trainVec, idx.map((r) => where.get(r)), clf.info.dim), dim: clf.info.dim, labels };
      for (const [m, type] of [['linear head', 'linear'], ['MLP head', 'mlp']]) {
        const { head } = await trainHead(set, { modelId: clf.info.modelId, type, seed: s, problemType, concepts });
        f1[m].push(macro(applyHead(head, testVec, clf.info.dim), task.multi ? head.thresholds : null));
      }
      const texts = idx.map((r) => train[r].text);
      const ys = labels.map((ls) => ls.map((l) => index.get(l)));
      const testTexts = test.map((r) => r.text);
      f1['TF-IDF + LR'].push(macro(tfidfLogReg(texts, ys, testTexts, C, !!task.multi)));
      f1['naive Bayes'].push(macro(naiveBayes(texts, ys, testTexts, C, !!task.multi)));
    }
    table.push({ task: task.name, n, rows, ...Object.fromEntries(METHODS.map((m) => [m, stat(f1[m])])) });
    log(`  ${n}/class (${rows} rows): ${METHODS.map((m) => `${m} ${stat(f1[m])}`).join(', ')}`);
  }
}

const lines = [
  `Macro-F1 (%) on each task's test rows, mean ± sd over ${seeds.length} seeds; model ${clf.info.modelId} (${clf.info.dtype}).`,
  `Date ${new Date().toISOString().slice(0, 10)}, ${cpus()[0]?.model ?? 'cpu'} × ${cpus().length}, Node ${process.version}.`,
  '',
  `| task | per class | rows | ${METHODS.join(' | ')} |`,
  `| --- | ---: | ---: | ${METHODS.map(() => '---:').join(' | ')} |`,
  ...table.map((r) => `| ${r.task} | ${r.n} | ${r.rows} | ${METHODS.map((m) => r[m]).join(' | ')} |`),
];

if (!values['no-timing']) {
  // Training time on real embeddings: SST-5 phrases (3-class), 1k and 10k rows.
  const phrases = shuffle(read('sst5', 'train.phrases.3class'), seededRandom(7)).slice(0, 10_000);
  log(`timing: embedding ${phrases.length} rows`);
  const vec = await embed(phrases.map((r) => r.text));
  lines.push('', '| training rows | head | ms (median of 3) | epochs |', '| ---: | --- | ---: | ---: |');
  for (const n of [1000, 10_000]) {
    const set = { data: vec.subarray(0, n * clf.info.dim), dim: clf.info.dim, labels: phrases.slice(0, n).map((r) => r.labels) };
    for (const type of ['linear', 'mlp']) {
      const runs = [];
      for (let k = 0; k < 3; k++) runs.push(await trainHead(set, { modelId: clf.info.modelId, type, seed: k }));
      runs.sort((a, b) => a.ms - b.ms);
      lines.push(`| ${n} | ${type} | ${Math.round(runs[1].ms)} | ${runs[1].history.length} |`);
    }
  }
}
await clf.dispose();
process.stdout.write(`${lines.join('\n')}\n`);
