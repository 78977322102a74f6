/** Collecting an export's input files from a model source (URL, hub, or a Node folder). */
import { ModelLoadError } from '../errors.js';
import type { ModelSource } from '../model/source.js';
import { EXPORT_INPUT_FILES } from './export-model.js';

/**
 * Reads the files `exportHeadModel` needs from `source`; a missing required file is a `ModelLoadError` naming it.
 * @example const files = await readExportInputs(urlSource('/models/inpage-sentiment-mini/'));
 */
export async function readExportInputs(source: ModelSource): Promise<Map<string, Uint8Array>> {
  const required = new Set<string>(EXPORT_INPUT_FILES.required);
  const names = [...EXPORT_INPUT_FILES.required, ...EXPORT_INPUT_FILES.optional];
  const read = await Promise.all(names.map((file) => source.read(file)));
  const files = new Map<string, Uint8Array>();
  names.forEach((file, k) => {
    const bytes = read[k];
    if (bytes) files.set(file, bytes);
    else if (required.has(file)) throw new ModelLoadError(`not found in ${source.location}`, file);
  });
  return files;
}
