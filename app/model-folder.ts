/**
 * The transformers.js model folder of the active head ([C1] exportHeadModel), zipped: the encoder's files are read
 * from where the model was loaded (the service worker serves them offline), the head folded in, the result zipped.
 */
import { zipSync } from 'fflate';
import { EXPORT_INPUT_FILES, exportHeadModel, type HeadFile } from '../src/index.js';

async function fetchFile(base: string, file: string, required: boolean): Promise<Uint8Array | null> {
  const res = await fetch(new URL(file, base));
  if (!res.ok) {
    if (required) throw new Error(`${file}: ${res.status} ${res.statusText} from ${base}`);
    return null;
  }
  return new Uint8Array(await res.arrayBuffer());
}

export async function modelFolderZip(source: string, head: HeadFile, modelId: string): Promise<Uint8Array> {
  const base = source.endsWith('/') ? source : `${source}/`;
  const files = new Map<string, Uint8Array>();
  const wanted = [...EXPORT_INPUT_FILES.required.map((f) => [f, true] as const), ...EXPORT_INPUT_FILES.optional.map((f) => [f, false] as const)];
  await Promise.all(
    wanted.map(async ([file, required]) => {
      const bytes = await fetchFile(base, file, required);
      if (bytes) files.set(file, bytes);
    }),
  );
  const out = exportHeadModel(files, head, { modelId });
  // Stored, not deflated: ONNX weights barely compress and zipping stays instant.
  return zipSync(Object.fromEntries([...out].map(([path, bytes]) => [`${modelId}/${path}`, bytes])), { level: 0 });
}
