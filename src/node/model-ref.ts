/**
 * How a head file names its model: a folder inside the package is stored relative to the package root (so the head
 * works from any working directory and after the package moves), anything else as an absolute path or URL.
 */
import { readFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { isUrl } from './file-source.js';
import { packageRoot } from './package-root.js';

/**
 * The `model` field for a head trained on the model at `location`.
 * @example modelRefFor('/…/inpage-classifier/public/models/inpage-sentiment-mini') // 'public/models/inpage-sentiment-mini'
 */
export function modelRefFor(location: string): string {
  if (isUrl(location)) return location;
  const abs = resolve(location);
  const rel = relative(packageRoot(), abs);
  const inside = rel && !rel.startsWith('..') && !isAbsolute(rel);
  return inside ? rel.split(sep).join('/') : abs;
}

/**
 * Where a head's `model` field points: URLs and absolute paths as they are, relative paths from the package root.
 * @example resolveModelRef('public/models/inpage-sentiment-mini') // '/…/inpage-classifier/public/models/…'
 */
export function resolveModelRef(ref: string): string {
  return isUrl(ref) || isAbsolute(ref) ? ref : join(packageRoot(), ref);
}

/** The model's revision from a local folder's `config.json` (`inpage.revision`, else `_commit_hash`), if any. */
export async function readModelRevision(location: string): Promise<string | undefined> {
  if (isUrl(location)) return undefined;
  try {
    const config = JSON.parse(await readFile(join(location, 'config.json'), 'utf8')) as {
      inpage?: { revision?: unknown };
      _commit_hash?: unknown;
    };
    const rev = config.inpage?.revision ?? config._commit_hash;
    return typeof rev === 'string' && rev ? rev : undefined;
  } catch {
    return undefined;
  }
}
