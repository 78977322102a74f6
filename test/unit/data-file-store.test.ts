/** The Node file-backed storage: the dataset API over files, reopening, torn tails, embeddings as typed arrays. */
import { appendFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renameConcept } from '../../src/data/concepts.js';
import { openDataset } from '../../src/data/dataset.js';
import { embedCached, openEmbeddingCache } from '../../src/data/embedding-cache.js';
import { addExamples, countExamples, getExample, listExamples } from '../../src/data/examples.js';
import { importInto } from '../../src/data/import.js';
import { textId } from '../../src/data/text-id.js';
import { fileStorage } from '../../src/node/file-store.js';

describe('fileStorage', () => {
  it('stores a dataset in files that a new process (a new storage) reads back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'inpage-data-'));
    const ds = openDataset('reviews', { storage: fileStorage(dir) });
    await addExamples([{ text: 'good', labels: ['pos'] }, { text: 'bad', labels: ['neg'] }, { text: 'todo' }], ds);
    await renameConcept('pos', 'positive', ds);
    await Promise.all(Array.from({ length: 20 }, (_, i) => addExamples([{ text: `t${i}`, labels: ['x'] }], ds)));
    const again = openDataset('reviews', { storage: fileStorage(dir) });
    expect(await countExamples({}, again)).toBe(23);
    expect((await getExample(textId('good'), again))?.labels).toEqual(['positive']);
    expect(await again.meta.get('schemaVersion')).toBe(2);
  });

  it('ignores a torn last line (a write that never completed)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'inpage-data-'));
    const ds = openDataset('d', { storage: fileStorage(dir) });
    await addExamples([{ text: 'kept' }], ds);
    appendFileSync(join(dir, 'd', 'examples.jsonl'), '[["half",{"id":"ha');
    const again = openDataset('d', { storage: fileStorage(dir) });
    expect((await listExamples({}, again)).map((e) => e.text)).toEqual(['kept']);
  });

  it('imports in-process and caches Float32Array vectors', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'inpage-data-'));
    const ds = openDataset('d', { storage: fileStorage(dir) });
    const r = await importInto('text,labels\na,x\nb,y\n', {}, ds);
    expect(r.accepted).toBe(2);
    const enc = {
      info: { modelId: 'm', dtype: 'fp32', dim: 2 },
      embed: async (t: string[]) => ({
        data: Float32Array.from(t.flatMap(() => [0.6, 0.8])),
        count: t.length,
        dim: 2,
        windows: new Int32Array(t.length),
        truncated: new Uint8Array(t.length),
      }),
    };
    await embedCached(enc, ['a'], openEmbeddingCache({ storage: fileStorage(dir) }));
    const hit = await embedCached(enc, ['a'], openEmbeddingCache({ storage: fileStorage(dir) }));
    expect(hit.hits).toBe(1);
    expect(Array.from(hit.data)).toEqual([Math.fround(0.6), Math.fround(0.8)]);
    expect(readFileSync(join(dir, 'embeddings', 'vectors.jsonl'), 'utf8')).toContain('$f32');
  });
});
