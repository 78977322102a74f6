/** Public types of the classifier API. Plain data only: everything here can cross a worker boundary. */

/** Where inference runs. `auto` picks the best verified backend ([A2]: WebGPU when a real GPU passes the golden check). */
export type Device = 'auto' | 'wasm' | 'webgpu';

/** Weight precision, by transformers.js file-suffix convention: fp32 `model.onnx`, q8 `model_quantized.onnx`. */
export type Dtype = 'auto' | 'fp32' | 'fp16' | 'q8';

/** Multi-class heads use softmax; multi-label heads use an independent sigmoid per concept. */
export type ProblemType = 'single_label_classification' | 'multi_label_classification';

/** One concept with its score in [0, 1]. */
export interface ConceptScore {
  concept: string;
  score: number;
}

/** Classification of one text. */
export interface ClassifyResult {
  /** Concepts sorted by score, highest first; filtered by `topK` / `threshold` when given. */
  concepts: ConceptScore[];
  /** Token count of the text (with special tokens), before any windowing. */
  tokens: number;
  /** Windows the text was split into (1 unless it was longer than the model's maximum length). */
  windows: number;
  /** True when the text was cut at the model's maximum length (`longText: 'truncate'`). */
  truncated: boolean;
}

/** Pooled, L2-normalised sentence vectors of a batch. */
export interface EmbedResult {
  /** Row-major [count × dim]. Row i is the vector of texts[i]. */
  data: Float32Array;
  count: number;
  dim: number;
  /** Per text: windows used (1 = not split). */
  windows: Int32Array;
  /** Per text: 1 when truncated, else 0. */
  truncated: Uint8Array;
}

/** Progress of a long call. `phase` says what is happening; bytes are set while files download. */
export interface Progress {
  phase: 'download' | 'load' | 'infer';
  /** File being fetched, during `download`. */
  file?: string;
  loaded: number;
  total: number;
}

export type ProgressCallback = (p: Progress) => void;

/** How texts longer than the model's maximum length are handled. */
export type LongTextMode = 'window' | 'truncate';

export interface InferOptions {
  /** Called with `{ phase: 'infer', loaded: textsDone, total }`, throttled. */
  onProgress?: ProgressCallback;
  /** Default `'window'`: overlapping windows whose results are averaged. */
  longText?: LongTextMode;
  /** Upper bound of tokens (padded) in one micro-batch; default 8192. */
  maxBatchTokens?: number;
}

export interface ClassifyOptions extends InferOptions {
  /** Keep only the `topK` highest concepts. Default: all. */
  topK?: number;
  /** Keep only concepts whose score ≥ threshold. Default: none. */
  threshold?: number;
}

/** A linear (or small MLP) head over the encoder's pooled vector, as saved by training ([C1]). */
export interface HeadFile {
  format: 'inpage-classifier/head@1';
  type: 'linear' | 'mlp';
  problemType: ProblemType;
  /** The encoder this head was trained on (`config.json` `_name_or_path`). */
  modelId: string;
  modelRevision?: string;
  /**
   * Where the encoder lives, so a head can be used without naming its model: a folder relative to the package root
   * (e.g. `public/models/inpage-sentiment-mini`), else an absolute path or URL. Informational in browsers.
   */
  model?: string;
  dims: number;
  pooling?: 'mean' | 'cls';
  /** Whether the pooled vector is L2-normalised before the head (default true). */
  normalize?: boolean;
  concepts: string[];
  /** [concepts × dims] for `linear`; the last layer for `mlp`. */
  weights: number[][];
  bias: number[];
  /** Hidden layer of an `mlp` head: [hidden × dims] weights and bias, ReLU. */
  hidden?: { weights: number[][]; bias: number[] };
  calibration?: { temperature: number } | null;
  thresholds?: Record<string, number> | null;
  metrics?: Record<string, unknown>;
  createdAt?: string;
  trainingData?: Record<string, unknown>;
}

/** What a loaded classifier is, and why it runs where it runs. */
export interface ClassifierInfo {
  modelId: string;
  /** Where the model came from (URL or path). */
  source: string;
  device: 'wasm' | 'webgpu';
  /** Human-readable reason for the device choice. */
  deviceReason: string;
  dtype: Exclude<Dtype, 'auto'>;
  threads: number;
  concepts: string[];
  problemType: ProblemType;
  /** Where the concepts come from: the ONNX graph's logits + `id2label`, or a head file. */
  conceptSource: 'id2label' | 'head';
  dim: number;
  maxLength: number;
  pooling: 'mean' | 'cls';
  /** Milliseconds from `createClassifier` to ready. */
  loadMs: number;
  /** 'worker' in browsers, 'inline' in Node. */
  runtime: 'worker' | 'inline';
  /** On WebGPU: the lowest cosine between the first embeddings and the model's golden fp32 vectors. */
  goldenCosine?: number;
  /** With a LoRA adapter file as the head: its rank and the number of adapted top layers. */
  adapter?: { rank: number; layers: number };
}
