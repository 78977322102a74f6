import { describe, expect, it } from 'vitest';
import { parseCsv, parseJsonlLine, sniffFormat } from '../../src/data/rows.js';
import {
  CancelledError,
  deserializeError,
  InvalidInputError,
  ModelLoadError,
  serializeError,
  WorkerCrashedError,
} from '../../src/errors.js';
import { checkClassifyOptions, checkTexts } from '../../src/validate.js';

describe('checkTexts', () => {
  it('accepts strings, including empty ones', () => {
    expect(() => checkTexts(['', 'ok'])).not.toThrow();
  });

  it('throws a TypeError naming the position', () => {
    expect(() => checkTexts('one text')).toThrow(TypeError);
    expect(() => checkTexts(['ok', 42])).toThrow(/texts\[1\] must be a string, got number/);
    expect(() => checkTexts([null])).toThrow(/got null/);
    try {
      checkTexts(['a', 'b', {}]);
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidInputError);
      expect((e as InvalidInputError).index).toBe(2);
    }
  });

  it('checks classify options', () => {
    expect(() => checkClassifyOptions({ topK: 0 })).toThrow(/topK/);
    expect(() => checkClassifyOptions({ threshold: 2 })).toThrow(/threshold/);
    expect(() => checkClassifyOptions({ topK: 2, threshold: 0.5 })).not.toThrow();
  });
});

describe('errors across a boundary', () => {
  it('keep their class, code and file', () => {
    for (const e of [new ModelLoadError('bad', 'onnx/model.onnx'), new CancelledError(), new WorkerCrashedError()]) {
      const back = deserializeError(JSON.parse(JSON.stringify(serializeError(e))));
      expect(back).toBeInstanceOf(e.constructor);
      expect(back.message).toBe(e.message);
    }
    const back = deserializeError(serializeError(new InvalidInputError('texts[3] bad', 3))) as InvalidInputError;
    expect(back).toBeInstanceOf(TypeError);
    expect(back.index).toBe(3);
    expect((deserializeError(serializeError(new ModelLoadError('x', 'f.json'))) as ModelLoadError).file).toBe('f.json');
  });
});

describe('rows', () => {
  it('parses JSONL rows and reports bad lines', () => {
    expect(parseJsonlLine('{"text":"hi","labels":["positive"],"id":7}', 0)).toEqual({
      index: 0,
      text: 'hi',
      labels: ['positive'],
      id: '7',
    });
    expect(parseJsonlLine('{"txt":"hi"}', 1)).toEqual({ index: 1, error: 'missing "text"' });
    expect(parseJsonlLine('{oops', 2)).toMatchObject({ index: 2, error: expect.stringMatching(/invalid JSON/) });
  });

  it('parses CSV with quotes, embedded newlines and label lists', () => {
    const rows = parseCsv('text,labels\n"Good, really",positive\n"two\nlines",neg|bad\n');
    expect(rows).toEqual([
      { index: 0, text: 'Good, really', labels: ['positive'] },
      { index: 1, text: 'two\nlines', labels: ['neg', 'bad'] },
    ]);
  });

  it('refuses CSV without a text column', () => {
    expect(() => parseCsv('body,label\nx,y\n')).toThrow(/no "text" column/);
  });

  it('sniffs the format', () => {
    expect(sniffFormat('  {"text":1}')).toBe('jsonl');
    expect(sniffFormat('text,labels')).toBe('csv');
  });
});
