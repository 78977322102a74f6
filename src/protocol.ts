/**
 * The message protocol between the main-thread facade and whoever runs the engine (a worker, or the same thread in
 * Node). Plain data and functions only; comlink carries it, but nothing here depends on comlink.
 */
import type { EngineInfo, RawResult, RunKind, RunOptions } from './infer/engine.js';
import type { Device, Dtype, HeadFile, ProgressCallback } from './types.js';
import type { AdapterFile } from './lora/adapter-file.js';

export type { RawResult, RunKind, RunOptions };

export interface LoadRequest {
  /** Absolute model location (URL in browsers, URL or folder path in Node), or a hub id `org/name`. */
  model: string;
  /** Hub base URL for hub ids; default https://huggingface.co. */
  hubUrl?: string;
  /** Hub revision; default `main`. */
  revision?: string;
  /** Cache model files in Cache Storage (browsers); default true. */
  cache?: boolean;
  /** Never touch the network: load from the cache only. */
  offline?: boolean;
  /** A head object, or where to read one (URL or path). */
  head?: HeadFile | AdapterFile | string;
  device: Device;
  dtype: Dtype;
  /** Set by the facade when it restarts a worker on WASM after a GPU loss: becomes `info.deviceReason`. */
  fallbackReason?: string;
  /** WASM threads; default: 1 in Node and on non-isolated pages, else min(4, cores). */
  threads?: number;
}

export interface LoadedInfo extends EngineInfo {
  source: string;
  threads: number;
  /** Lowest cosine of the WebGPU golden check against the shipped fp32 vectors, when one ran. */
  goldenCosine?: number;
  runtime: 'worker' | 'inline';
}

/** What the facade needs from an engine host. */
export interface Backend {
  load(request: LoadRequest, onProgress?: ProgressCallback): Promise<LoadedInfo>;
  run(
    jobId: number,
    kind: RunKind,
    texts: string[],
    options: RunOptions,
    onProgress?: (done: number, total: number) => void,
  ): Promise<RawResult>;
  /** Marks a job cancelled; the engine stops at its next micro-batch boundary. */
  cancel(jobId: number): void;
  dispose(): Promise<void>;
}

/** The worker's API: a Backend, plus a lock it holds for life so the page can tell when it dies. */
export interface WorkerApi extends Backend {
  holdLock(name: string): Promise<boolean>;
}
