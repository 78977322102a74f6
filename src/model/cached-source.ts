/**
 * A caching ModelSource. Each model location has a manifest (file → sha256 and size, or "absent") stored next to its
 * files; on a hit the bytes are re-hashed and compared, so a corrupt entry is refetched instead of crashing ORT.
 * Fetched files are only staged: `commit()` writes them (manifest last) once the model has loaded, so a failed load
 * leaves nothing half-cached. A second load of a committed model makes no network request at all.
 */
import { ModelLoadError } from '../errors.js';
import type { FileStore } from './file-store.js';
import { sha256Hex } from './sha256.js';
import type { FetchFileOptions, ModelSource } from './source.js';

type Entry = { sha256: string; size: number } | { absent: true };

export interface Manifest {
  version: 1;
  location: string;
  savedAt: string;
  files: Record<string, Entry>;
}

export interface CachedSource extends ModelSource {
  /** Writes staged files and the manifest. Call after the model loaded successfully. */
  commit(): Promise<void>;
  /** Files served from the cache / fetched in this load, for diagnostics and tests. */
  readonly stats: { hits: number; fetched: number; refetchedCorrupt: number };
}

const manifestKey = (location: string) => `${location}.inpage-manifest.json`;

export async function readManifest(store: FileStore, location: string): Promise<Manifest | null> {
  const bytes = await store.get(manifestKey(location));
  if (!bytes) return null;
  try {
    const m = JSON.parse(new TextDecoder().decode(bytes)) as Manifest;
    return m.version === 1 && m.files ? m : null;
  } catch {
    return null;
  }
}

/**
 * @param offline never call `inner`; a file missing from the cache is a ModelLoadError.
 * @example const src = cachedSource(urlSource(base), cacheStorageStore(), { offline: false });
 */
export function cachedSource(inner: ModelSource, store: FileStore, { offline = false } = {}): CachedSource {
  const location = inner.location;
  const staged = new Map<string, Uint8Array | null>();
  let manifest: Promise<Manifest | null> | null = null;
  const stats = { hits: 0, fetched: 0, refetchedCorrupt: 0 };

  async function read(file: string, options?: FetchFileOptions): Promise<Uint8Array | null> {
    manifest ??= readManifest(store, location);
    const entry = (await manifest)?.files[file];
    if (entry && 'absent' in entry) {
      stats.hits++;
      return null;
    }
    if (entry) {
      const bytes = await store.get(location + file);
      if (bytes && bytes.byteLength === entry.size && (await sha256Hex(bytes)) === entry.sha256) {
        stats.hits++;
        options?.onBytes?.(bytes.byteLength, bytes.byteLength);
        return bytes;
      }
      stats.refetchedCorrupt++;
    }
    if (offline) {
      // A complete manifest that never listed this file means the model does not have it.
      if ((await manifest) && !entry) return null;
      throw new ModelLoadError(`not in the cache, and offline mode forbids the network (${location})`, file);
    }
    const bytes = await inner.read(file, options);
    stats.fetched++;
    staged.set(file, bytes);
    return bytes;
  }

  async function commit(): Promise<void> {
    if (offline || staged.size === 0) return;
    const previous = (await (manifest ?? readManifest(store, location))) ?? null;
    const files: Record<string, Entry> = { ...(previous?.files ?? {}) };
    for (const [file, bytes] of staged) {
      if (!bytes) {
        files[file] = { absent: true };
        continue;
      }
      await store.put(location + file, bytes);
      files[file] = { sha256: await sha256Hex(bytes), size: bytes.byteLength };
    }
    const m: Manifest = { version: 1, location, savedAt: new Date().toISOString(), files };
    await store.put(manifestKey(location), new TextEncoder().encode(JSON.stringify(m)));
    staged.clear();
  }

  return { location, read, commit, stats };
}
