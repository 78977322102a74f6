/**
 * The baseline: transformers.js `feature-extraction` (mean pooling, normalize), set up fairly and offline: local model
 * files from our server, local ORT wasm files (never its CDN default), no browser cache, same threads as ours.
 */
import { env, pipeline, type FeatureExtractionPipeline } from '@huggingface/transformers';
import { expose, transfer } from 'comlink';

declare const self: { name?: string; location: Location };

let pipe: FeatureExtractionPipeline | null = null;

const api = {
  async load(modelPath: string, dtype: 'q8' | 'fp32', threads: number): Promise<string> {
    const origin = self.location.origin;
    env.allowLocalModels = true;
    env.allowRemoteModels = false;
    env.useBrowserCache = false;
    // transformers.js takes local models as `${localModelPath}${org}/${name}`: split the folder path that way.
    const parts = modelPath.split('/').filter(Boolean);
    const id = parts.slice(-2).join('/');
    env.localModelPath = `/${parts.slice(0, -2).join("/")}/`; // a path: with an origin, the tokenizer silently fails to load
    const onnx = env.backends.onnx as { wasm: { wasmPaths: unknown; numThreads: number } };
    onnx.wasm.wasmPaths = {
      mjs: `${origin}/node_modules/onnxruntime-web/dist/ort-wasm-simd-threaded.asyncify.mjs`,
      wasm: `${origin}/node_modules/onnxruntime-web/dist/ort-wasm-simd-threaded.asyncify.wasm`,
    };
    onnx.wasm.numThreads = threads;
    pipe = await pipeline('feature-extraction', id, { dtype, device: 'wasm' });
    return env.version;
  },
  async embed(texts: string[]): Promise<Float32Array> {
    const t = await pipe!(texts, { pooling: 'mean', normalize: true });
    const data = new Float32Array(t.data as Float32Array);
    t.dispose();
    return transfer(data, [data.buffer]);
  },
  async dispose(): Promise<void> {
    await pipe?.dispose();
    pipe = null;
  },
};
export type TjsApi = typeof api;

if (!self.name?.startsWith('em-pthread')) expose(api);
