#!/usr/bin/env node
/**
 * LoRA vs the linear head, side by side in one run: few-shot macro-F1 (mean ± sd over seeds) at 8/32/128 labels per
 * class on the same rows, and seconds per epoch of LoRA training on the CPU kernels for 1k examples.
 *
 * The bottom of the split model (`onnx/bottom.onnx`) runs once per text (ORT, Node WASM build); its hidden states are
 * cached; the linear head trains on the frozen pooled vectors, the adapter on the top layers (`onnx/top.onnx`'s
 * weights). Test rows are scored through the CPU kernels (equal to ORT top.onnx within 1e-4, see
 * test/unit/lora-onnx.test.ts).
 *
 * Usage: node bench/lora.mjs --model <split model dir> [--dist dist/lib] [--seeds 3] [--shots 8,32,128]
 *          [--max-test 500] [--only sst5,financial-phrasebank,goemotions] [--rank 8] [--layers 1] [--epochs 12]
 * Needs compiled sources (`npm run prepare`, or `npx tsc -p tsconfig.build.json --outDir <dir>` and `--dist <dir>`)
 * and the shared splits in build/splits/.
 */
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import * as ort from 'onnxruntime-web';

const root = resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    model: { type: 'string' },
    dist: { type: 'string', default: 'dist/lib' },
    seeds: { type: 'string', default: '3' },
    shots: { type: 'string', default: '8,32,128' },
    'max-test': { type: 'string', default: '500' },
    only: { type: 'string' },
    rank: { type: 'string', default: '8' },
    layers: { type: 'string', default: '1' },
    epochs: { type: 'string', default: '12' },
    'timing-rows': { type: 'string', default: '1000' },
  },
});
if (!values.model) throw new Error('--model <dir> is required (a split model: onnx/bottom.onnx + onnx/top.onnx)');
const dist = resolve(root, values.dist);
const lib = (p) => import(join(dist, 'src', p));
const { createTokenizer } = await lib('text/tokenizer.js');
const { fitHead } = await lib('learn/train-head.js');
const { applyHead } = await lib('learn/apply.js');
const { evaluate } = await lib('learn/metrics.js');
const { samplePerClass } = await lib('learn/sample.js');
const { seededRandom, shuffle } = await lib('learn/random.js');
const { readTopWeights } = await lib('lora/onnx-weights.js');
const { LayerStack } = await lib('lora/stack.js');
const { pooledVectors } = await lib('lora/embed.js');
const { fitLora } = await lib('lora/train-lora.js');
const { bottomStates: libBottomStates } = await lib('lora/bottom-states.js');
const { OnnxSession } = await lib('infer/session.js');

const model = resolve(values.model);
const seeds = Array.from({ length: Number(values.seeds) }, (_, i) => i + 1);
const shots = values.shots.split(',').map(Number);
const maxTest = Number(values['max-test']);
const rank = Number(values.rank);
const layers = Number(values.layers);
const epochs = Number(values.epochs);
const log = (s) => process.stderr.write(`${s}\n`);
const json = (p) => JSON.parse(readFileSync(join(model, p), 'utf8'));
const config = json('config.json');
const tok = createTokenizer(json('tokenizer.json'), json('tokenizer_config.json'));
const maxLen = Math.min(128, config.max_position_embeddings ?? 128);
const bottom = await OnnxSession.create(ort, readFileSync(join(model, 'onnx/bottom.onnx')), 'onnx/bottom.onnx', { executionProviders: ['wasm'] });
const top = readTopWeights(readFileSync(join(model, 'onnx/top.onnx')), { heads: config.num_attention_heads, eps: config.layer_norm_eps });
const H = top.hidden;
const modelId = config._name_or_path;
const stack = new LayerStack(top.layers, rank);
log(`model ${modelId} (${model}): hidden ${H}, top k=${top.layers.length}, ff ${top.ff}, rank ${rank}`);

/** Bottom hidden states of each text's real tokens (the library's own job step). */
const bottomStates = (texts) =>
  libBottomStates((inputs, dims) => bottom.runInt64(inputs, dims, 'hidden_states').then((r) => r.data), tok, texts, H, { maxLength: maxLen });

const splits = join(root, 'build', 'splits');
const read = (dir, split) => readFileSync(join(splits, dir, `${split}.jsonl`), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
/** GoEmotions rows with exactly one label, among its six most frequent emotions (neutral excluded): single-label. */
function emotions(split) {
  const rows = read('goemotions', split).filter((r) => r.labels.length === 1 && r.labels[0] !== 'neutral');
  const counts = new Map();
  for (const r of read('goemotions', 'train')) if (r.labels.length === 1) counts.set(r.labels[0], (counts.get(r.labels[0]) ?? 0) + 1);
  counts.delete('neutral');
  const keep = new Set([...counts].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([l]) => l));
  return rows.filter((r) => keep.has(r.labels[0]));
}
const TASKS = [
  { name: 'sst5 3-class (dev)', key: 'sst5', load: () => [read('sst5', 'train.3class'), read('sst5', 'dev.3class')] },
  { name: 'financial-phrasebank (3)', key: 'financial-phrasebank', load: () => [read('financial-phrasebank', 'train'), read('financial-phrasebank', 'test')] },
  { name: 'goemotions single-label (6 emotions)', key: 'goemotions', load: () => [emotions('train'), emotions('test')] },
].filter((t) => !values.only || values.only.split(',').includes(t.key));

const stat = (xs) => {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / Math.max(1, xs.length - 1));
  return { m, sd, s: `${(100 * m).toFixed(1)} ± ${(100 * sd).toFixed(1)}` };
};

const table = [];
for (const task of TASKS) {
  const [train, testAll] = task.load();
  const test = testAll.length > maxTest ? shuffle([...testAll], seededRandom(0)).slice(0, maxTest) : testAll;
  const concepts = [...new Set(train.map((r) => r.labels[0]))].sort();
  const samples = new Map();
  for (const n of shots) for (const s of seeds) samples.set(`${n}/${s}`, samplePerClass(train.map((r) => r.labels), n, s));
  const needed = [...new Set([...samples.values()].flat())].sort((a, b) => a - b);
  log(`${task.name}: bottom states for ${needed.length} train + ${test.length} test rows`);
  const where = new Map(needed.map((r, i) => [r, i]));
  const trainEx = await bottomStates(needed.map((r) => train[r].text));
  const testEx = await bottomStates(test.map((r) => r.text));
  const trainBase = pooledVectors(stack, trainEx, null);
  const testBase = pooledVectors(stack, testEx, null);
  const truth = test.map((r) => r.labels);
  const macro = (scores) => evaluate(truth, scores, concepts, { problemType: 'single_label_classification', curves: false, maxErrors: 0 }).macroF1;
  for (const n of shots) {
    const f1 = { linear: [], lora: [] };
    const secs = [];
    let rows = 0;
    for (const s of seeds) {
      const idx = samples.get(`${n}/${s}`).map((r) => where.get(r));
      rows = idx.length;
      const labels = samples.get(`${n}/${s}`).map((r) => train[r].labels);
      const data = new Float32Array(idx.length * H);
      idx.forEach((i, j) => data.set(trainBase.subarray(i * H, (i + 1) * H), j * H));
      const { head } = await fitHead({ data, dim: H, labels }, { modelId, seed: s, concepts });
      f1.linear.push(macro(applyHead(head, testBase, H)));
      const res = await fitLora({ examples: idx.map((i) => trainEx[i]), labels }, top, { modelId, seed: s, concepts, rank, epochs, layers });
      const { readAdapterFile } = await lib('lora/adapter-file.js');
      const { adapters } = readAdapterFile(JSON.parse(JSON.stringify(res.adapter)), { modelId, hidden: H, k: top.layers.length });
      f1.lora.push(macro(applyHead(res.adapter.head, pooledVectors(stack, testEx, adapters), H)));
      secs.push(res.ms / 1000);
    }
    const row = { task: task.name, n, rows, linear: stat(f1.linear), lora: stat(f1.lora), secs: stat(secs) };
    table.push(row);
    log(`  ${n}/class (${rows} rows): linear ${row.linear.s}, LoRA ${row.lora.s} (Δ ${(100 * (row.lora.m - row.linear.m)).toFixed(1)}), LoRA training ${row.secs.m.toFixed(1)} s`);
  }
}

// Seconds per epoch for 1k examples (SST-5 phrases, ≥ 3 words), no early stop.
const timingRows = Number(values['timing-rows']);
const phrases = shuffle(read('sst5', 'train.phrases.3class').filter((r) => r.text.split(' ').length >= 3), seededRandom(7)).slice(0, timingRows);
const phraseEx = await bottomStates(phrases.map((r) => r.text));
const meanTokens = phraseEx.reduce((s, e) => s + e.tokens, 0) / phraseEx.length;
const timed = await fitLora({ examples: phraseEx, labels: phrases.map((r) => r.labels) }, top, { modelId, seed: 1, rank, epochs: 3, validationSplit: 0, layers });
const perEpoch = timed.history.map((p) => p.seconds);

const lines = [
  `Macro-F1 (%) on test rows (≤ ${maxTest}), mean ± sd over ${seeds.length} seeds; model ${modelId} (hidden ${H}, top k=${top.layers.length}), LoRA rank ${rank} on query/value of the top ${layers} layer(s) + linear head, ≤ ${epochs} epochs.`,
  `Date ${new Date().toISOString().slice(0, 10)}, ${cpus()[0]?.model ?? 'cpu'} × ${cpus().length}, Node ${process.version}, CPU kernels (float32, one thread).`,
  '',
  '| task | per class | rows | linear head | LoRA + head | Δ | LoRA training s (mean) |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...table.map((r) => `| ${r.task} | ${r.n} | ${r.rows} | ${r.linear.s} | ${r.lora.s} | ${(100 * (r.lora.m - r.linear.m)).toFixed(1)} | ${r.secs.m.toFixed(1)} |`),
  '',
  `LoRA epoch over ${phraseEx.length} examples (mean ${meanTokens.toFixed(1)} tokens): ${perEpoch.map((s) => s.toFixed(2)).join(' / ')} s (CPU backend).`,
];
console.log(lines.join('\n'));
