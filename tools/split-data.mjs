#!/usr/bin/env node
// tools/split-data.mjs — THE hash-based, de-duplicating train/dev/test split used by every issue.
//
// Plain Node ESM, no dependencies, no build step.
//
// Usage:
//   node tools/split-data.mjs [--data-dir DIR] [--out DIR] [--only a,b,...] [--check]
//
// Flags:
//   --data-dir DIR   the shared data folder (default: ../shared/data relative to the repo root,
//                    i.e. /work/shared/data when the repo is /work/main).
//   --out DIR        where the splits go (default: build/splits relative to the repo root).
//                    Writes <out>/<dataset>/{train,dev,test}.jsonl (+ extra files for sst5, see below).
//   --only LIST      comma-separated dataset names to process (default: all known datasets).
//   --check          compute and print the summary only; write nothing.
//   --help           print this header.
//
// Rules:
//   * Normalised text = NFC, lower-case, whitespace collapsed to one space, trimmed (normalizeText()).
//   * Split assignment = sha256(normalised text): the first 8 bytes read as a big-endian integer / 2^64
//     gives u in [0, 1); u < f.train -> train, u < f.train + f.dev -> dev, else test (splitOf()).
//     No salt and no dataset name in the hash: one text always lands in the same split in every dataset,
//     and a row keeps its split when the data grows.
//   * De-duplication within a dataset: rows with the same normalised text are collapsed; the first row wins.
//     If duplicates carry different labels (label sets compared as sorted lists) every copy is dropped.
//   * Datasets with no official split (PROVENANCE gives none) are hash-split with the fractions in
//     SPLIT_FRACTIONS below: sms-spam, rt-polarity, uci-sentences (rows keep a "source" field:
//     amazon/yelp/imdb), financial-phrasebank, amazon-alexa, musical-instruments, ag-news (only a test
//     file exists upstream; it is still split so probes get train/test pools).
//   * Datasets with official splits are copied through de-duplicated: sst2 (train, dev), sst5 (train, dev,
//     plus train.3class/dev.3class and the phrase-level train.phrases/train.phrases.3class), goemotions
//     (train, dev, test). Evaluation splits win: a train row whose normalised text also occurs in an
//     evaluation split of the same dataset (dev/test) is dropped from train.
//   * Output rows are the input objects unchanged (plus "source" for uci-sentences), one JSON per line.
//   * A summary table of counts goes to stderr.
//
// Import from Node code:
//   import { splitOf, normalizeText, SPLIT_FRACTIONS } from './tools/split-data.mjs';
//   splitOf('Some text', { train: 0.8, dev: 0.1, test: 0.1 })  // -> 'train' | 'dev' | 'test'

import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const DEFAULT_FRACTIONS = Object.freeze({ train: 0.8, dev: 0.1, test: 0.1 });

/** Per-dataset fractions for the datasets that have no official split. */
export const SPLIT_FRACTIONS = Object.freeze({
  'sms-spam': { train: 0.8, dev: 0.1, test: 0.1 },
  'rt-polarity': { train: 0.8, dev: 0.1, test: 0.1 },
  'uci-sentences': { train: 0.8, dev: 0.1, test: 0.1 },
  // unseen-task probes: a smaller train pool (few-shot sampling) and a large test pool
  'financial-phrasebank': { train: 0.4, dev: 0.1, test: 0.5 },
  'amazon-alexa': { train: 0.4, dev: 0.1, test: 0.5 },
  'musical-instruments': { train: 0.4, dev: 0.1, test: 0.5 },
  'ag-news': { train: 0.4, dev: 0.1, test: 0.5 },
});

/** Lower-case, NFC, collapse whitespace, trim. */
export function normalizeText(text) {
  return String(text).normalize('NFC').toLowerCase().replace(/\s+/gu, ' ').trim();
}

/** u in [0, 1) from sha256 of the normalised text. */
export function hashUnit(text) {
  const h = createHash('sha256').update(normalizeText(text), 'utf8').digest();
  const hi = h.readUInt32BE(0);
  const lo = h.readUInt32BE(4);
  return (hi * 2 ** 32 + lo) / 2 ** 64; // double precision is plenty for a split
}

/**
 * Which split a text belongs to.
 * @param {string} text
 * @param {{train:number, dev?:number, test?:number}} [fractions] default 80/10/10
 * @returns {'train'|'dev'|'test'}
 */
export function splitOf(text, fractions = DEFAULT_FRACTIONS) {
  const train = fractions.train ?? 0;
  const dev = fractions.dev ?? 0;
  const u = hashUnit(text);
  if (u < train) return 'train';
  if (u < train + dev) return 'dev';
  return 'test';
}

function readJsonl(path) {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim().length > 0)
    .map((l) => JSON.parse(l));
}

function labelKey(row) {
  return JSON.stringify([...(row.labels ?? [])].map(String).sort());
}

/** De-duplicate by normalised text: first wins; conflicting labels drop every copy. */
export function dedupe(rows) {
  const first = new Map(); // key -> {row, conflict}
  for (const row of rows) {
    const k = normalizeText(row.text);
    const seen = first.get(k);
    if (!seen) first.set(k, { row, conflict: false });
    else if (labelKey(seen.row) !== labelKey(row)) seen.conflict = true;
  }
  const out = [];
  let dropped = 0;
  for (const { row, conflict } of first.values()) {
    if (conflict) dropped++;
    else out.push(row);
  }
  return { rows: out, duplicates: rows.length - first.size, conflicts: dropped };
}

// name -> how to read it
const HASH_SPLIT = {
  'sms-spam': ['all.jsonl'],
  'rt-polarity': ['all.jsonl'],
  'uci-sentences': ['amazon.jsonl', 'yelp.jsonl', 'imdb.jsonl'],
  'financial-phrasebank': ['all.jsonl'],
  'amazon-alexa': ['shared.jsonl'],
  'musical-instruments': ['shared.jsonl'],
  'ag-news': ['test.jsonl'],
};
// name -> { outName: inFile }, evaluation splits listed in `evalSplits`
const OFFICIAL = {
  sst2: { files: { train: 'train.jsonl', dev: 'dev.jsonl' }, evalSplits: ['dev'] },
  sst5: {
    files: {
      train: 'train.jsonl',
      dev: 'dev.jsonl',
      'train.3class': 'train.3class.jsonl',
      'dev.3class': 'dev.3class.jsonl',
      'train.phrases': 'train.phrases.jsonl',
      'train.phrases.3class': 'train.phrases.3class.jsonl',
    },
    evalSplits: ['dev'],
  },
  goemotions: { files: { train: 'train.jsonl', dev: 'dev.jsonl', test: 'test.jsonl' }, evalSplits: ['dev', 'test'] },
};
export const DATASETS = [...Object.keys(OFFICIAL), ...Object.keys(HASH_SPLIT)];

function writeJsonl(path, rows) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, rows.map((r) => JSON.stringify(r)).join('\n') + (rows.length ? '\n' : ''));
}

function parseArgs(argv) {
  const here = dirname(fileURLToPath(import.meta.url));
  const root = resolve(here, '..');
  const args = { dataDir: resolve(root, '..', 'shared', 'data'), out: resolve(root, 'build', 'splits'), only: null, check: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--data-dir') args.dataDir = resolve(argv[++i]);
    else if (a === '--out') args.out = resolve(argv[++i]);
    else if (a === '--only') args.only = argv[++i].split(',').map((s) => s.trim()).filter(Boolean);
    else if (a === '--check') args.check = true;
    else if (a === '--help' || a === '-h') args.help = true;
    else throw new Error(`unknown argument: ${a}`);
  }
  return args;
}

function main() {
  const args = parseArgs(process.argv.slice(2));
  if (args.help) {
    const src = readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n');
    process.stderr.write(src.filter((l, i) => i > 0 && l.startsWith('//')).map((l) => l.slice(3)).join('\n') + '\n');
    return;
  }
  const names = args.only ?? DATASETS;
  const table = [];
  for (const name of names) {
    const dir = join(args.dataDir, name);
    if (!existsSync(dir)) {
      process.stderr.write(`skip ${name}: ${dir} not found\n`);
      continue;
    }
    if (HASH_SPLIT[name]) {
      let rows = [];
      for (const f of HASH_SPLIT[name]) {
        const src = f.replace(/\.jsonl$/, '');
        for (const r of readJsonl(join(dir, f))) rows.push(name === 'uci-sentences' ? { ...r, source: src } : r);
      }
      const total = rows.length;
      const d = dedupe(rows);
      const fr = SPLIT_FRACTIONS[name] ?? DEFAULT_FRACTIONS;
      const parts = { train: [], dev: [], test: [] };
      for (const r of d.rows) parts[splitOf(r.text, fr)].push(r);
      for (const [s, rs] of Object.entries(parts)) {
        if (!args.check) writeJsonl(join(args.out, name, `${s}.jsonl`), rs);
        table.push({ dataset: name, split: s, input: s === 'train' ? total : '', dup: s === 'train' ? d.duplicates : '', conflict: s === 'train' ? d.conflicts : '', rows: rs.length });
      }
    } else {
      const spec = OFFICIAL[name];
      // normalised texts of the evaluation splits (dev/test): these win over train-side files
      const evalKeys = new Set();
      for (const s of spec.evalSplits) for (const r of readJsonl(join(dir, spec.files[s]))) evalKeys.add(normalizeText(r.text));
      for (const [outName, f] of Object.entries(spec.files)) {
        if (!existsSync(join(dir, f))) continue;
        const rows = readJsonl(join(dir, f));
        const d = dedupe(rows);
        const isEval = spec.evalSplits.some((s) => outName === s || outName.startsWith(`${s}.`));
        const kept = isEval ? d.rows : d.rows.filter((r) => !evalKeys.has(normalizeText(r.text)));
        if (!args.check) writeJsonl(join(args.out, name, `${outName}.jsonl`), kept);
        table.push({ dataset: name, split: outName, input: rows.length, dup: d.duplicates, conflict: d.conflicts, rows: kept.length, evalOverlap: d.rows.length - kept.length });
      }
    }
  }
  const cols = ['dataset', 'split', 'input', 'dup', 'conflict', 'evalOverlap', 'rows'];
  const w = cols.map((c) => Math.max(c.length, ...table.map((r) => String(r[c] ?? '').length)));
  const line = (vals) => vals.map((v, i) => String(v ?? '').padEnd(w[i])).join('  ');
  process.stderr.write(line(cols) + '\n' + line(w.map((n) => '-'.repeat(n))) + '\n');
  for (const r of table) process.stderr.write(line(cols.map((c) => r[c])) + '\n');
  if (!args.check) process.stderr.write(`wrote ${args.out}\n`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
