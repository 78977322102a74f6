/** Import (JSONL, CSV, streamed Blobs) with its report, rollback on failure, and export of examples. */
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { openDataset } from '../../src/data/dataset.js';
import { addExamples, countExamples, getExample, listExamples } from '../../src/data/examples.js';
import { exportExamples } from '../../src/data/export.js';
import { importInto } from '../../src/data/import.js';
import { textId } from '../../src/data/text-id.js';

let n = 0;
const fresh = () => openDataset(`imp${n++}-${Date.now()}`);

describe('importInto', () => {
  it('reports accepted and rejected JSONL rows with reasons', async () => {
    const ds = fresh();
    await addExamples([{ text: 'already here', labels: ['pos'] }], ds);
    const jsonl = [
      '{"text":"good","labels":["pos"]}',
      '{"text":"  "}',
      '{"label":"pos"}',
      '{"text":"x","labels":[3]}',
      '{"text":"GOOD "}',
      'not json',
      '',
      '{"text":"bad","labels":"neg"}',
      '{"text":"already here","labels":["pos"]}',
      '{"text":"already here","labels":["neg"]}',
    ].join('\n');
    const r = await importInto(jsonl, { chunkRows: 3 }, ds);
    expect(r).toMatchObject({ rows: 9, accepted: 2, added: 2, updated: 0, rejected: 7 });
    expect(r.reasons).toEqual({ 'empty text': 1, 'missing column': 1, 'bad label': 1, duplicate: 3, unreadable: 1 });
    expect(r.rejections.map((x) => x.index).sort()).toEqual([1, 2, 3, 4, 5, 7, 8]);
    expect(r.newConcepts).toEqual(['neg']);
    expect((await getExample(textId('bad'), ds))?.labels).toEqual(['neg']);
  });

  it('updates labels of stored texts and counts them as updated', async () => {
    const ds = fresh();
    await addExamples([{ text: 'meh' }], ds);
    const r = await importInto('{"text":"meh","labels":["neutral"]}\n', {}, ds);
    expect(r).toMatchObject({ accepted: 1, updated: 1, added: 0 });
  });

  it('reads CSV with quoting, a labels column, and a missing text column', async () => {
    const ds = fresh();
    const csv = 'text,labels\n"Hello, ""world""",pos|happy\n"multi\nline",\n,neg\n';
    const r = await importInto(csv, {}, ds);
    expect(r).toMatchObject({ rows: 3, accepted: 2, rejected: 1, reasons: { 'empty text': 1 } });
    expect((await getExample(textId('Hello, "world"'), ds))?.labels).toEqual(['pos', 'happy']);
    expect((await getExample(textId('multi line'), ds))?.labels).toEqual([]);
    const bad = await importInto('body,labels\nx,pos\ny,neg\n', { format: 'csv' }, fresh());
    expect(bad).toMatchObject({ rows: 2, accepted: 0, reasons: { 'missing column': 2 } });
  });

  it('rejects unknown labels in known-concepts mode', async () => {
    const ds = fresh();
    await addExamples([{ text: 'a', labels: ['pos'] }], ds);
    const r = await importInto('{"text":"b","labels":["pos"]}\n{"text":"c","labels":["zzz"]}', { newConcepts: 'known' }, ds);
    expect(r).toMatchObject({ accepted: 1, reasons: { 'bad label': 1 } });
    expect(r.rejections[0].detail).toMatch(/unknown concept/);
  });

  it('streams a Blob of 20k rows in chunks with progress', async () => {
    const ds = fresh();
    const lines = Array.from({ length: 20_000 }, (_, i) => JSON.stringify({ text: `review number ${i}`, labels: i % 2 ? ['a'] : [] }));
    const seen: number[] = [];
    const r = await importInto(new Blob([lines.join('\n')]), {}, ds, { onProgress: (p) => seen.push(p.rows) });
    expect(r.accepted).toBe(20_000);
    expect(seen.length).toBeGreaterThanOrEqual(10);
    expect(await countExamples({ labelled: true }, ds)).toBe(10_000);
  });

  it('rolls back everything it wrote when cancelled midway', async () => {
    const ds = fresh();
    await addExamples([{ text: 'review number 1' }], ds);
    const lines = Array.from({ length: 5000 }, (_, i) => JSON.stringify({ text: `review number ${i}`, labels: ['x'] }));
    let chunks = 0;
    await expect(importInto(lines.join('\n'), { chunkRows: 1000 }, ds, { isCancelled: () => ++chunks > 3 })).rejects.toMatchObject({
      name: 'AbortError',
    });
    expect(await countExamples({}, ds)).toBe(1);
    expect((await getExample(textId('review number 1'), ds))?.labels).toEqual([]);
  });
});

describe('exportExamples', () => {
  it('round-trips through JSONL and CSV', async () => {
    const ds = fresh();
    await addExamples([{ text: 'Hello, "x"', labels: ['a', 'b'] }, { text: 'plain' }], ds);
    const jsonl = await exportExamples({}, ds);
    expect(jsonl.trim().split('\n').map((l) => JSON.parse(l).text).sort()).toEqual(['Hello, "x"', 'plain']);
    const csv = await exportExamples({ format: 'csv' }, ds);
    const copy = fresh();
    const r = await importInto(csv, {}, copy);
    expect(r.accepted).toBe(2);
    expect((await listExamples({ labelled: true }, copy)).map((e) => e.labels)).toEqual([['a', 'b']]);
  });
});

describe('quota errors', () => {
  it('map a browser QuotaExceededError (and ENOSPC) to a typed QuotaExceededError', async () => {
    const { toDataError, QuotaExceededError, DataError } = await import('../../src/data/errors.js');
    const dom = Object.assign(new Error('quota'), { name: 'QuotaExceededError' });
    const e = toDataError(dom);
    expect(e).toBeInstanceOf(QuotaExceededError);
    expect(e).toBeInstanceOf(DataError);
    expect((e as InstanceType<typeof DataError>).code).toBe('QUOTA_EXCEEDED');
    expect(toDataError(Object.assign(new Error('disk'), { code: 'ENOSPC' }))).toBeInstanceOf(QuotaExceededError);
    expect((toDataError(new Error('x')) as InstanceType<typeof DataError>).code).toBe('STORAGE');
  });
});
