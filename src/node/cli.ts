/**
 * The `inpage-classifier` command. stdout carries data only (one JSON line per input row, in order); logs and
 * progress go to stderr.
 */
import { parseArgs } from 'node:util';
import { isRowError, parseCsv, parseJsonlLine, sniffFormat, type RowResult } from '../data/rows.js';
import type { Device, Dtype } from '../types.js';
import { createClassifier } from './create-classifier.js';
import { exportCommand } from './export-cli.js';
import { evalCommand, train } from './learn-cli.js';

const USAGE = `Usage:
  inpage-classifier classify [--model <dir|url>] [--head head.json] [--format jsonl|csv]
                             [--top-k N] [--threshold X] [--device wasm|auto] [--dtype q8|fp32] < in.jsonl > out.jsonl

  Input: JSONL ({"text": ...} per line) or CSV with a "text" column; an "id" field is echoed back.
  Output: one JSON line per input row, in order: {"id"?, "concepts": [{"concept", "score"}], "tokens", "windows",
  "truncated"}, or {"index", "error"} for a row that could not be read (exit code 2 then).

  inpage-classifier train [--model <dir|url>] [--head linear|mlp] --data train.jsonl [--per-class N] [--seed S]
                          [--epochs N] [--validation-split F] [--l2 X] [--hidden N] --out head.json

  Embeds the labelled rows (JSONL {"text", "labels": [...]} or CSV with "text" and "labels" columns, labels split
  on | or ;), trains a head, writes it as JSON. --per-class N takes a seeded sample of N rows per concept.

  inpage-classifier eval --head head.json --data test.jsonl [--json] [--model <dir|url>]

  Classifies the rows with the head (on the model it names) and prints metrics: a table, or with --json exactly one
  JSON object ({"accuracy", "macroF1", "microF1", "perConcept", "confusion", ...}).

  inpage-classifier export --head head.json --out <dir> [--model <dir|url>] [--id <model id>] [--force]

  Writes a transformers.js text-classification model folder: the head's encoder (the model the head names, or
  --model) with the head folded into its ONNX graphs as a "logits" output, and config.json id2label/problem_type.
  The model id defaults to the folder's name; --force writes into a non-empty folder.`;

export interface CliIo {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

function parseInput(text: string, format: string | undefined): RowResult[] {
  const fmt = format ?? sniffFormat(text.slice(0, 1024));
  if (fmt === 'csv') return parseCsv(text);
  if (fmt !== 'jsonl') throw new Error(`unknown --format ${fmt}`);
  const rows: RowResult[] = [];
  for (const line of text.split(/\r?\n/)) if (line.trim()) rows.push(parseJsonlLine(line, rows.length));
  return rows;
}

async function classify(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      model: { type: 'string' },
      head: { type: 'string' },
      format: { type: 'string' },
      'top-k': { type: 'string' },
      threshold: { type: 'string' },
      device: { type: 'string' },
      dtype: { type: 'string' },
      batch: { type: 'string', default: '256' },
    },
  });
  const rows = parseInput(await readAll(io.stdin), values.format);
  const log = (s: string) => io.stderr.write(`${s}\n`);
  const clf = await createClassifier({
    model: values.model,
    head: values.head,
    device: values.device as Device | undefined,
    dtype: values.dtype as Dtype | undefined,
  });
  const { info } = clf;
  log(`model ${info.modelId} (${info.source}), ${info.device} ${info.dtype}, ${info.threads} thread(s), loaded in ${Math.round(info.loadMs)} ms`);
  const options = {
    topK: values['top-k'] !== undefined ? Number(values['top-k']) : undefined,
    threshold: values.threshold !== undefined ? Number(values.threshold) : undefined,
  };
  const batch = Math.max(1, Number(values.batch) || 256);
  let failed = 0;
  try {
    for (let start = 0; start < rows.length; start += batch) {
      const slice = rows.slice(start, start + batch);
      const good = slice.filter((r) => !isRowError(r));
      const results = await clf.classify(
        good.map((r) => (r as { text: string }).text),
        options,
      );
      let k = 0;
      const out: string[] = [];
      for (const r of slice) {
        if (isRowError(r)) {
          failed++;
          out.push(JSON.stringify({ index: r.index, error: r.error }));
          continue;
        }
        const res = results[k++];
        out.push(JSON.stringify({ ...(r.id !== undefined ? { id: r.id } : {}), ...res }));
      }
      io.stdout.write(`${out.join('\n')}\n`);
      log(`classified ${Math.min(start + batch, rows.length)}/${rows.length}`);
    }
  } finally {
    await clf.dispose();
  }
  if (failed) log(`${failed} row(s) could not be read`);
  return failed ? 2 : 0;
}

/** Runs the CLI; resolves to the exit code. */
export async function main(argv: string[], io: CliIo = process): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'classify':
        return await classify(rest, io);
      case 'train':
        return await train(rest, io);
      case 'eval':
        return await evalCommand(rest, io);
      case 'export':
        return await exportCommand(rest, io);
      case undefined:
      case '-h':
      case '--help':
        io.stderr.write(`${USAGE}\n`);
        return command ? 0 : 1;
      default:
        io.stderr.write(`unknown command "${command}"\n${USAGE}\n`);
        return 1;
    }
  } catch (err) {
    io.stderr.write(`inpage-classifier: ${(err as Error).message}\n`);
    return 1;
  }
}

