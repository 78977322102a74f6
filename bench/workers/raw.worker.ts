/**
 * A raw onnxruntime-web session fed by the same tokenizer, with naive batching (pad each call to its longest text):
 * what a hand-written integration does, and the floor our layers' overhead is measured against. Also runs the
 * single-MatMul roofline graphs.
 */
import { Tokenizer } from '@huggingface/tokenizers';
import { expose, transfer } from 'comlink';
import * as ort from 'onnxruntime-web/wasm';

declare const self: { name?: string };

let tok: Tokenizer | null = null;
let session: ort.InferenceSession | null = null;
let maxLen = 128;

const getJson = async (url: string) => (await fetch(url)).json();
const getBytes = async (url: string) => new Uint8Array(await (await fetch(url)).arrayBuffer());

const api = {
  async load(base: string, dtype: 'q8' | 'fp32', threads: number): Promise<string> {
    ort.env.wasm.numThreads = threads;
    ort.env.logLevel = 'error';
    const [tj, tc, cfg] = await Promise.all([
      getJson(`${base}tokenizer.json`),
      getJson(`${base}tokenizer_config.json`),
      getJson(`${base}config.json`),
    ]);
    tok = new Tokenizer(tj, tc);
    maxLen = Math.min(Number(tc.model_max_length) || 512, Number(cfg.max_position_embeddings) || 512);
    const file = dtype === 'q8' ? 'onnx/model_quantized.onnx' : 'onnx/model.onnx';
    session = await ort.InferenceSession.create(await getBytes(base + file), { executionProviders: ['wasm'] });
    return `onnxruntime-web ${ort.env.versions.web ?? '?'}`;
  },
  async embed(texts: string[]): Promise<Float32Array> {
    const ids: number[][] = texts.map((t) => tok!.encode(t).ids.slice(0, maxLen));
    const L = Math.max(...ids.map((x) => x.length));
    const n = texts.length;
    const inputIds = new BigInt64Array(n * L);
    const mask = new BigInt64Array(n * L);
    ids.forEach((row, r) => row.forEach((id, t) => ((inputIds[r * L + t] = BigInt(id)), (mask[r * L + t] = 1n))));
    const feeds: Record<string, ort.Tensor> = {
      input_ids: new ort.Tensor('int64', inputIds, [n, L]),
      attention_mask: new ort.Tensor('int64', mask, [n, L]),
    };
    const out = (await session!.run(feeds)).last_hidden_state;
    const h = out.data as Float32Array;
    const d = out.dims[2];
    const res = new Float32Array(n * d);
    for (let r = 0; r < n; r++) {
      let c = 0;
      for (let t = 0; t < L; t++) {
        if (!mask[r * L + t]) continue;
        c++;
        for (let k = 0; k < d; k++) res[r * d + k] += h[(r * L + t) * d + k];
      }
      let s = 0;
      for (let k = 0; k < d; k++) s += (res[r * d + k] /= c) ** 2;
      const inv = 1 / Math.sqrt(s);
      for (let k = 0; k < d; k++) res[r * d + k] *= inv;
    }
    out.dispose();
    Object.values(feeds).forEach((t) => t.dispose());
    return transfer(res, [res.buffer]);
  },
  /** Median ms of `reps` runs of a single-MatMul graph with A = [m × 384]. */
  async matmul(url: string, m: number, reps: number, threads: number): Promise<number> {
    ort.env.wasm.numThreads = threads;
    const s = await ort.InferenceSession.create(await getBytes(url), { executionProviders: ['wasm'] });
    const a = new ort.Tensor('float32', Float32Array.from({ length: m * 384 }, (_, i) => Math.sin(i)), [m, 384]);
    const times: number[] = [];
    for (let i = 0; i < reps + 2; i++) {
      const t0 = performance.now();
      const r = await s.run({ A: a });
      const ms = performance.now() - t0;
      Object.values(r).forEach((t) => t.dispose());
      if (i >= 2) times.push(ms);
    }
    await s.release();
    times.sort((x, y) => x - y);
    return times[times.length >> 1];
  },
  async dispose(): Promise<void> {
    await session?.release();
    session = null;
  },
};
export type RawApi = typeof api;

if (!self.name?.startsWith('em-pthread')) expose(api);
