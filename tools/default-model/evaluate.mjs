#!/usr/bin/env node
// Evaluation of a default-model folder with the runtime we ship (onnxruntime-web WASM in Node, 1 thread).
//
//   node tools/default-model/evaluate.mjs --model public/models/inpage-sentiment-mini
//        [--splits build/splits] [--glove ../shared/data/models/glove-6B-100d-top20k]
//        [--shots 32] [--seeds 5] [--markdown out.md] [--variants fp32,q8]
//
// Prints one table: SST-2 dev accuracy (linear probe on sst2/train features), SST-5 dev 3-class macro-F1 of
// the shipped head (head.json), and linear-probe macro-F1 with --shots labels per class (mean over --seeds
// draws) on the unseen-task probes ag-news, financial-phrasebank, amazon-alexa (train pool -> test split of
// tools/split-data.mjs), each next to GloVe-average + logistic regression on the same rows. Columns: fp32
// (onnx/model.onnx) and int8 (onnx/model_quantized.onnx) and their difference.
// Needs build/splits (run `node tools/split-data.mjs` first).
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadTokenizer, loadSession, embed, detok, readJsonl, applyHead } from './lib.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const args = { model: null, splits: join(ROOT, 'build', 'splits'), glove: resolve(ROOT, '..', 'shared', 'data', 'models', 'glove-6B-100d-top20k'), shots: 32, seeds: 5, markdown: null, variants: 'fp32,q8' };
for (let i = 2; i < process.argv.length; i++) {
  const k = process.argv[i].replace(/^--/, '');
  args[k] = process.argv[++i];
}
if (!args.model) { console.error('usage: evaluate.mjs --model DIR'); process.exit(2); }
args.shots = Number(args.shots); args.seeds = Number(args.seeds);
if (!existsSync(join(args.splits, 'sst2', 'train.jsonl'))) { console.error(`no splits in ${args.splits}: run node tools/split-data.mjs`); process.exit(2); }

// ------------------------------------------------------------------ small maths
function mulberry32(a) { return () => { a |= 0; a = (a + 0x6d2b79f5) | 0; let t = Math.imul(a ^ (a >>> 15), 1 | a); t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t; return ((t ^ (t >>> 14)) >>> 0) / 4294967296; }; }
function macroF1(y, p, k) {
  let s = 0;
  for (let c = 0; c < k; c++) {
    let tp = 0, fp = 0, fn = 0;
    for (let i = 0; i < y.length; i++) { if (p[i] === c && y[i] === c) tp++; else if (p[i] === c) fp++; else if (y[i] === c) fn++; }
    s += tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
  }
  return s / k;
}
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
function loadGlove(dir) {
  const words = readFileSync(join(dir, 'vocab.txt'), 'utf8').split('\n').filter((w) => w !== '').slice(0, 20000);
  const buf = readFileSync(join(dir, 'vectors.f16.bin'));
  const f16 = (h) => { const s = h & 0x8000 ? -1 : 1, e = (h >> 10) & 0x1f, f = h & 0x3ff; return e === 0 ? s * 2 ** -14 * (f / 1024) : e === 31 ? (f ? NaN : s * Infinity) : s * 2 ** (e - 15) * (1 + f / 1024); };
  const idx = new Map(words.map((w, i) => [w, i]));
  return (text) => {
    const v = new Float64Array(100); let n = 0;
    for (const t of text.toLowerCase().match(/[\p{L}\p{N}]+|[^\s\p{L}\p{N}]/gu) ?? []) {
      const i = idx.get(t); if (i === undefined) continue;
      for (let d = 0; d < 100; d++) v[d] += f16(buf.readUInt16LE((i * 100 + d) * 2));
      n++;
    }
    if (n) for (let d = 0; d < 100; d++) v[d] /= n;
    return v;
  };
}

// ------------------------------------------------------------------ data
const lab = (rows, classes) => rows.map((r) => classes.indexOf(r.labels[0]));
const sst2tr = readJsonl(join(args.splits, 'sst2', 'train.jsonl'));
const sst2dv = readJsonl(join(args.splits, 'sst2', 'dev.jsonl'));
const sst5dv = readJsonl(join(args.splits, 'sst5', 'dev.3class.jsonl'));
const probes = [
  ['ag-news', ['world', 'sports', 'business', 'sci_tech']],
  ['financial-phrasebank', ['negative', 'neutral', 'positive']],
  ['amazon-alexa', ['negative', 'neutral', 'positive']],
].map(([name, classes]) => {
  const pool = readJsonl(join(args.splits, name, 'train.jsonl'));
  const test = readJsonl(join(args.splits, name, 'test.jsonl'));
  const yp = lab(pool, classes);
  const draws = [];
  for (let s = 0; s < args.seeds; s++) {
    const rnd = mulberry32(1000 + s);
    const pick = [];
    for (let c = 0; c < classes.length; c++) {
      const ix = yp.map((y, i) => (y === c ? i : -1)).filter((i) => i >= 0);
      for (let i = ix.length - 1; i > 0; i--) { const j = Math.floor(rnd() * (i + 1)); [ix[i], ix[j]] = [ix[j], ix[i]]; }
      pick.push(...ix.slice(0, args.shots));
    }
    draws.push(pick);
  }
  return { name, classes, pool, yp, test, yt: lab(test, classes), draws };
});

const head = JSON.parse(readFileSync(join(args.model, 'head.json'), 'utf8'));
const tok = loadTokenizer(args.model);
const glove = loadGlove(args.glove);
const rows = [];
const t0 = performance.now();
const results = {};
for (const variant of args.variants.split(',')) {
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
// GloVe baselines on the same rows
const gb = {};
{
  const Xtr = sst2tr.map((x) => glove(detok(x.text))), Xdv = sst2dv.map((x) => glove(detok(x.text)));
  const c = trainLR(Xtr, lab(sst2tr, ['negative', 'positive']), 2, { lam: 1e-3 });
  const ydv = lab(sst2dv, ['negative', 'positive']);
  gb.sst2 = Xdv.reduce((s, x, i) => s + (c(x) === ydv[i] ? 1 : 0), 0) / Xdv.length;
  const X5tr = readJsonl(join(args.splits, 'sst5', 'train.3class.jsonl'));
  const c5 = trainLR(X5tr.map((x) => glove(detok(x.text))), lab(X5tr, head.concepts), 3, { lam: 1e-3 });
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
}
const pct = (x) => (x === undefined ? '-' : (100 * x).toFixed(1));
const V = Object.keys(results);
const hdr = `| row | ${V.join(' | ')} | ${V.length > 1 ? 'int8 - fp32 | ' : ''}GloVe-avg + LR |`;
const sep = `| --- | ${V.map(() => '---').join(' | ')} | ${V.length > 1 ? '--- | ' : ''}--- |`;
const rowDefs = [
  ['sst2', 'SST-2 dev accuracy (linear probe on sst2/train)', 'sst2'],
  ['sst5', 'SST-5 dev 3-class macro-F1 (shipped head; GloVe column: LR on sst5 3-class train sentences)', 'sst5'],
  ...probes.map((p) => [p.name, `${p.name} macro-F1, probe ${args.shots}/class x ${args.seeds} draws (unseen task)`, p.name]),
];
const lines = [hdr, sep];
for (const [k, label] of rowDefs) {
  const vals = V.map((v) => pct(results[v][k]));
  const delta = V.length > 1 ? `${(100 * (results[V[1]][k] - results[V[0]][k])).toFixed(1)} | ` : '';
  lines.push(`| ${label} | ${vals.join(' | ')} | ${delta}${pct(gb[k])} |`);
}
lines.push('', `SST-5 dev 3-class accuracy (shipped head): ${V.map((v) => `${v} ${pct(results[v].sst5acc)}`).join(', ')}. Figures in %; evaluation took ${((performance.now() - t0) / 1000).toFixed(0)} s.`);
const md = lines.join('\n') + '\n';
console.log(md);
if (args.markdown) writeFileSync(args.markdown, md);
