// @ts-check
/**
 * Few-shot baselines on raw text, for bench/few-shot.mjs: TF-IDF (word 1–2-grams, sublinear tf, L2) + logistic
 * regression (softmax, or one-vs-rest sigmoid for multi-label; balanced class weights; full-batch Adam), and
 * multinomial naive Bayes (alpha 1; one-vs-rest for multi-label). Plain JS so the bench runs without a build step.
 */

/** @param {string} text */
function tokens(text) {
  const words = text.toLowerCase().match(/[\p{L}\p{N}']+/gu) ?? [];
  const out = [...words];
  for (let i = 0; i + 1 < words.length; i++) out.push(`${words[i]} ${words[i + 1]}`);
  return out;
}

/** Term counts per text over a vocabulary fitted on the training texts. */
export class Vectorizer {
  /** @param {string[]} texts */
  constructor(texts) {
    /** @type {Map<string, number>} */
    this.vocab = new Map();
    const df = [];
    for (const t of texts) {
      for (const w of new Set(tokens(t))) {
        let k = this.vocab.get(w);
        if (k === undefined) this.vocab.set(w, (k = df.length)), df.push(0);
        df[k]++;
      }
    }
    this.idf = Float64Array.from(df, (d) => Math.log((1 + texts.length) / (1 + d)) + 1);
  }

  /** @param {string} text @returns {Map<number, number>} */
  counts(text) {
    const m = new Map();
    for (const w of tokens(text)) {
      const k = this.vocab.get(w);
      if (k !== undefined) m.set(k, (m.get(k) ?? 0) + 1);
    }
    return m;
  }

  /** Sparse TF-IDF row. @param {string} text @returns {{ idx: number[], val: number[] }} */
  tfidf(text) {
    const idx = [];
    const val = [];
    for (const [k, c] of this.counts(text)) idx.push(k), val.push((1 + Math.log(c)) * this.idf[k]);
    const norm = Math.hypot(...val) || 1;
    return { idx, val: val.map((v) => v / norm) };
  }
}

/**
 * TF-IDF + logistic regression. Returns scores [test × concepts] (softmax or sigmoid).
 * @param {string[]} trainTexts @param {number[][]} trainY concept indices per row
 * @param {string[]} testTexts @param {number} classes @param {boolean} multiLabel
 */
export function tfidfLogReg(trainTexts, trainY, testTexts, classes, multiLabel, { C = 10, iterations = 300, lr = 0.1 } = {}) {
  const vec = new Vectorizer(trainTexts);
  const X = trainTexts.map((t) => vec.tfidf(t));
  const V = vec.vocab.size;
  const n = X.length;
  const W = new Float64Array(classes * V);
  const b = new Float64Array(classes);
  const m = new Float64Array(W.length + classes);
  const v = new Float64Array(W.length + classes);
  const l2 = 1 / (C * n);
  // Balanced weights: per class (softmax) or per concept positive/negative (sigmoid).
  const pos = new Float64Array(classes);
  for (const ys of trainY) for (const c of ys) pos[c]++;
  const wPos = Float64Array.from(pos, (p) => (p ? (multiLabel ? n / (2 * p) : n / (classes * p)) : 1));
  const wNeg = Float64Array.from(pos, (p) => (n - p ? n / (2 * (n - p)) : 1));
  const z = new Float64Array(classes);
  for (let it = 1; it <= iterations; it++) {
    const gW = new Float64Array(W.length);
    const gb = new Float64Array(classes);
    X.forEach(({ idx, val }, i) => {
      for (let c = 0; c < classes; c++) {
        let s = b[c];
        for (let j = 0; j < idx.length; j++) s += W[c * V + idx[j]] * val[j];
        z[c] = s;
      }
      const ys = trainY[i];
      if (multiLabel) {
        for (let c = 0; c < classes; c++) {
          const y = ys.includes(c) ? 1 : 0;
          z[c] = (1 / (1 + Math.exp(-z[c])) - y) * (y ? wPos[c] : wNeg[c]);
        }
      } else {
        const max = Math.max(...z);
        let sum = 0;
        for (let c = 0; c < classes; c++) sum += (z[c] = Math.exp(z[c] - max));
        const w = wPos[ys[0]];
        for (let c = 0; c < classes; c++) z[c] = w * (z[c] / sum - (c === ys[0] ? 1 : 0));
      }
      for (let c = 0; c < classes; c++) {
        gb[c] += z[c] / n;
        for (let j = 0; j < idx.length; j++) gW[c * V + idx[j]] += (z[c] * val[j]) / n;
      }
    });
    const c1 = 1 - 0.9 ** it;
    const c2 = 1 - 0.999 ** it;
    const step = (/** @type {Float64Array} */ p, /** @type {number} */ k, /** @type {number} */ g, /** @type {number} */ at) => {
      m[at] = 0.9 * m[at] + 0.1 * g;
      v[at] = 0.999 * v[at] + 0.001 * g * g;
      p[k] -= (lr * m[at]) / c1 / (Math.sqrt(v[at] / c2) + 1e-8);
    };
    for (let k = 0; k < W.length; k++) step(W, k, gW[k] + l2 * W[k], k);
    for (let c = 0; c < classes; c++) step(b, c, gb[c], W.length + c);
  }
  const out = new Float32Array(testTexts.length * classes);
  testTexts.forEach((t, i) => {
    const { idx, val } = vec.tfidf(t);
    for (let c = 0; c < classes; c++) {
      let s = b[c];
      for (let j = 0; j < idx.length; j++) s += W[c * V + idx[j]] * val[j];
      z[c] = s;
    }
    if (multiLabel) for (let c = 0; c < classes; c++) out[i * classes + c] = 1 / (1 + Math.exp(-z[c]));
    else {
      const max = Math.max(...z);
      let sum = 0;
      for (let c = 0; c < classes; c++) sum += (z[c] = Math.exp(z[c] - max));
      for (let c = 0; c < classes; c++) out[i * classes + c] = z[c] / sum;
    }
  });
  return out;
}

/**
 * Multinomial naive Bayes on term counts (alpha 1). Multi-label: one binary NB per concept (concept vs rest).
 * Returns scores [test × concepts]: posteriors (multi-class) or P(concept) (multi-label).
 * @param {string[]} trainTexts @param {number[][]} trainY @param {string[]} testTexts
 * @param {number} classes @param {boolean} multiLabel
 */
export function naiveBayes(trainTexts, trainY, testTexts, classes, multiLabel, alpha = 1) {
  const vec = new Vectorizer(trainTexts);
  const V = vec.vocab.size;
  const rows = trainTexts.map((t) => vec.counts(t));
  // Per concept: counts in rows with it (in) and without it (out, used by multi-label).
  const inC = Array.from({ length: classes }, () => new Float64Array(V));
  const all = new Float64Array(V);
  const docs = new Float64Array(classes);
  rows.forEach((r, i) => {
    for (const [k, c] of r) all[k] += c;
    for (const y of trainY[i]) {
      docs[y]++;
      for (const [k, c] of r) inC[y][k] += c;
    }
  });
  const logTheta = (/** @type {Float64Array} */ counts) => {
    let total = 0;
    for (const c of counts) total += c;
    return Float64Array.from(counts, (c) => Math.log((c + alpha) / (total + alpha * V)));
  };
  const thIn = inC.map(logTheta);
  const thOut = multiLabel ? inC.map((c) => logTheta(all.map((a, k) => a - c[k]))) : [];
  const n = rows.length;
  const out = new Float32Array(testTexts.length * classes);
  testTexts.forEach((t, i) => {
    const r = vec.counts(t);
    const ll = (/** @type {Float64Array} */ th) => {
      let s = 0;
      for (const [k, c] of r) s += c * th[k];
      return s;
    };
    if (multiLabel) {
      for (let c = 0; c < classes; c++) {
        const a = Math.log((docs[c] + 1) / (n + 2)) + ll(thIn[c]);
        const b = Math.log((n - docs[c] + 1) / (n + 2)) + ll(thOut[c]);
        out[i * classes + c] = 1 / (1 + Math.exp(b - a));
      }
    } else {
      const s = thIn.map((th, c) => Math.log((docs[c] + 1) / (n + classes)) + ll(th));
      const max = Math.max(...s);
      const e = s.map((x) => Math.exp(x - max));
      const sum = e.reduce((x, y) => x + y, 0);
      for (let c = 0; c < classes; c++) out[i * classes + c] = e[c] / sum;
    }
  });
  return out;
}
