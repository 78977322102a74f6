/**
 * The dataset over IndexedDB (fake-indexeddb in Node): examples, dedupe, atomic concurrent labelling, concepts
 * (rename, merge, delete with stale heads), head versions, schema migration from v1.
 */
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { addExamples, countExamples, getExample, listExamples, removeExamples, setLabels } from '../../src/data/examples.js';
import { deleteConcept, listConcepts, mergeConcepts, renameConcept, setConcept } from '../../src/data/concepts.js';
import { openDataset } from '../../src/data/dataset.js';
import { DataError } from '../../src/data/errors.js';
import { deleteHead, exportHead, headOf, importHead, listHeads, loadHead, saveHead } from '../../src/data/heads.js';
import { idbTable } from '../../src/data/idb-store.js';
import { textId } from '../../src/data/text-id.js';
import { InvalidInputError } from '../../src/errors.js';
import type { HeadFile } from '../../src/types.js';

let n = 0;
const fresh = () => openDataset(`t${n++}-${Date.now()}`);

export const toyHead = (concepts: string[], dims = 4): HeadFile => ({
  format: 'inpage-classifier/head@1',
  type: 'linear',
  problemType: 'single_label_classification',
  modelId: 'toy',
  dims,
  concepts,
  weights: concepts.map((_, k) => Array.from({ length: dims }, (_, d) => (d === k ? 1 : 0))),
  bias: concepts.map(() => 0),
  metrics: { macroF1: 0.5 },
});

describe('examples', () => {
  it('adds, dedupes by normalised text, keeps labels on an unlabelled re-add, lists and counts', async () => {
    const ds = fresh();
    const [a] = await addExamples([{ text: 'Great phone', labels: ['positive'], source: 'paste' }], ds);
    expect(a.id).toBe(textId('great   PHONE '));
    expect(a.createdAt).toBeGreaterThan(0);
    await addExamples([{ text: '  great PHONE' }, { text: 'Arrived broken' }], ds);
    expect(await countExamples({}, ds)).toBe(2);
    expect((await getExample(a.id, ds))?.labels).toEqual(['positive']);
    expect((await listExamples({ labelled: false }, ds)).map((e) => e.text)).toEqual(['Arrived broken']);
    const b = await setLabels(textId('Arrived broken'), ['negative'], ds);
    expect(b.labels).toEqual(['negative']);
    expect(b.updatedAt).toBeGreaterThanOrEqual(b.createdAt);
    expect((await listConcepts(ds)).map((c) => c.name)).toEqual(['negative', 'positive']);
    expect(await countExamples({ concept: 'negative' }, ds)).toBe(1);
    await removeExamples([a.id], ds);
    expect(await countExamples({}, ds)).toBe(1);
  });

  it('refuses bad input with typed errors', async () => {
    const ds = fresh();
    await expect(addExamples([{ text: '   ' }], ds)).rejects.toThrow(InvalidInputError);
    await expect(addExamples([{ text: 'x', labels: ['a|b'] }], ds)).rejects.toThrow(/contains "\|"/);
    await expect(setLabels('nope', ['x'], ds)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('loses nothing when many writers label at once (one transaction per call)', async () => {
    const ds = fresh();
    const other = openDataset(ds.name); // a second handle, as a second tab would have
    const texts = Array.from({ length: 60 }, (_, i) => `review ${i}`);
    await Promise.all(
      texts.map((t, i) => addExamples([{ text: t, labels: [i % 2 ? 'odd' : 'even'] }], i % 3 ? ds : other)),
    );
    await Promise.all(texts.map((t, i) => addExamples([{ text: t.toUpperCase() }], i % 2 ? ds : other)));
    expect(await countExamples({}, ds)).toBe(60);
    expect(await countExamples({ labelled: true }, other)).toBe(60);
  });
});

describe('concepts and heads', () => {
  it('renames, merges and deletes concepts, migrating examples and marking heads stale', async () => {
    const ds = fresh();
    await addExamples(
      [
        { text: 'a', labels: ['neg'] },
        { text: 'b', labels: ['bad'] },
        { text: 'c', labels: ['pos'] },
        { text: 'd', labels: ['spam', 'pos'] },
      ],
      ds,
    );
    await setConcept({ name: 'pos', description: 'happy customer' }, ds);
    const h = await saveHead(toyHead(['neg', 'pos']), { name: 'v1' }, ds);
    const h2 = await saveHead(toyHead(['pos', 'spam']), {}, ds);

    expect(await renameConcept('neg', 'negative', ds)).toEqual({ examples: 1, staleHeads: 1 });
    expect((await getExample(textId('a'), ds))?.labels).toEqual(['negative']);
    await expect(renameConcept('pos', 'negative', ds)).rejects.toThrow(/mergeConcepts/);
    await expect(renameConcept('zzz', 'y', ds)).rejects.toBeInstanceOf(DataError);

    expect(await mergeConcepts(['bad'], 'negative', ds)).toEqual({ examples: 1, staleHeads: 0 });
    expect(await countExamples({ concept: 'negative' }, ds)).toBe(2);
    expect(await deleteConcept('spam', ds)).toEqual({ examples: 1, staleHeads: 1 });
    expect((await getExample(textId('d'), ds))?.labels).toEqual(['pos']);
    const concepts = await listConcepts(ds);
    expect(concepts.map((c) => c.name)).toEqual(['negative', 'pos']);
    expect(concepts[1].description).toBe('happy customer');

    const heads = await listHeads(ds);
    expect(heads.map((x) => x.id)).toEqual([h2.id, h.id]);
    expect(heads.every((x) => x.stale)).toBe(true);
    expect(heads[1].staleReason).toMatch(/renamed/);
    expect(heads[1].metrics).toEqual({ macroF1: 0.5 });
  });

  it('keeps head versions: load, export, import, delete; refuses a non-head', async () => {
    const ds = fresh();
    const rec = await saveHead(toyHead(['x', 'y']), { name: 'first' }, ds);
    expect(headOf(await loadHead(rec.id, ds)).concepts).toEqual(['x', 'y']);
    const json = await exportHead(rec.id, ds);
    const copy = await importHead(json, { name: 'copy' }, ds);
    expect(copy.id).not.toBe(rec.id);
    expect(await loadHead(copy.id, ds)).toEqual(await loadHead(rec.id, ds));
    await expect(importHead('{"format":"nope"}', {}, ds)).rejects.toMatchObject({ code: 'INVALID_DATA' });
    await deleteHead(rec.id, ds);
    expect((await listHeads(ds)).map((x) => x.name)).toEqual(['copy']);
    await expect(loadHead(rec.id, ds)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('schema', () => {
  it('migrates a v1 store (single label, numeric created, bare heads) on open', async () => {
    const name = `v1-${Date.now()}`;
    const id = textId('old review');
    await idbTable(name, 'examples').setMany([
      [id, { id, text: 'old review', label: 'positive', created: 1000 }],
      [textId('todo'), { id: textId('todo'), text: 'todo', created: 2000 }],
    ]);
    await idbTable(name, 'concepts').setMany([['positive', { name: 'positive' }]]);
    await idbTable(name, 'heads').setMany([['old', { ...toyHead(['positive', 'x']), createdAt: '2026-01-01T00:00:00Z' }]]);
    await idbTable(name, 'meta').setMany([['schemaVersion', 1]]);

    const ds = openDataset(name);
    expect(await getExample(id, ds)).toEqual({ id, text: 'old review', labels: ['positive'], createdAt: 1000, updatedAt: 1000 });
    expect(await countExamples({ labelled: false }, ds)).toBe(1);
    expect((await listConcepts(ds))[0]).toMatchObject({ name: 'positive', createdAt: 0 });
    expect(await listHeads(ds)).toMatchObject([{ id: 'old', stale: false, createdAt: Date.parse('2026-01-01T00:00:00Z') }]);
    expect(await ds.meta.get('schemaVersion')).toBe(2);
    // Opening again is a no-op.
    await openDataset(name).ready;
    expect(await countExamples({}, openDataset(name))).toBe(2);
  });

  it('refuses a schema newer than this build', async () => {
    const name = `v9-${Date.now()}`;
    await idbTable(name, 'meta').setMany([['schemaVersion', 9]]);
    await expect(countExamples({}, openDataset(name))).rejects.toMatchObject({ code: 'SCHEMA_TOO_NEW' });
  });
});
