/**
 * Benchmark page: three sides with one interface, each running in its own worker. The Node driver (bench/run.mjs)
 * calls `window.bench` through Playwright.
 */
import { wrap } from 'comlink';
import { createClassifier, trainHead } from '../../src/index.js';
import type { RawApi } from '../workers/raw.worker.js';
import type { TjsApi } from '../workers/tjs.worker.js';

export interface Side {
  version: string;
  embed(texts: string[]): Promise<Float32Array>;
  classify?(texts: string[]): Promise<unknown>;
  dispose(): Promise<void>;
}

async function ours(model: string, dtype: 'q8' | 'fp32', threads: number): Promise<Side> {
  const clf = await createClassifier({ model, dtype, device: 'wasm', threads, cache: false });
  return {
    version: `inpage-classifier (${clf.info.dtype}, ${clf.info.threads} thr)`,
    embed: async (t) => (await clf.embed(t)).data,
    classify: clf.info.concepts.length ? (t) => clf.classify(t).promise : undefined,
    dispose: () => clf.dispose(),
  };
}

async function inWorker<T extends { load(m: string, d: string, t: number): Promise<string>; embed(t: string[]): Promise<Float32Array>; dispose(): Promise<void> }>(
  url: URL,
  model: string,
  dtype: 'q8' | 'fp32',
  threads: number,
): Promise<Side> {
  const worker = new Worker(url, { type: 'module' });
  const api = wrap<T>(worker);
  const version = await api.load(model, dtype, threads);
  return {
    version,
    embed: (t) => api.embed(t) as Promise<Float32Array>,
    dispose: async () => {
      await api.dispose();
      worker.terminate();
    },
  };
}

const sides = {
  ours,
  tjs: (m: string, d: 'q8' | 'fp32', t: number) =>
    inWorker<TjsApi>(new URL('../workers/tjs.worker.ts', import.meta.url), m, d, t),
  raw: (m: string, d: 'q8' | 'fp32', t: number) =>
    inWorker<RawApi>(new URL('../workers/raw.worker.ts', import.meta.url), m, d, t),
};

let current: Side | null = null;
/** One roofline worker per thread count. */
const matmulWorkers = new Map<number, Worker>();

const bench = {
  async open(side: keyof typeof sides, model: string, dtype: 'q8' | 'fp32', threads: number): Promise<string> {
    await current?.dispose();
    current = await sides[side](model, dtype, threads);
    return current.version;
  },
  /** texts/s over `texts` cut into calls of `batch`, after one warm-up call. */
  async throughput(texts: string[], batch: number, op: 'embed' | 'classify'): Promise<number> {
    const side = current!;
    const run = op === 'embed' ? side.embed : side.classify!;
    await run(texts.slice(0, batch));
    const t0 = performance.now();
    for (let i = 0; i < texts.length; i += batch) await run(texts.slice(i, i + batch));
    return (texts.length / (performance.now() - t0)) * 1000;
  },
  async latency(text: string, reps: number): Promise<{ p50: number; p95: number }> {
    const side = current!;
    for (let i = 0; i < 3; i++) await side.embed([text]);
    const ms: number[] = [];
    for (let i = 0; i < reps; i++) {
      const t0 = performance.now();
      await side.embed([text]);
      ms.push(performance.now() - t0);
    }
    ms.sort((a, b) => a - b);
    return { p50: ms[Math.floor(reps * 0.5)], p95: ms[Math.min(reps - 1, Math.floor(reps * 0.95))] };
  },
  async embeddings(texts: string[]): Promise<number[]> {
    return Array.from(await current!.embed(texts));
  },
  async matmul(url: string, m: number, reps: number, threads: number): Promise<number> {
    // ORT fixes its thread count when its wasm first initialises: each thread count needs a fresh worker.
    let w = matmulWorkers.get(threads);
    if (!w) {
      w = new Worker(new URL('../workers/raw.worker.ts', import.meta.url), { type: 'module' });
      matmulWorkers.set(threads, w);
    }
    return wrap<RawApi>(w).matmul(url, m, reps, threads);
  },
  /** Memory of the whole page (workers and wasm included), where the browser allows measuring it. */
  async memory(): Promise<number | null> {
    const p = performance as Performance & { measureUserAgentSpecificMemory?: () => Promise<{ bytes: number }> };
    if (!p.measureUserAgentSpecificMemory) return null;
    // The browser may defer the measurement to its next GC; give up after 30 s rather than hang the run.
    const timeout = new Promise<null>((resolve) => setTimeout(() => resolve(null), 30_000));
    const r = await Promise.race([p.measureUserAgentSpecificMemory(), timeout]);
    return r ? r.bytes : null;
  },
  async close(): Promise<void> {
    await current?.dispose();
    current = null;
  },
  trainHead,
};

(window as unknown as { bench: typeof bench; ready: boolean }).bench = bench;
(window as unknown as { ready: boolean }).ready = true;
