#!/usr/bin/env node
// Evaluation of a default-model folder with the runtime we ship (onnxruntime-web WASM in Node, 1 thread).
//
//   node tools/default-model/evaluate.mjs --model public/models/inpage-sentiment-mini
//        [--splits build/splits] [--glove ../shared/data/models/glove-6B-100d-top20k] [--glove-full build/glove/full]
//        [--shots 32] [--seeds 5] [--markdown out.md] [--variants fp32,q8]
//        [--fasttext fasttext|none] [--amazon ../shared/data/models/fasttext-amazon-review]
//   node tools/default-model/evaluate.mjs --baselines-only [--model DIR] [--markdown out.md]
//
// Prints one table: SST-2 dev accuracy (linear probe on sst2/train features), SST-5 dev 3-class macro-F1 of
// the shipped head (head.json), and linear-probe macro-F1 with --shots labels per class (mean over --seeds
// draws) on the unseen-task probes ag-news, financial-phrasebank, amazon-alexa (train pool -> test split of
// tools/split-data.mjs), each next to GloVe-average + logistic regression on the same rows. Columns: fp32
// (onnx/model.onnx) and int8 (onnx/model_quantized.onnx) and their difference.
// fastText columns on the same rows (fasttext-baselines.mjs; needs Debian's `fasttext` CLI, skipped with a
// warning when it is missing or with --fasttext none): fastText supervised trained on each row's training rows,
// and the pretrained Amazon polarity / 5-star models zero-shot where the labels map honestly ("–" elsewhere).
// --baselines-only: baseline columns only, without the ONNX encoder (seconds instead of minutes).
// Rows and probe draws: eval-rows.mjs. Needs build/splits (run `node tools/split-data.mjs` first).
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadTokenizer, loadSession, embed, detok, applyHead } from './lib.mjs';
import { loadEvalRows, lab, macroF1, tokens, SST5_3_CLASSES } from './eval-rows.mjs';
import { fasttextBaselines, fasttextVersion, FASTTEXT_ARGS } from './fasttext-baselines.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const args = { model: null, splits: join(ROOT, 'build', 'splits'), glove: resolve(ROOT, '..', 'shared', 'data', 'models', 'glove-6B-100d-top20k'),
  'glove-full': join(ROOT, 'build', 'glove', 'full'), shots: 32, seeds: 5, markdown: null, variants: 'fp32,q8',
  fasttext: 'fasttext', amazon: resolve(ROOT, '..', 'shared', 'data', 'models', 'fasttext-amazon-review'), 'baselines-only': false };
const FLAGS = new Set(['baselines-only']);
for (let i = 2; i < process.argv.length; i++) {
  const k = process.argv[i].replace(/^--/, '');
  args[k] = FLAGS.has(k) ? true : process.argv[++i];
}
if (!args.model && !args['baselines-only']) { console.error('usage: evaluate.mjs --model DIR | --baselines-only'); process.exit(2); }
args.shots = Number(args.shots); args.seeds = Number(args.seeds);
if (!existsSync(join(args.splits, 'sst2', 'train.jsonl'))) { console.error(`no splits in ${args.splits}: run node tools/split-data.mjs`); process.exit(2); }

// ------------------------------------------------------------------ small maths
/** Multinomial logistic regression on standardised features, L2 lam, Adam full batch. */
function trainLR(X, y, k, { lam = 1e-2, iters = 300, lr = 0.05 } = {}) {
  const n = X.length, d = X[0].length;
  const mu = new Float64Array(d), sd = new Float64Array(d);
  for (const x of X) for (let j = 0; j < d; j++) mu[j] += x[j] / n;
  for (const x of X) for (let j = 0; j < d; j++) sd[j] += (x[j] - mu[j]) ** 2 / n;
  for (let j = 0; j < d; j++) sd[j] = Math.sqrt(sd[j]) + 1e-6;
  const Xs = X.map((x) => Float64Array.from(x, (v, j) => (v - mu[j]) / sd[j]));
  const W = Array.from({ length: k }, () => new Float64Array(d)), b = new Float64Array(k);
  const mW = W.map(() => new Float64Array(d)), vW = W.map(() => new Float64Array(d)), mb = new Float64Array(k), vb = new Float64Array(k);
  const gW = W.map(() => new Float64Array(d)), gb = new Float64Array(k), z = new Float64Array(k);
  for (let it = 1; it <= iters; it++) {
    gW.forEach((g) => g.fill(0)); gb.fill(0);
    for (let i = 0; i < n; i++) {
      const x = Xs[i];
      let mx = -Infinity;
      for (let c = 0; c < k; c++) { let s = b[c]; const w = W[c]; for (let j = 0; j < d; j++) s += w[j] * x[j]; z[c] = s; if (s > mx) mx = s; }
      let se = 0; for (let c = 0; c < k; c++) { z[c] = Math.exp(z[c] - mx); se += z[c]; }
      for (let c = 0; c < k; c++) { const g = (z[c] / se - (y[i] === c ? 1 : 0)) / n; gb[c] += g; const gw = gW[c]; for (let j = 0; j < d; j++) gw[j] += g * x[j]; }
    }
    const b1 = 0.9, b2 = 0.999, c1 = 1 - b1 ** it, c2 = 1 - b2 ** it;
    for (let c = 0; c < k; c++) {
      for (let j = 0; j < d; j++) {
        const g = gW[c][j] + 2 * lam * W[c][j];
        mW[c][j] = b1 * mW[c][j] + (1 - b1) * g; vW[c][j] = b2 * vW[c][j] + (1 - b2) * g * g;
        W[c][j] -= (lr * mW[c][j] / c1) / (Math.sqrt(vW[c][j] / c2) + 1e-8);
      }
      mb[c] = b1 * mb[c] + (1 - b1) * gb[c]; vb[c] = b2 * vb[c] + (1 - b2) * gb[c] * gb[c];
      b[c] -= (lr * mb[c] / c1) / (Math.sqrt(vb[c] / c2) + 1e-8);
    }
  }
  return (x) => {
    let best = 0, bv = -Infinity;
    for (let c = 0; c < k; c++) { let s = b[c]; for (let j = 0; j < d; j++) s += W[c][j] * (x[j] - mu[j]) / sd[j]; if (s > bv) { bv = s; best = c; } }
    return best;
  };
}

// ------------------------------------------------------------------ GloVe average baseline
function loadGlove(dir, limit = 20000) {
  const words = readFileSync(join(dir, 'vocab.txt'), 'utf8').split('\n').filter((w) => w !== '').slice(0, limit);
  const buf = readFileSync(join(dir, 'vectors.f16.bin'));
  const f16 = (h) => { const s = h & 0x8000 ? -1 : 1, e = (h >> 10) & 0x1f, f = h & 0x3ff; return e === 0 ? s * 2 ** -14 * (f / 1024) : e === 31 ? (f ? NaN : s * Infinity) : s * 2 ** (e - 15) * (1 + f / 1024); };
  const idx = new Map(words.map((w, i) => [w, i]));
  return (text) => {
    const v = new Float64Array(100); let n = 0;
    for (const t of tokens(text)) {
      const i = idx.get(t); if (i === undefined) continue;
      for (let d = 0; d < 100; d++) v[d] += f16(buf.readUInt16LE((i * 100 + d) * 2));
      n++;
    }
    if (n) for (let d = 0; d < 100; d++) v[d] /= n;
    return v;
  };
}

// ------------------------------------------------------------------ data (shared with the baselines)
const { sst2tr, sst2dv, sst5tr, sst5dv, probes } = loadEvalRows(args.splits, { shots: args.shots, seeds: args.seeds });

// sst5 class order: the shipped head's concepts (the baselines-only run without --model uses the 3-class order)
const head = args.model ? JSON.parse(readFileSync(join(args.model, 'head.json'), 'utf8')) : { concepts: SST5_3_CLASSES };
const tok = args['baselines-only'] ? null : loadTokenizer(args.model);
const glove = loadGlove(args.glove);
const t0 = performance.now();
const results = {};
for (const variant of args['baselines-only'] ? [] : args.variants.split(',')) {
  const file = variant === 'fp32' ? 'model.onnx' : 'model_quantized.onnx';
  const sess = await loadSession(join(args.model, 'onnx', file));
  const emb = (texts) => embed(sess, tok, texts, { batchSize: 32 });
  const r = {};
  // SST-2 dev: linear probe trained on sst2/train features
  const Xtr = await emb(sst2tr.map((x) => detok(x.text)));
  const Xdv = await emb(sst2dv.map((x) => detok(x.text)));
  const ytr = lab(sst2tr, ['negative', 'positive']), ydv = lab(sst2dv, ['negative', 'positive']);
  const clf = trainLR(Xtr, ytr, 2, { lam: 1e-3 });
  r.sst2 = Xdv.reduce((s, x, i) => s + (clf(x) === ydv[i] ? 1 : 0), 0) / Xdv.length;
  // SST-5 dev 3-class: shipped head
  const X5 = await emb(sst5dv.map((x) => detok(x.text)));
  const y5 = lab(sst5dv, head.concepts);
  const p5 = X5.map((x) => { const l = applyHead(head, x); return l.indexOf(Math.max(...l)); });
  r.sst5 = macroF1(y5, p5, 3);
  r.sst5acc = p5.reduce((s, p, i) => s + (p === y5[i] ? 1 : 0), 0) / p5.length;
  for (const pr of probes) {
    const used = [...new Set(pr.draws.flat())];
    const Xp = new Map((await emb(used.map((i) => pr.pool[i].text))).map((v, j) => [used[j], v]));
    const Xt = await emb(pr.test.map((x) => x.text));
    let f = 0;
    for (const d of pr.draws) {
      const c = trainLR(d.map((i) => Xp.get(i)), d.map((i) => pr.yp[i]), pr.classes.length);
      f += macroF1(pr.yt, Xt.map(c), pr.classes.length);
    }
    r[pr.name] = f / pr.draws.length;
  }
  results[variant] = r;
  console.error(`${variant}: done (${((performance.now() - t0) / 1000).toFixed(0)}s)`);
}
// GloVe baselines on the same rows: the 20k-word copy in ../shared and, when tools/default-model/glove.py has
// fetched it (build.py does), all 341k words, the vocabulary the default preset's embeddings draw on
function gloveBaseline(glove) {
  const gb = {};
  const Xtr = sst2tr.map((x) => glove(detok(x.text))), Xdv = sst2dv.map((x) => glove(detok(x.text)));
  const c = trainLR(Xtr, lab(sst2tr, ['negative', 'positive']), 2, { lam: 1e-3 });
  const ydv = lab(sst2dv, ['negative', 'positive']);
  gb.sst2 = Xdv.reduce((s, x, i) => s + (c(x) === ydv[i] ? 1 : 0), 0) / Xdv.length;
  const c5 = trainLR(sst5tr.map((x) => glove(detok(x.text))), lab(sst5tr, head.concepts), 3, { lam: 1e-3 });
  gb.sst5 = macroF1(lab(sst5dv, head.concepts), sst5dv.map((x) => c5(glove(detok(x.text)))), 3);
  for (const pr of probes) {
    const Xt = pr.test.map((x) => glove(x.text));
    let f = 0;
    for (const d of pr.draws) {
      const cl = trainLR(d.map((i) => glove(pr.pool[i].text)), d.map((i) => pr.yp[i]), pr.classes.length);
      f += macroF1(pr.yt, Xt.map(cl), pr.classes.length);
    }
    gb[pr.name] = f / pr.draws.length;
  }
  return gb;
}
const gb = gloveBaseline(glove);
const gbFull = existsSync(join(args['glove-full'], 'vectors.f16.bin')) ? gloveBaseline(loadGlove(args['glove-full'], Infinity)) : null;
if (!gbFull) console.error(`evaluate: no ${args['glove-full']} (python3 tools/default-model/glove.py fetches it); the all-words GloVe column is skipped`);
// fastText baselines on the same rows (fasttext-baselines.mjs)
let ft = null, ftVersion = null;
if (args.fasttext !== 'none') {
  ftVersion = fasttextVersion(args.fasttext);
  if (!ftVersion) console.error(`evaluate: no fastText CLI (${args.fasttext}); fastText columns skipped (apt-get install fasttext)`);
  else {
    ft = fasttextBaselines({ sst2tr, sst2dv, sst5tr, sst5dv, probes }, { sst5Classes: head.concepts, bin: args.fasttext,
      dir: join(ROOT, 'build', 'default-model', 'fasttext'), amazonDir: args.amazon, log: (m) => console.error(m) });
  }
}
const pct = (x) => (x === undefined ? '-' : (100 * x).toFixed(1));
const na = (x) => (x === undefined ? '–' : (100 * x).toFixed(1));
const V = Object.keys(results);
const cols = [
  ...V.map((v) => [v, (k) => pct(results[v][k])]),
  ...(V.length > 1 ? [['int8 - fp32', (k) => (100 * (results[V[1]][k] - results[V[0]][k])).toFixed(1)]] : []),
  ['GloVe-avg + LR (20k words)', (k) => pct(gb[k])],
  ...(gbFull ? [['GloVe-avg + LR (341k words)', (k) => pct(gbFull[k])]] : []),
  ...(ft ? [
    ['fastText supervised', (k) => pct(ft.supervised[k])],
    ['fastText Amazon polarity, zero-shot', (k) => na(ft.polarity[k])],
    ['fastText Amazon 5-star -> 3 classes, zero-shot', (k) => na(ft.full[k])],
  ] : []),
];
const hdr = `| row | ${cols.map(([h]) => h).join(' | ')} |`;
const sep = `| --- | ${cols.map(() => '---').join(' | ')} |`;
const rowDefs = [
  ['sst2', 'SST-2 dev accuracy (linear probe on sst2/train)', 'sst2'],
  ['sst5', 'SST-5 dev 3-class macro-F1 (shipped head; GloVe column: LR on sst5 3-class train sentences)', 'sst5'],
  ...probes.map((p) => [p.name, `${p.name} macro-F1, probe ${args.shots}/class x ${args.seeds} draws (unseen task)`, p.name]),
];
const lines = [hdr, sep];
for (const [k, label] of rowDefs) lines.push(`| ${label} | ${cols.map(([, f]) => f(k)).join(' | ')} |`);
lines.push('');
if (V.length) lines.push(`SST-5 dev 3-class accuracy (shipped head): ${V.map((v) => `${v} ${pct(results[v].sst5acc)}`).join(', ')}. Figures in %; evaluation took ${((performance.now() - t0) / 1000).toFixed(0)} s.`);
else lines.push(`Baseline columns only (--baselines-only). Figures in %; took ${((performance.now() - t0) / 1000).toFixed(0)} s.`);
if (ft) {
  lines.push('', `fastText columns (Debian \`fasttext\` ${ftVersion}, text lower-cased and split into word / punctuation tokens as the GloVe column sees it): ` +
    `*supervised* = \`fasttext supervised ${FASTTEXT_ARGS.join(' ')}\` trained on the rows the GloVe column trains on ` +
    `(sst2/train; sst5 3-class train sentences; the same ${args.shots}/class x ${args.seeds} probe draws, mean over draws); ` +
    '*Amazon polarity, zero-shot* = pretrained `amazon_review_polarity.ftz` (__label__1 negative, __label__2 positive), no training rows; ' +
    '*Amazon 5-star -> 3 classes, zero-shot* = pretrained `amazon_review_full.ftz`, P(1-2 stars) negative, P(3) neutral, P(4-5) positive; ' +
    '"–": no honest zero-shot label mapping for that row.');
}
const md = lines.join('\n') + '\n';
console.log(md);
if (args.markdown) writeFileSync(args.markdown, md);
