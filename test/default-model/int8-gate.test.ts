// int8 gate for the embedded default model: onnx/model_quantized.onnx must stay within 0.5 points of
// onnx/model.onnx (accuracy of the shipped 3-class head on a committed labelled golden set), and both models
// must reproduce golden.json (computed by onnxruntime-web at build time). Also checks the tiny test fixture.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-web';
import { Tokenizer } from '@huggingface/tokenizers';

ort.env.wasm.numThreads = 1;
ort.env.logLevel = 'error';

const ROOT = join(import.meta.dirname, '..', '..');
const PUBLIC = join(ROOT, 'public', 'models', 'inpage-sentiment-mini');
const TINY = join(ROOT, 'test', 'fixtures', 'models', 'tiny-sentiment');
const GATE = join(ROOT, 'test', 'fixtures', 'int8-gate.jsonl');

interface Head { concepts: string[]; weights: number[][]; bias: number[]; dims: number; modelRevision: string }
interface Golden { texts: string[]; embeddings: { fp32: number[][]; q8: number[][] } }

const readJson = <T>(p: string): T => JSON.parse(readFileSync(p, 'utf8')) as T;

function tokenizer(dir: string): Tokenizer {
  return new Tokenizer(readJson(join(dir, 'tokenizer.json')), readJson(join(dir, 'tokenizer_config.json')));
}

async function session(dir: string, file: string): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(new Uint8Array(readFileSync(join(dir, 'onnx', file))), { executionProviders: ['wasm'] });
}

/** Mean-pooled (masked), L2-normalised last_hidden_state, texts batched by length. */
async function embed(s: ort.InferenceSession, tok: Tokenizer, texts: string[], batchSize = 32): Promise<Float32Array[]> {
  const ids: number[][] = texts.map((t) => {
    const x: number[] = tok.encode(t).ids;
    return x.length <= 128 ? x : [...x.slice(0, 127), x[x.length - 1]];
  });
  const order = ids.map((_, i) => i).sort((a, b) => ids[a].length - ids[b].length || a - b);
  const out: Float32Array[] = new Array(texts.length);
  for (let k = 0; k < order.length; k += batchSize) {
    const idx = order.slice(k, k + batchSize);
    const T = Math.max(...idx.map((i) => ids[i].length));
    const B = idx.length;
    const inp = new BigInt64Array(B * T);
    const mask = new BigInt64Array(B * T);
    idx.forEach((i, b) => ids[i].forEach((v, t) => { inp[b * T + t] = BigInt(v); mask[b * T + t] = 1n; }));
    const r = await s.run({ input_ids: new ort.Tensor('int64', inp, [B, T]), attention_mask: new ort.Tensor('int64', mask, [B, T]) });
    const h = r.last_hidden_state.data as Float32Array;
    const H = r.last_hidden_state.dims[2];
    idx.forEach((i, b) => {
      const v = new Float32Array(H);
      const n = ids[i].length;
      for (let t = 0; t < n; t++) for (let d = 0; d < H; d++) v[d] += h[(b * T + t) * H + d];
      let nn = 0;
      for (let d = 0; d < H; d++) { v[d] /= n; nn += v[d] * v[d]; }
      nn = Math.max(Math.sqrt(nn), 1e-12);
      for (let d = 0; d < H; d++) v[d] /= nn;
      out[i] = v;
    });
  }
  return out;
}

const predict = (head: Head, x: Float32Array): number => {
  const l = head.weights.map((w, c) => w.reduce((s, wi, d) => s + wi * x[d], head.bias[c]));
  return l.indexOf(Math.max(...l));
};

function maxDiff(a: Float32Array[], b: number[][]): number {
  let m = 0;
  a.forEach((v, i) => v.forEach((x, d) => { m = Math.max(m, Math.abs(x - b[i][d])); }));
  return m;
}

for (const [name, dir] of [['inpage-sentiment-mini (public)', PUBLIC], ['tiny-sentiment (fixture)', TINY]] as const) {
  describe(`default model ${name}: golden.json`, () => {
    it('fp32 and int8 reproduce golden.json within 1e-4', async () => {
      const g = readJson<Golden>(join(dir, 'golden.json'));
      const tok = tokenizer(dir);
      const e32 = await embed(await session(dir, 'model.onnx'), tok, g.texts, 8);
      const e8 = await embed(await session(dir, 'model_quantized.onnx'), tok, g.texts, 8);
      expect(g.texts.length).toBe(8);
      expect(maxDiff(e32, g.embeddings.fp32)).toBeLessThan(1e-4);
      expect(maxDiff(e8, g.embeddings.q8)).toBeLessThan(1e-4);
    });

    it('head.json matches the model (dims, revision, concepts)', () => {
      const head = readJson<Head>(join(dir, 'head.json'));
      const cfg = readJson<{ hidden_size: number; inpage: { revision: string } }>(join(dir, 'config.json'));
      expect(head.concepts).toEqual(['negative', 'neutral', 'positive']);
      expect(head.dims).toBe(cfg.hidden_size);
      expect(head.weights.length).toBe(3);
      expect(head.weights[0].length).toBe(head.dims);
      expect(head.modelRevision).toBe(cfg.inpage.revision);
    });
  });
}

describe('int8 gate (inpage-sentiment-mini)', () => {
  it('int8 accuracy and macro-F1 stay within 0.5 points of fp32 on the golden set, above the quality floor', async () => {
    const rows = readFileSync(GATE, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as { text: string; label: string });
    const head = readJson<Head>(join(PUBLIC, 'head.json'));
    const tok = tokenizer(PUBLIC);
    const y = rows.map((r) => head.concepts.indexOf(r.label));
    const texts = rows.map((r) => r.text);
    const p32 = (await embed(await session(PUBLIC, 'model.onnx'), tok, texts)).map((x) => predict(head, x));
    const p8 = (await embed(await session(PUBLIC, 'model_quantized.onnx'), tok, texts)).map((x) => predict(head, x));
    const acc = (p: number[]) => (100 * p.filter((v, i) => v === y[i]).length) / y.length;
    const f1 = (p: number[]) => {
      let s = 0;
      for (let c = 0; c < 3; c++) {
        let tp = 0, fp = 0, fn = 0;
        p.forEach((v, i) => { if (v === c && y[i] === c) tp++; else if (v === c) fp++; else if (y[i] === c) fn++; });
        s += tp ? (2 * tp) / (2 * tp + fp + fn) : 0;
      }
      return (100 * s) / 3;
    };
    const agree = p32.filter((v, i) => v === p8[i]).length / p32.length;
    expect(rows.length).toBeGreaterThanOrEqual(200);
    expect(Math.abs(acc(p8) - acc(p32))).toBeLessThanOrEqual(0.5);
    expect(Math.abs(f1(p8) - f1(p32))).toBeLessThanOrEqual(0.5);
    expect(agree).toBeGreaterThanOrEqual(0.98);
    // and the shipped model is still the one PROVENANCE.md describes: its head scored 61.5 macro-F1 on these rows
    // at build time (0.621 on the whole SST-5 dev set); a broken tokenizer, graph or head falls far below this floor
    expect(f1(p32)).toBeGreaterThanOrEqual(58);
  });
});
