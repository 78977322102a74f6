// fastText baselines for the default-model evaluation table (build-time only; never used at run time).
// Spawns Debian's `fasttext` CLI (apt-get install fasttext, 0.9.2) on temp files under
// build/default-model/fasttext/. Rows and metrics are those of evaluate.mjs (see eval-rows.mjs).
//
//   supervised  `fasttext supervised` trained on the training rows of each table row (sst2/train; sst5 3-class
//               train sentences; each probe's shots/class x seeds draws, mean over draws), predicted on the
//               row's evaluation rows. Fixed seed, 1 thread: reproducible.
//   polarity    the pretrained Amazon polarity model (amazon_review_polarity.ftz), zero-shot on SST-2 dev
//               (__label__1 = negative, __label__2 = positive).
//   full        the pretrained Amazon 5-star model (amazon_review_full.ftz), zero-shot on the 3-class
//               sentiment rows: P(1)+P(2) -> negative, P(3) -> neutral, P(4)+P(5) -> positive, argmax.
// Text is what the GloVe-average baseline sees: SST detokenised, then lower-cased word / punctuation tokens
// joined by single spaces (fastText splits on whitespace).
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync, rmSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { SST2_CLASSES, lab, macroF1, accuracy, tokens, sstText, probeText } from './eval-rows.mjs';

export const FASTTEXT_ARGS = ['-epoch', '25', '-lr', '0.5', '-wordNgrams', '2', '-dim', '50', '-bucket', '200000',
  '-minCount', '1', '-loss', 'softmax', '-seed', '1', '-thread', '1', '-verbose', '0'];

/** Version string of the fastText CLI, or null when it is not installed. */
export function fasttextVersion(bin = 'fasttext') {
  const r = spawnSync(bin, ['help'], { encoding: 'utf8' });
  if (r.error) return null;
  // `fasttext help` prints usage only; the Debian package version is the useful figure
  const d = spawnSync('dpkg-query', ['-W', '-f=${Version}', 'fasttext'], { encoding: 'utf8' });
  return d.status === 0 && d.stdout ? d.stdout.trim() : 'unknown version';
}

const ftLine = (text) => tokens(text).join(' ');

function run(bin, argv) {
  const r = spawnSync(bin, argv, { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${bin} ${argv.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

/** -> per input line the label list (best first) with probabilities. */
function predictProb(bin, model, testFile, n, k) {
  const out = run(bin, ['predict-prob', model, testFile, String(k)]).split('\n').filter((l, i, a) => i < a.length - 1 || l !== '');
  if (out.length !== n) throw new Error(`fasttext predict: ${out.length} lines for ${n} inputs (${testFile})`);
  return out.map((l) => {
    const t = l.trim().split(/\s+/), m = new Map();
    for (let i = 0; i + 1 < t.length; i += 2) m.set(t[i].replace(/^__label__/, ''), Number(t[i + 1]));
    return m;
  });
}

function supervised(bin, dir, name, trainTexts, ytr, testTexts, k) {
  const tr = join(dir, `${name}.train.txt`), te = join(dir, `${name}.test.txt`), model = join(dir, `${name}`);
  writeFileSync(tr, trainTexts.map((t, i) => `__label__${ytr[i]} ${ftLine(t)}\n`).join(''));
  writeFileSync(te, testTexts.map((t) => `${ftLine(t)}\n`).join(''));
  run(bin, ['supervised', '-input', tr, '-output', model, ...FASTTEXT_ARGS]);
  const probs = predictProb(bin, `${model}.bin`, te, testTexts.length, k);
  for (const ext of ['.bin', '.vec']) rmSync(model + ext, { force: true }); // ~40 MB .bin; the .txt inputs stay for inspection
  return probs.map((m) => { let best = 0, bv = -1; for (let c = 0; c < k; c++) { const p = m.get(String(c)) ?? 0; if (p > bv) { bv = p; best = c; } } return best; });
}

/**
 * rows: loadEvalRows(...); sst5Classes: class order of the sst5 row (head.concepts).
 * -> { supervised: {sst2, sst5, <probe>...}, polarity: {sst2}, full: {sst5, <3-class probes>} } (fractions)
 */
export function fasttextBaselines(rows, { sst5Classes, dir, bin = 'fasttext', amazonDir, log = () => {} }) {
  mkdirSync(dir, { recursive: true });
  const { sst2tr, sst2dv, sst5tr, sst5dv, probes } = rows;
  const sup = {}, polarity = {}, full = {};
  const ydv = lab(sst2dv, SST2_CLASSES);
  const t0 = performance.now();
  // supervised, same training rows as the GloVe column
  sup.sst2 = accuracy(ydv, supervised(bin, dir, 'sst2', sst2tr.map(sstText), lab(sst2tr, SST2_CLASSES), sst2dv.map(sstText), 2));
  const y5 = lab(sst5dv, sst5Classes);
  sup.sst5 = macroF1(y5, supervised(bin, dir, 'sst5', sst5tr.map(sstText), lab(sst5tr, sst5Classes), sst5dv.map(sstText), 3), 3);
  for (const pr of probes) {
    let f = 0;
    pr.draws.forEach((d, s) => {
      const p = supervised(bin, dir, `${pr.name}.draw${s}`, d.map((i) => probeText(pr.pool[i])), d.map((i) => pr.yp[i]),
        pr.test.map(probeText), pr.classes.length);
      f += macroF1(pr.yt, p, pr.classes.length);
    });
    sup[pr.name] = f / pr.draws.length;
  }
  log(`fastText supervised: done (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  // pretrained Amazon models, zero-shot (no training rows used)
  const pol = join(amazonDir, 'amazon_review_polarity.ftz'), ful = join(amazonDir, 'amazon_review_full.ftz');
  const zeroShot = (model, name, texts, k) => {
    const te = join(dir, `${name}.zeroshot.txt`);
    writeFileSync(te, texts.map((t) => `${ftLine(t)}\n`).join(''));
    return predictProb(bin, model, te, texts.length, k);
  };
  if (existsSync(pol)) {
    const pr = zeroShot(pol, 'sst2', sst2dv.map(sstText), 2);
    polarity.sst2 = accuracy(ydv, pr.map((m) => ((m.get('2') ?? 0) > (m.get('1') ?? 0) ? 1 : 0)));
  } else log(`fastText: ${pol} missing, polarity zero-shot column skipped`);
  if (existsSync(ful)) {
    // stars -> 3 classes by summed probability; only for rows whose classes are exactly negative/neutral/positive
    const to3 = (m, classes) => {
      const g = { negative: (m.get('1') ?? 0) + (m.get('2') ?? 0), neutral: m.get('3') ?? 0, positive: (m.get('4') ?? 0) + (m.get('5') ?? 0) };
      let best = 0, bv = -1;
      classes.forEach((c, i) => { if (g[c] > bv) { bv = g[c]; best = i; } });
      return best;
    };
    const is3 = (classes) => classes.length === 3 && ['negative', 'neutral', 'positive'].every((c) => classes.includes(c));
    if (is3(sst5Classes)) full.sst5 = macroF1(y5, zeroShot(ful, 'sst5', sst5dv.map(sstText), 5).map((m) => to3(m, sst5Classes)), 3);
    for (const pr of probes) {
      if (!is3(pr.classes)) continue;
      full[pr.name] = macroF1(pr.yt, zeroShot(ful, pr.name, pr.test.map(probeText), 5).map((m) => to3(m, pr.classes)), 3);
    }
  } else log(`fastText: ${ful} missing, 5-star zero-shot column skipped`);
  return { supervised: sup, polarity, full };
}
