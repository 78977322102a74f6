/** Model files in Node: a local folder, or (for URLs and hub ids) the same remote source browsers use. */
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ModelLoadError } from '../errors.js';
import { isHubId } from '../model/hub.js';
import { remoteSource, type SourceRequest } from '../model/resolve-source.js';
import type { ModelSource } from '../model/source.js';

export const isUrl = (s: string): boolean => /^https?:\/\//i.test(s);

/** Whether `model` is fetched (URL, or a hub id with no local folder of that name: a local folder wins, as in transformers.js). */
export function isRemoteModel(model: string): boolean {
  return isUrl(model) || (isHubId(model) && !existsSync(model));
}

/**
 * @example const src = modelSource({ model: 'public/models/inpage-sentiment-mini' }); // a folder source
 */
export function modelSource(req: SourceRequest): ModelSource {
  return isRemoteModel(req.model) ? remoteSource(req) : folderSource(req.model);
}

/** Bytes of a file, or null when it does not exist. */
export async function readLocalFile(path: string, label = path): Promise<Uint8Array | null> {
  try {
    const buf = await readFile(path);
    return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    throw new ModelLoadError(`cannot read ${path} (${code ?? (err as Error).message})`, label, { cause: err });
  }
}

/**
 * @example const src = folderSource('./public/models/inpage-sentiment-mini');
 */
export function folderSource(dir: string): ModelSource {
  const root = resolve(dir);
  return {
    location: root,
    async read(file, options) {
      if (options?.isCancelled?.()) return null;
      const path = join(root, file);
      const bytes = await readLocalFile(path, file);
      if (bytes) options?.onBytes?.(bytes.byteLength, bytes.byteLength);
      return bytes;
    },
  };
}

export async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}
