/**
 * `inpage-classifier export`: a head file + its encoder → a transformers.js text-classification model folder.
 * Logs go to stderr; stdout stays empty.
 */
import { readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { HeadFile } from '../types.js';
import { defaultModelDir } from './create-classifier.js';
import { exportHeadModelToFolder } from './export-folder.js';
import { resolveModelRef } from './model-ref.js';

export interface ExportIo {
  stderr: NodeJS.WritableStream;
}

/** `export --head head.json --out <dir> [--model <dir|url>] [--id <model id>] [--force]` */
export async function exportCommand(args: string[], io: ExportIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      head: { type: 'string' },
      out: { type: 'string' },
      model: { type: 'string' },
      id: { type: 'string' },
      force: { type: 'boolean', default: false },
    },
  });
  if (!values.head) throw new Error('export needs --head <head.json>');
  if (!values.out) throw new Error('export needs --out <folder>');
  const head = JSON.parse(await readFile(values.head, 'utf8')) as HeadFile;
  // As `eval`: the head names its model; --model overrides.
  const model = values.model ?? (typeof head.model === 'string' && head.model ? resolveModelRef(head.model) : defaultModelDir());
  const result = await exportHeadModelToFolder({
    model,
    head,
    out: values.out,
    // The folder's name is what transformers.js users will call the model.
    modelId: values.id ?? basename(resolve(values.out)),
    overwrite: values.force,
  });
  io.stderr.write(`exported model "${result.modelId}" (${head.type} head, ${head.concepts.length} concepts, encoder ${model}) to ${result.out}: ${result.files.join(', ')}\n`);
  return 0;
}
