/**
 * The emulator's "deep training": a one-vs-rest naive Bayes per concept over word tokens. Deterministic, fast, and
 * good enough that predictions on the uploaded texts track their labels, so comparisons in tests mean something.
 */

export interface LabelledText {
  text: string;
  /** concept id → value (1 positive, 0 negative); concepts absent count as negative. */
  values: Record<string, number>;
}

export interface NbModel {
  concepts: string[];
  /** Per concept: log P(pos) - log P(neg), and per-token log-likelihood ratios. */
  prior: Record<string, number>;
  ratio: Record<string, Record<string, number>>;
  fallback: Record<string, number>;
}

export const tokens = (text: string): string[] => text.toLowerCase().match(/[\p{L}\p{N}']+/gu) ?? [];

export function trainNb(rows: readonly LabelledText[], concepts: readonly string[]): NbModel {
  const model: NbModel = { concepts: [...concepts], prior: {}, ratio: {}, fallback: {} };
  const vocab = new Set(rows.flatMap((r) => tokens(r.text)));
  for (const c of concepts) {
    const pos = new Map<string, number>();
    const neg = new Map<string, number>();
    let nPos = 0;
    let tPos = 0;
    let tNeg = 0;
    for (const r of rows) {
      const isPos = r.values[c] === 1;
      if (isPos) nPos++;
      for (const t of tokens(r.text)) {
        const m = isPos ? pos : neg;
        m.set(t, (m.get(t) ?? 0) + 1);
        if (isPos) tPos++;
        else tNeg++;
      }
    }
    const nNeg = rows.length - nPos;
    const v = vocab.size + 1;
    model.prior[c] = Math.log((nPos + 1) / (nNeg + 1));
    const ratio: Record<string, number> = {};
    for (const t of vocab) ratio[t] = Math.log(((pos.get(t) ?? 0) + 1) / (tPos + v)) - Math.log(((neg.get(t) ?? 0) + 1) / (tNeg + v));
    model.ratio[c] = ratio;
    model.fallback[c] = Math.log(1 / (tPos + v)) - Math.log(1 / (tNeg + v));
  }
  return model;
}

/** Scores in [0, 1] per concept. */
export function predictNb(model: NbModel, text: string): Record<string, number> {
  const ts = tokens(text);
  const out: Record<string, number> = {};
  for (const c of model.concepts) {
    let z = model.prior[c];
    for (const t of ts) z += model.ratio[c][t] ?? model.fallback[c];
    out[c] = 1 / (1 + Math.exp(-Math.max(-30, Math.min(30, z))));
  }
  return out;
}

/** Macro F1 at 0.5 and macro ROC AUC over the training rows: the emulator's `metrics.summary`. */
export function summarize(model: NbModel, rows: readonly LabelledText[]): Record<string, number> {
  const f1s: number[] = [];
  const aucs: number[] = [];
  const scored = rows.map((r) => ({ r, s: predictNb(model, r.text) }));
  for (const c of model.concepts) {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    const pos: number[] = [];
    const neg: number[] = [];
    for (const { r, s } of scored) {
      const y = r.values[c] === 1;
      const p = s[c] >= 0.5;
      if (y && p) tp++;
      else if (p) fp++;
      else if (y) fn++;
      (y ? pos : neg).push(s[c]);
    }
    f1s.push(tp ? (2 * tp) / (2 * tp + fp + fn) : 0);
    let wins = 0;
    for (const a of pos) for (const b of neg) wins += a > b ? 1 : a === b ? 0.5 : 0;
    if (pos.length && neg.length) aucs.push(wins / (pos.length * neg.length));
  }
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
  return { macro_avg_f1_score: mean(f1s), macro_avg_roc_auc: mean(aucs) };
}
