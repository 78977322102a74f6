/**
 * `inpage-classifier train` and `inpage-classifier eval`: labelled rows → head file, and head file + rows → metrics.
 * stdout carries data only (eval's report); progress and logs go to stderr.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { isRowError, parseCsv, parseJsonlLine, sniffFormat, type Row, type RowResult } from '../data/rows.js';
import type { Classifier } from '../classifier.js';
import { evaluate, type EvalReport } from '../learn/metrics.js';
import { samplePerClass } from '../learn/sample.js';
import { trainHead } from '../learn/train-job.js';
import type { HeadFile } from '../types.js';
import type { TrainProgress } from '../learn/types.js';
import { createClassifier, defaultModelDir } from './create-classifier.js';
import { modelRefFor, readModelRevision, resolveModelRef } from './model-ref.js';
import { trainLora } from './train-lora.js';
import { isAdapterFile, type AdapterFile } from '../lora/adapter-file.js';

export interface LearnIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/** Labelled rows of a JSONL or CSV file (by extension, else sniffed); unreadable or unlabelled rows are skipped. */
async function readLabelled(path: string, log: (s: string) => void): Promise<Row[]> {
  const text = await readFile(path, 'utf8');
  const csv = /\.csv$/i.test(path) || (!/\.jsonl?$/i.test(path) && sniffFormat(text.slice(0, 1024)) === 'csv');
  let rows: RowResult[];
  if (csv) rows = parseCsv(text);
  else {
    rows = [];
    for (const line of text.split(/\r?\n/)) if (line.trim()) rows.push(parseJsonlLine(line, rows.length));
  }
  const bad = rows.filter(isRowError);
  const good = rows.filter((r): r is Row => !isRowError(r));
  const labelled = good.filter((r) => r.labels !== undefined);
  if (bad.length) log(`${path}: skipped ${bad.length} unreadable row(s), first: row ${bad[0].index}: ${bad[0].error}`);
  if (labelled.length < good.length) log(`${path}: skipped ${good.length - labelled.length} row(s) without labels`);
  if (!labelled.length) throw new Error(`${path}: no labelled rows`);
  return labelled;
}

async function embedAll(clf: Classifier, texts: string[], log: (s: string) => void): Promise<Float32Array> {
  const dim = clf.info.dim;
  const out = new Float32Array(texts.length * dim);
  const batch = 256;
  for (let s = 0; s < texts.length; s += batch) {
    const e = await clf.embed(texts.slice(s, s + batch));
    out.set(e.data, s * dim);
    log(`embedded ${Math.min(s + batch, texts.length)}/${texts.length}`);
  }
  return out;
}

const intArg = (v: string | undefined, name: string): number | undefined => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer, got "${v}"`);
  return n;
};

const numArg = (v: string | undefined, name: string): number | undefined => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new Error(`--${name} must be a number, got "${v}"`);
  return n;
};

/** An epoch's validation figures for a progress line ('' without a validation split). */
const validationPart = (p: TrainProgress): string =>
  p.valLoss === null ? '' : `, val loss ${p.valLoss.toFixed(4)}, val macro-F1 ${p.valMetric!.toFixed(3)}`;

const validationSummary = (v: EvalReport | null): string =>
  v ? `validation macro-F1 ${v.macroF1.toFixed(3)}, accuracy ${v.accuracy.toFixed(3)} (${v.count} rows)` : 'no validation split';

/** `train [--model m] [--head linear|mlp|lora] --data f [--per-class N] [--seed S] [--rank R] --out head.json` */
export async function train(args: string[], io: LearnIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      model: { type: 'string' },
      head: { type: 'string', default: 'linear' },
      data: { type: 'string' },
      'per-class': { type: 'string' },
      seed: { type: 'string', default: '0' },
      out: { type: 'string' },
      epochs: { type: 'string' },
      'validation-split': { type: 'string' },
      l2: { type: 'string' },
      hidden: { type: 'string' },
      rank: { type: 'string' },
    },
  });
  const log = (s: string) => io.stderr.write(`${s}\n`);
  if (!values.data) throw new Error('train needs --data <train.jsonl|csv>');
  if (!values.out) throw new Error('train needs --out <head.json>');
  if (values.head !== 'linear' && values.head !== 'mlp' && values.head !== 'lora') {
    throw new Error(`--head must be linear, mlp or lora, got "${values.head}"`);
  }
  const seed = intArg(values.seed, 'seed') ?? 0;
  let rows = await readLabelled(values.data, log);
  const perClass = intArg(values['per-class'], 'per-class');
  if (perClass) {
    const all = rows.length;
    rows = samplePerClass(rows.map((r) => r.labels!), perClass, seed).map((i) => rows[i]);
    log(`sampled ${rows.length} of ${all} rows (${perClass} per class, seed ${seed})`);
  }
  const model = values.model ?? defaultModelDir();
  if (values.head === 'lora') return trainLoraCli(rows, model, values, seed, perClass, log);
  const clf = await createClassifier({ model });
  let data: Float32Array;
  try {
    log(`model ${clf.info.modelId} (${clf.info.source}), ${clf.info.dtype}, loaded in ${Math.round(clf.info.loadMs)} ms`);
    data = await embedAll(clf, rows.map((r) => r.text), log);
  } finally {
    await clf.dispose();
  }
  const { info } = clf;
  const result = await trainHead(
    { data, dim: info.dim, labels: rows.map((r) => r.labels!), ids: rows.map((r) => r.id ?? String(r.index)) },
    {
      type: values.head,
      modelId: info.modelId,
      modelRevision: await readModelRevision(model),
      model: modelRefFor(model),
      seed,
      epochs: intArg(values.epochs, 'epochs'),
      validationSplit: numArg(values['validation-split'], 'validation-split'),
      l2: numArg(values.l2, 'l2'),
      hidden: intArg(values.hidden, 'hidden'),
      dataSummary: { source: values.data, perClass: perClass ?? null, dtype: info.dtype },
      onProgress: (p) => {
        if (p.epoch % 10 === 0 || p.epoch === 1) {
          log(`epoch ${p.epoch}: loss ${p.loss.toFixed(4)}${validationPart(p)}`);
        }
      },
    },
  );
  await writeFile(values.out, `${JSON.stringify(result.head)}\n`);
  const summary = validationSummary(result.validation);
  log(`trained a ${values.head} head on ${rows.length} rows in ${Math.round(result.ms)} ms (best epoch ${result.bestEpoch}); ${summary}`);
  log(`wrote ${values.out}`);
  return 0;
}

/** `train --head lora`: an adapter on the model's top layers plus its head, written as one adapter file. */
async function trainLoraCli(
  rows: Row[],
  model: string,
  values: { data?: string; out?: string; epochs?: string; rank?: string; 'validation-split'?: string },
  seed: number,
  perClass: number | undefined,
  log: (s: string) => void,
): Promise<number> {
  const rank = intArg(values.rank, 'rank');
  if (rank === 0) throw new Error('--rank must be at least 1');
  const result = await trainLora(
    { texts: rows.map((r) => r.text), labels: rows.map((r) => r.labels!), ids: rows.map((r) => r.id ?? String(r.index)) },
    {
      model,
      seed,
      rank,
      epochs: intArg(values.epochs, 'epochs'),
      validationSplit: numArg(values['validation-split'], 'validation-split'),
      dataSummary: { source: values.data, perClass: perClass ?? null },
      onProgress: (p) => {
        log(`epoch ${p.epoch}: loss ${p.loss.toFixed(4)}${validationPart(p)} (${p.seconds.toFixed(1)} s)`);
      },
    },
    { onEncode: (done, total) => (done === total || done % 512 === 0) && log(`bottom states ${done}/${total}`) },
  );
  const a = result.adapter;
  await writeFile(values.out!, `${JSON.stringify(a)}\n`);
  const summary = validationSummary(result.validation);
  log(`trained a LoRA adapter (rank ${a.r}, top ${a.k} layers of ${a.modelId}) and its head on ${rows.length} rows in ${Math.round(result.ms)} ms (best epoch ${result.bestEpoch}); ${summary}`);
  log(`wrote ${values.out}`);
  return 0;
}

function table(report: EvalReport): string {
  const pct = (x: number) => (100 * x).toFixed(1).padStart(6);
  const lines = [
    `rows ${report.count}   accuracy ${pct(report.accuracy)} %   macro-F1 ${pct(report.macroF1)} %   micro-F1 ${pct(report.microF1)} %`,
    '',
    `${'concept'.padEnd(16)} precision  recall     F1  support     AUC`,
  ];
  for (const [c, m] of Object.entries(report.perConcept)) {
    const auc = m.auc === null || m.auc === undefined ? '     –' : m.auc.toFixed(3).padStart(7);
    lines.push(`${c.padEnd(16)}    ${pct(m.precision)} ${pct(m.recall)} ${pct(m.f1)} ${String(m.support).padStart(8)} ${auc}`);
  }
  lines.push('', `confusion (rows true, columns predicted): ${report.confusion.labels.join(', ')}`);
  for (const [k, row] of report.confusion.matrix.entries()) lines.push(`${report.confusion.labels[k].padEnd(16)} ${row.map((x) => String(x).padStart(6)).join('')}`);
  return `${lines.join('\n')}\n`;
}

/** `eval --head head.json --data test.jsonl [--json] [--model m]` */
export async function evalCommand(args: string[], io: LearnIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      head: { type: 'string' },
      data: { type: 'string' },
      json: { type: 'boolean', default: false },
      model: { type: 'string' },
    },
  });
  const log = (s: string) => io.stderr.write(`${s}\n`);
  if (!values.head) throw new Error('eval needs --head <head.json>');
  if (!values.data) throw new Error('eval needs --data <test.jsonl|csv>');
  const file = JSON.parse(await readFile(values.head, 'utf8')) as HeadFile | AdapterFile;
  // An adapter file ([G]) carries its head; the classifier runs it through the split graphs.
  const head: HeadFile = isAdapterFile(file) ? file.head : file;
  const rows = await readLabelled(values.data, log);
  const model = values.model ?? (typeof file.model === 'string' && file.model ? resolveModelRef(file.model) : defaultModelDir());
  const clf = await createClassifier({ model, head: file });
  const concepts = clf.info.concepts;
  const scores = new Float32Array(rows.length * concepts.length);
  const index = new Map(concepts.map((c, k) => [c, k]));
  try {
    const adapted = clf.info.adapter ? ` (LoRA rank ${clf.info.adapter.rank} on ${clf.info.adapter.layers} top layers)` : '';
    log(`model ${clf.info.modelId} (${clf.info.source}), head ${values.head}${adapted}: ${concepts.length} concepts`);
    const batch = 256;
    for (let s = 0; s < rows.length; s += batch) {
      const results = await clf.classify(rows.slice(s, s + batch).map((r) => r.text));
      results.forEach((r, i) => {
        for (const { concept, score } of r.concepts) scores[(s + i) * concepts.length + index.get(concept)!] = score;
      });
      log(`classified ${Math.min(s + batch, rows.length)}/${rows.length}`);
    }
  } finally {
    await clf.dispose();
  }
  const report = evaluate(
    rows.map((r) => r.labels!),
    scores,
    concepts,
    {
      problemType: clf.info.problemType,
      thresholds: clf.info.problemType === 'multi_label_classification' ? head.thresholds : null,
      ids: rows.map((r) => r.id ?? String(r.index)),
    },
  );
  io.stdout.write(values.json ? `${JSON.stringify(report)}\n` : table(report));
  return 0;
}
