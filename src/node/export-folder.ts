/**
 * Exporting a head with its encoder to a model folder on disk (Node): reads the encoder from a folder, URL or hub id,
 * writes the transformers.js folder that `exportHeadModel` builds.
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { readExportInputs } from '../export/export-inputs.js';
import { exportHeadModel, type ExportOptions } from '../export/export-model.js';
import { modelSource } from './file-source.js';

export interface ExportFolderOptions extends ExportOptions {
  /** The encoder: a folder, URL or hub id. */
  model: string;
  /** A head object, or the path of a head JSON file. */
  head: unknown;
  /** The folder to write; it must be empty or absent unless `overwrite`. */
  out: string;
  overwrite?: boolean;
}

export interface ExportFolderResult {
  out: string;
  modelId: string;
  /** Paths written, relative to `out`. */
  files: string[];
}

async function isEmptyOrAbsent(dir: string): Promise<boolean> {
  try {
    return (await readdir(dir)).length === 0;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw err;
  }
}

/**
 * @example
 * await exportHeadModelToFolder({ model: 'public/models/inpage-sentiment-mini', head: 'head.json', out: 'my-classifier' });
 * // my-classifier/ loads with createClassifier({ model: 'my-classifier' }) and transformers.js' text-classification
 */
export async function exportHeadModelToFolder(options: ExportFolderOptions): Promise<ExportFolderResult> {
  const out = resolve(options.out);
  if (!options.overwrite && !(await isEmptyOrAbsent(out))) {
    throw new Error(`${out} is not empty; choose a new folder (or overwrite)`);
  }
  const head: unknown = typeof options.head === 'string' ? JSON.parse(await readFile(options.head, 'utf8')) : options.head;
  const source = modelSource({ model: options.model, cache: false });
  const modelId = options.modelId;
  const files = exportHeadModel(await readExportInputs(source), head, modelId ? { modelId } : {});
  for (const [file, bytes] of files) {
    const path = join(out, file);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, bytes);
  }
  const config = JSON.parse(new TextDecoder().decode(files.get('config.json'))) as { _name_or_path: string };
  return { out, modelId: config._name_or_path, files: [...files.keys()] };
}
