/**
 * Inference worker: wiring only. Exposes an EngineHost over comlink, transfers result buffers, holds the liveness lock.
 */
import { expose, releaseProxy, transfer, type Remote } from 'comlink';
import { installErrorTransfer } from '../src/comlink-errors.js';
import { EngineHost } from '../src/infer/host.js';
import { probeGpu } from '../src/model/devices.js';
import { remoteSource } from '../src/model/resolve-source.js';
import { fetchFile } from '../src/model/source.js';
import type { WorkerApi } from '../src/protocol.js';

/** The parts of DedicatedWorkerGlobalScope used here (the DOM and WebWorker libs cannot both be loaded). */
declare const self: { name?: string; crossOriginIsolated: boolean; navigator: Navigator };

function release(cb: unknown): void {
  (cb as Remote<unknown> | undefined)?.[releaseProxy]?.();
}

// ORT's pthread workers load this same bundle again (named em-pthread*): they must not expose anything.
if (!self.name?.startsWith('em-pthread')) {
  installErrorTransfer();
  const host = new EngineHost({
    // The WASM-only build is half the download; the default build adds the WebGPU (JSEP) backend.
    loadOrt: (device) => (device === 'webgpu' ? import('onnxruntime-web') : import('onnxruntime-web/wasm')),
    probeGpu,
    sourceFor: (request) => remoteSource(request),
    readFile: (ref) => fetchFile(ref),
    runtime: 'worker',
    defaultThreads: () => (self.crossOriginIsolated ? Math.min(4, navigator.hardwareConcurrency || 1) : 1),
  });

  const api: WorkerApi = {
    async load(request, onProgress) {
      try {
        return await host.load(request, onProgress);
      } finally {
        release(onProgress);
      }
    },
    async run(jobId, kind, texts, options, onProgress) {
      try {
        const r = await host.run(jobId, kind, texts, options, onProgress);
        return transfer(r, [r.data.buffer, r.tokens.buffer, r.windows.buffer, r.truncated.buffer]);
      } finally {
        release(onProgress);
      }
    },
    cancel: (jobId) => host.cancel(jobId),
    dispose: () => host.dispose(),
    holdLock(name) {
      const locks = self.navigator.locks;
      if (!locks) return Promise.resolve(false);
      return new Promise<boolean>((granted) => {
        // Never resolves: released only when this worker dies.
        void locks.request(name, () => {
          granted(true);
          return new Promise<never>(() => undefined);
        });
      });
    },
  };
  expose(api);
}
