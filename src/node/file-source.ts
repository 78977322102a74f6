/** Model files from a local folder (Node). */
import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ModelLoadError } from '../errors.js';
import type { ModelSource } from '../model/source.js';

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
