/**
 * The inference engine: texts → token windows → length-bucketed micro-batches → ORT → pooled vectors or scores.
 * Runs wherever ORT runs (a web worker in browsers, in-process in Node); it owns no threads and no messaging.
 */
import { CancelledError, GpuLostError, ModelLoadError } from '../errors.js';
import { parseModelConfig, parsePooling } from '../model/config.js';
import type { ResolvedDtype } from '../model/dtypes.js';
import type { ModelFiles } from '../model/load-model.js';
import { padBatch, planBatches, type Sequence } from '../text/batching.js';
import { createTokenizer, type TextTokenizer } from '../text/tokenizer.js';
import { planWindows } from '../text/windows.js';
import type { HeadFile, LongTextMode, ProblemType } from '../types.js';
import { logitsToScores } from './activations.js';
import { compileHead, validateHead, type CompiledHead } from './head.js';
import { normalizeRows, pool } from './pooling.js';
import { OnnxSession, type EncoderSession, type Ort } from './session.js';
import { AdaptedEncoder } from './adapted-encoder.js';
import { isAdapterFile, readAdapterFile } from '../lora/adapter-file.js';
import { checkTexts } from '../validate.js';
import { yieldNow } from './yield.js';

export type RunKind = 'embed' | 'classify';

export interface EngineInfo {
  modelId: string;
  /** Where the session runs now; changes to 'wasm' if the GPU device is lost. */
  device: 'wasm' | 'webgpu';
  deviceReason: string;
  dim: number;
  maxLength: number;
  pooling: 'mean' | 'cls';
  concepts: string[];
  problemType: ProblemType;
  conceptSource: 'id2label' | 'head';
  dtype: ResolvedDtype;
  /** With a LoRA adapter file as the head: its rank and adapted top layers. */
  adapter?: { rank: number; layers: number };
}

export interface RunOptions {
  longText?: LongTextMode;
  maxBatchTokens?: number;
}

export interface RunControl {
  isCancelled?: () => boolean;
  /** Sequences (texts, plus extra windows of long texts) done so far. */
  onProgress?: (done: number, total: number) => void;
}

/** Result of a run: one row per text. `width` is the vector dim (embed) or the number of concepts (classify). */
export interface RawResult {
  kind: RunKind;
  data: Float32Array;
  count: number;
  width: number;
  tokens: Int32Array;
  windows: Int32Array;
  truncated: Uint8Array;
  /** The device that finished the run, and why (a lost GPU switches to WASM mid-run). */
  device: 'wasm' | 'webgpu';
  deviceReason: string;
}

export interface EngineCreateOptions {
  dtype: ResolvedDtype;
  device: 'wasm' | 'webgpu';
  deviceReason: string;
  /** Resolves with a message when the WebGPU device is lost. */
  gpuLost?: Promise<string>;
  /**
   * An explicit head (parsed JSON); overrides the model's own `head.json` and its logits. A LoRA adapter file
   * ([G]) is a head too: it needs `files.top` (the split graphs) and runs on WASM.
   */
  head?: unknown;
}

const DEFAULT_MAX_BATCH_TOKENS = 8192;


const providersFor = (device: 'wasm' | 'webgpu'): string[] => (device === 'webgpu' ? ['webgpu'] : ['wasm']);

export class InferenceEngine {
  /** Model bytes, kept only while on WebGPU so a lost device can continue on WASM. */
  private fallbackBytes: Uint8Array | null;
  private lostReason: string | null = null;
  /** Rejects when the GPU device is lost: raced against each WebGPU run, which may otherwise never settle. */
  private readonly lost: Promise<never> | null;

  private constructor(
    readonly info: EngineInfo,
    private readonly ort: Ort,
    private readonly tokenizer: TextTokenizer,
    private session: EncoderSession,
    private readonly head: CompiledHead | null,
    private readonly hiddenOutput: string | null,
    private readonly logitsOutput: string | null,
    private readonly files: ModelFiles,
    gpuLost: Promise<string> | undefined,
  ) {
    this.fallbackBytes = info.device === 'webgpu' ? files.onnx : null;
    this.lost =
      gpuLost?.then((why) => {
        this.lostReason = why;
        throw new GpuLostError(why);
      }) ?? null;
    this.lost?.catch(() => undefined);
  }

  /** Moves inference to WASM (a new session from the same bytes), when the GPU fails its golden check. */
  async switchToWasm(reason: string): Promise<void> {
    if (this.info.device === 'wasm' || !this.fallbackBytes) return;
    const old = this.session;
    this.session = await OnnxSession.create(this.ort, this.fallbackBytes, this.files.onnxFile, {
      executionProviders: providersFor('wasm'),
    });
    this.fallbackBytes = null;
    this.info.device = 'wasm';
    this.info.deviceReason = reason;
    void old.dispose().catch(() => undefined);
  }

  /**
   * One micro-batch. On WebGPU the run is raced against device loss: a run on a lost device may never settle, and
   * ORT's WebGPU build cannot start another run while one is suspended, so recovery needs a fresh worker (GpuLostError).
   */
  private async runBatch(
    inputs: Record<string, BigInt64Array>,
    dims: [number, number],
    output: string,
  ): Promise<{ data: Float32Array; dims: readonly number[] }> {
    if (this.info.device !== 'webgpu') return this.session.runInt64(inputs, dims, output);
    try {
      const run = this.session.runInt64(inputs, dims, output);
      return await (this.lost ? Promise.race([run, this.lost]) : run);
    } catch (err) {
      if (this.lostReason !== null) throw new GpuLostError(this.lostReason);
      throw err;
    }
  }

  /**
   * Builds the tokenizer, the session and the head from loaded files.
   * @example const engine = await InferenceEngine.create(ort, files, { dtype: 'q8', executionProviders: ['wasm'] });
   */
  static async create(ort: Ort, files: ModelFiles, options: EngineCreateOptions): Promise<InferenceEngine> {
    const cfg = parseModelConfig(files.config, files.tokenizerConfig, 'local-model');
    const tokenizer = createTokenizer(files.tokenizer, files.tokenizerConfig);
    const vocab = Number(files.config.vocab_size);
    if (Number.isInteger(vocab) && tokenizer.vocabSize > vocab) {
      throw new ModelLoadError(
        `has ${tokenizer.vocabSize} tokens but the model's vocab_size is ${vocab}: tokenizer and model do not match`,
        'tokenizer.json',
      );
    }
    const adapterRaw = isAdapterFile(options.head) ? options.head : null;
    if (adapterRaw && !files.top) throw new ModelLoadError('a LoRA adapter needs the split graphs (bottom.onnx + top.onnx)', 'onnx/top.onnx');
    if (adapterRaw && options.device !== 'wasm') throw new ModelLoadError('LoRA adapters run on WASM');
    const session: EncoderSession = adapterRaw
      ? await AdaptedEncoder.create(ort, files.onnx, files.top!, cfg.dim)
      : await OnnxSession.create(ort, files.onnx, files.onnxFile, { executionProviders: providersFor(options.device) });
    try {
      const outputs = session.outputNames;
      const hiddenOutput =
        outputs.find((n) => n === 'last_hidden_state') ?? outputs.find((n) => n !== 'logits') ?? null;
      const logitsOutput = outputs.includes('logits') ? 'logits' : null;
      let adapterInfo: EngineInfo['adapter'];
      let rawHead = options.head ?? (logitsOutput && cfg.labels.length ? null : files.head);
      if (session instanceof AdaptedEncoder) {
        const { file, adapters } = readAdapterFile(adapterRaw, { modelId: cfg.modelId, hidden: cfg.dim, k: session.k });
        session.setAdapters(adapters);
        rawHead = file.head;
        adapterInfo = { rank: file.r, layers: file.k };
      }
      let head: CompiledHead | null = null;
      let concepts = cfg.labels;
      let problemType = cfg.problemType;
      let conceptSource: EngineInfo['conceptSource'] = 'id2label';
      let pooling = parsePooling(files.pooling);
      if (rawHead) {
        if (!hiddenOutput) throw new ModelLoadError('has no hidden-state output to put a head on', files.onnxFile);
        head = compileHead(validateHead(rawHead, { modelId: cfg.modelId, dim: cfg.dim }) as HeadFile);
        concepts = head.concepts;
        problemType = head.problemType;
        conceptSource = 'head';
        pooling = head.pooling;
      } else if (!logitsOutput) {
        concepts = [];
      }
      const info: EngineInfo = {
        modelId: cfg.modelId,
        device: options.device,
        deviceReason: options.deviceReason,
        dim: cfg.dim,
        maxLength: cfg.maxLength,
        pooling,
        concepts,
        problemType,
        conceptSource,
        dtype: options.dtype,
      };
      if (adapterInfo) info.adapter = adapterInfo;
      return new InferenceEngine(
        info,
        ort,
        tokenizer,
        session,
        head,
        hiddenOutput,
        logitsOutput,
        files,
        options.gpuLost,
      );
    } catch (err) {
      await session.dispose();
      throw err;
    }
  }

  /**
   * Embeds or classifies `texts`. Long texts are windowed (or truncated) and their windows averaged.
   * Throws CancelledError between micro-batches once `control.isCancelled()` is true.
   */
  async run(texts: unknown, kind: RunKind, options: RunOptions = {}, control: RunControl = {}): Promise<RawResult> {
    checkTexts(texts);
    const { isCancelled, onProgress } = control;
    if (kind === 'classify' && this.info.concepts.length === 0) {
      throw new ModelLoadError('this model has no concepts (no logits output, no head): use embed() or pass a head');
    }
    if (kind === 'embed' && !this.hiddenOutput) {
      throw new ModelLoadError('this model has no hidden-state output to embed with');
    }
    const { prefix, suffix } = this.tokenizer;
    const maxContent = this.info.maxLength - prefix.length - suffix.length;
    const mode = options.longText ?? 'window';
    const n = texts.length;
    const tokens = new Int32Array(n);
    const windows = new Int32Array(n);
    const truncated = new Uint8Array(n);
    const seqs: Sequence[] = [];
    for (let i = 0; i < n; i++) {
      if (i % 256 === 255) {
        await yieldNow();
        if (isCancelled?.()) throw new CancelledError();
      }
      const ids = this.tokenizer.encode(texts[i]);
      tokens[i] = ids.length + prefix.length + suffix.length;
      const plan = planWindows(ids, maxContent, mode);
      windows[i] = plan.windows.length;
      truncated[i] = plan.truncated ? 1 : 0;
      for (const w of plan.windows) seqs.push({ ids: [...prefix, ...w.ids, ...suffix], text: i });
    }

    const useLogits = kind === 'classify' && !this.head;
    const width = kind === 'embed' ? this.info.dim : this.info.concepts.length;
    const perSeq = new Float32Array(seqs.length * width);
    const batches = planBatches(seqs, options.maxBatchTokens ?? DEFAULT_MAX_BATCH_TOKENS);
    let done = 0;
    for (const batch of batches) {
      if (isCancelled?.()) throw new CancelledError();
      const t = padBatch(seqs, batch, this.tokenizer.padId);
      const inputs = { input_ids: t.inputIds, attention_mask: t.attentionMask, token_type_ids: t.tokenTypeIds };
      const out = await this.runBatch(inputs, [t.rows, t.length], (useLogits ? this.logitsOutput : this.hiddenOutput)!);
      let rows: Float32Array;
      if (useLogits) {
        rows = logitsToScores(out.data, width, this.info.problemType);
      } else {
        const dim = out.dims[out.dims.length - 1];
        if (dim !== this.info.dim) {
          throw new ModelLoadError(`the graph outputs ${dim}-d states but config.json says hidden_size ${this.info.dim}`);
        }
        rows = pool(out.data, t.mask, t.rows, t.length, dim, this.info.pooling);
        if (kind === 'embed' || this.head?.normalize) normalizeRows(rows, dim);
        if (kind === 'classify') rows = this.head!.apply(rows, dim);
      }
      batch.rows.forEach((s, r) => perSeq.set(rows.subarray(r * width, (r + 1) * width), s * width));
      done += batch.rows.length;
      onProgress?.(done, seqs.length);
      if (done < seqs.length) await yieldNow();
    }

    // Average the windows of each text (sequences of one text are contiguous in `seqs`).
    // Accumulate in float64: a 1 MB text has thousands of windows, and float32 sums drift.
    const sum = new Float64Array(n * width);
    for (let s = 0; s < seqs.length; s++) {
      const i = seqs[s].text;
      for (let d = 0; d < width; d++) sum[i * width + d] += perSeq[s * width + d];
    }
    const data = new Float32Array(n * width);
    for (let i = 0; i < n; i++) for (let d = 0; d < width; d++) data[i * width + d] = sum[i * width + d] / windows[i];
    if (kind === 'embed') normalizeRows(data, width);
    const { device, deviceReason } = this.info;
    return { kind, data, count: n, width, tokens, windows, truncated, device, deviceReason };
  }

  async dispose(): Promise<void> {
    await this.session.dispose();
  }
}
