/** Options of `createClassifier`, shared by the browser and Node entry points. */
import { InvalidInputError } from './errors.js';
import type { Device, Dtype, HeadFile, ProgressCallback } from './types.js';
import type { HostedModelOptions } from './hosted/backend.js';
import type { AdapterFile } from './lora/adapter-file.js';

export interface ClassifierOptions {
  /**
   * The model: a folder URL or path (`./x/`, `/x/`, `https://…/`, `models/x/` — end relative folders with `/`), or a
   * hub id `org/name` fetched from `hubUrl`. Default: the shipped model (`models/inpage-sentiment-mini/` next to the
   * page, or inside the package in Node).
   */
  model?: string;
  /**
   * A head to classify with: the object, or its URL/path. Default: the model's own `head.json` or logits. A LoRA
   * adapter file (`train --head lora`) is a head too: it runs the model's split graphs, fp32 on WASM.
   */
  head?: HeadFile | AdapterFile | string;
  /** Default `'auto'`. */
  device?: Device;
  /** Default `'auto'`: q8 on WASM, fp32 on WebGPU. */
  dtype?: Dtype;
  /** WASM threads. Default: min(4, cores) on cross-origin-isolated pages, else 1. */
  threads?: number;
  /** Download and load progress. */
  onProgress?: ProgressCallback;
  /** Aborts loading: the promise rejects with CancelledError and nothing is cached. */
  signal?: AbortSignal;
  /** Hub base URL for hub ids (`org/name`); default https://huggingface.co. */
  hubUrl?: string;
  /** Hub revision (branch, tag or commit); default `main`. */
  revision?: string;
  /** Keep model files in Cache Storage, verified by sha256 on every hit (browsers). Default true. */
  cache?: boolean;
  /** Load from the cache only; never touch the network. */
  offline?: boolean;
  /**
   * Classify with a trained Clarifai model version instead of a local model (`{ pat, appId, modelId, versionId }`,
   * optionally `userId`, `baseUrl`, `proxyUrl`). The other options then do not apply. See README "Deep training on Clarifai".
   */
  hosted?: HostedModelOptions;
}

const DEVICES: readonly Device[] = ['auto', 'wasm', 'webgpu'];
const DTYPES: readonly Dtype[] = ['auto', 'fp32', 'fp16', 'q8'];

export function checkOptions(o: ClassifierOptions): void {
  if (o.model !== undefined && (typeof o.model !== 'string' || !o.model)) {
    throw new InvalidInputError('model must be a non-empty string (folder URL or path)');
  }
  if (o.device !== undefined && !DEVICES.includes(o.device)) {
    throw new InvalidInputError(`device must be one of ${DEVICES.join(', ')}, got ${String(o.device)}`);
  }
  if (o.dtype !== undefined && !DTYPES.includes(o.dtype)) {
    throw new InvalidInputError(`dtype must be one of ${DTYPES.join(', ')}, got ${String(o.dtype)}`);
  }
  if (o.threads !== undefined && !(Number.isInteger(o.threads) && o.threads >= 1 && o.threads <= 64)) {
    throw new InvalidInputError(`threads must be an integer from 1 to 64, got ${String(o.threads)}`);
  }
  if (o.head !== undefined && typeof o.head !== 'string' && (typeof o.head !== 'object' || o.head === null)) {
    throw new InvalidInputError('head must be a head object or its URL/path');
  }
}
