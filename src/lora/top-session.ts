/**
 * Inference with an adapter through ONNX Runtime: `top.onnx` takes the LoRA matrices as graph inputs (zeros = base
 * model), so a trained adapter needs no new graph, only feeds. ORT is injected (onnxruntime-web in the worker, its
 * Node build in Node), as the engine does.
 */
import type * as OrtModule from 'onnxruntime-web';
import { ModelLoadError } from '../errors.js';
import type { LoraMatrices } from './types.js';

type Ort = typeof OrtModule;

/** A loaded `top.onnx`. */
export interface TopRunner {
  /** Adapted top layers: the number of `lora_A_q_<i>` inputs the graph declares. */
  readonly k: number;
  /**
   * `last_hidden_state` [batch × T × H] for cached bottom states `hidden` [batch × T × H] and a 0/1 `mask`
   * [batch × T]; `adapters` per top layer, or null for the base model.
   */
  run(hidden: Float32Array, mask: ArrayLike<number> | BigInt64Array, batch: number, T: number, adapters: LoraMatrices[] | null): Promise<Float32Array>;
  release(): Promise<void>;
}

/**
 * @example
 * const top = await createTopRunner(ort, bytes, 256, 2);
 * const out = await top.run(hidden, mask, 4, 32, adapter.layers);
 */
export async function createTopRunner(ort: Ort, bytes: Uint8Array, hidden: number, k?: number, executionProviders = ['wasm']): Promise<TopRunner> {
  let session: OrtModule.InferenceSession;
  try {
    session = await ort.InferenceSession.create(bytes, { executionProviders, graphOptimizationLevel: 'all' });
  } catch (err) {
    throw new ModelLoadError(`ONNX Runtime cannot load it (${(err as Error).message})`, 'onnx/top.onnx', { cause: err });
  }
  const declared = session.inputNames.filter((n) => /^lora_A_q_\d+$/.test(n)).length;
  if (!session.inputNames.includes('hidden_states') || declared === 0 || (k !== undefined && k !== declared)) {
    await session.release();
    throw new ModelLoadError(`is not a top graph with ${k ?? 'some'} adapted layers (inputs: ${session.inputNames.join(', ')})`, 'onnx/top.onnx');
  }
  const H = hidden;
  const zero = { r: 1, aq: new Float32Array(H), bq: new Float32Array(H), av: new Float32Array(H), bv: new Float32Array(H) };
  let queue: Promise<unknown> = Promise.resolve();
  const run = async (h: Float32Array, mask: ArrayLike<number> | BigInt64Array, batch: number, T: number, adapters: LoraMatrices[] | null) => {
    const m64 = mask instanceof BigInt64Array ? mask : BigInt64Array.from(Array.from(mask, (m) => BigInt(m)));
    const feeds: Record<string, OrtModule.Tensor> = {
      hidden_states: new ort.Tensor('float32', h, [batch, T, H]),
      attention_mask: new ort.Tensor('int64', m64, [batch, T]),
    };
    for (let i = 0; i < declared; i++) {
      const a = adapters?.[i] ?? zero;
      const f32 = (v: ArrayLike<number>) => (v instanceof Float32Array ? v : Float32Array.from(v));
      feeds[`lora_A_q_${i}`] = new ort.Tensor('float32', f32(a.aq), [a.r, H]);
      feeds[`lora_B_q_${i}`] = new ort.Tensor('float32', f32(a.bq), [H, a.r]);
      feeds[`lora_A_v_${i}`] = new ort.Tensor('float32', f32(a.av), [a.r, H]);
      feeds[`lora_B_v_${i}`] = new ort.Tensor('float32', f32(a.bv), [H, a.r]);
    }
    let out: Record<string, OrtModule.Tensor> = {};
    try {
      out = await session.run(feeds);
      return (out.last_hidden_state.data as Float32Array).slice();
    } finally {
      for (const t of [...Object.values(feeds), ...Object.values(out)]) t.dispose();
    }
  };
  return {
    k: declared,
    // ORT-web sessions take one run at a time.
    run: (...args) => {
      const next = queue.then(() => run(...args));
      queue = next.catch(() => undefined);
      return next;
    },
    release: async () => {
      await queue;
      await session.release();
    },
  };
}
