/**
 * Where model files come from. A source answers "give me file X of this model"; URL/folder sources live here, the
 * Node filesystem source in `src/node/file-source.ts`. [A2] adds the hub layout and caching on top of this interface.
 */
import { CancelledError, ModelLoadError } from '../errors.js';

export interface FetchFileOptions {
  /** Bytes received so far and the total (0 when unknown). */
  onBytes?: (loaded: number, total: number) => void;
  isCancelled?: () => boolean;
}

export interface ModelSource {
  /** Human-readable location (URL or path), shown in `info.source` and in errors. */
  readonly location: string;
  /** Bytes of a file, or `null` when the file does not exist (404 / ENOENT). Any other failure throws ModelLoadError. */
  read(file: string, options?: FetchFileOptions): Promise<Uint8Array | null>;
}

/**
 * Files of a model folder served over HTTP(S), e.g. `https://example.com/models/my-model/` or a same-origin
 * `/models/my-model/`.
 * @example const src = urlSource(new URL('./models/inpage-sentiment-mini/', location.href).href);
 */
export function urlSource(baseUrl: string, fetchImpl: typeof fetch = fetch): ModelSource {
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  return {
    location: base,
    read: (file, options) => fetchFile(new URL(file, base).href, file, options, fetchImpl),
  };
}

/**
 * Fetches one file: its bytes, or `null` on 404. Other HTTP errors, network errors and short bodies throw
 * ModelLoadError naming `file`.
 */
export async function fetchFile(
  url: string,
  file: string = url,
  options: FetchFileOptions = {},
  fetchImpl: typeof fetch = fetch,
): Promise<Uint8Array | null> {
  let res: Response;
  try {
    res = await fetchImpl(url);
  } catch (err) {
    throw new ModelLoadError(`network error fetching ${url} (${(err as Error).message})`, file, { cause: err });
  }
  if (res.status === 404) return null;
  if (!res.ok) throw new ModelLoadError(`HTTP ${res.status} ${res.statusText} from ${url}`, file);
  return readBody(res, file, options);
}

/** Reads a response body with byte progress and cancellation, and checks it against Content-Length. */
async function readBody(res: Response, file: string, { onBytes, isCancelled }: FetchFileOptions): Promise<Uint8Array> {
  const declared = Number(res.headers.get('content-length') ?? 0);
  // Content-Length counts encoded bytes; only trust it for an identity body.
  const total = res.headers.get('content-encoding') ? 0 : declared;
  if (!res.body) return new Uint8Array(await res.arrayBuffer());
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  for (;;) {
    if (isCancelled?.()) {
      await reader.cancel();
      throw new CancelledError('Model loading was cancelled.');
    }
    let chunk: ReadableStreamReadResult<Uint8Array>;
    try {
      chunk = await reader.read();
    } catch (err) {
      throw new ModelLoadError(
        `truncated download: the connection failed after ${loaded}${total ? ` of ${total}` : ''} bytes`,
        file,
        { cause: err },
      );
    }
    const { done, value } = chunk;
    if (done) break;
    chunks.push(value);
    loaded += value.byteLength;
    onBytes?.(loaded, total);
  }
  if (total && loaded !== total) {
    throw new ModelLoadError(`truncated download: got ${loaded} of ${total} bytes`, file);
  }
  return concat(chunks, loaded);
}

function concat(chunks: Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(size);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.byteLength;
  }
  return out;
}
