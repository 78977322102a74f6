/**
 * One ONNX Runtime session: creation with typed errors, runs serialised (ORT-web sessions do not take concurrent runs),
 * inputs fed by the names the graph actually has, every tensor disposed after use.
 */
import type * as OrtModule from 'onnxruntime-web';
import { ClassifierError, ErrorCode, ModelLoadError } from '../errors.js';

export type Ort = typeof OrtModule;
type Tensor = OrtModule.Tensor;

export interface SessionOptions {
  executionProviders: string[];
}

/** What the engine needs of an encoder: one ORT session, or the bottom → top pair of an adapted model. */
export interface EncoderSession {
  readonly outputNames: readonly string[];
  runInt64(
    inputs: Record<string, BigInt64Array>,
    dims: [number, number],
    output: string,
  ): Promise<{ data: Float32Array; dims: readonly number[] }>;
  dispose(): Promise<void>;
}

export class OnnxSession implements EncoderSession {
  private queue: Promise<unknown> = Promise.resolve();
  private disposed = false;

  private constructor(
    private readonly ort: Ort,
    private readonly session: OrtModule.InferenceSession,
  ) {}

  /** Creates a session from model bytes; a graph ORT cannot load becomes a ModelLoadError naming `file`. */
  static async create(ort: Ort, bytes: Uint8Array, file: string, options: SessionOptions): Promise<OnnxSession> {
    try {
      const session = await ort.InferenceSession.create(bytes, {
        executionProviders: options.executionProviders,
        graphOptimizationLevel: 'all',
      });
      return new OnnxSession(ort, session);
    } catch (err) {
      throw new ModelLoadError(`ONNX Runtime cannot load it (${(err as Error).message})`, file, { cause: err });
    }
  }

  get inputNames(): readonly string[] {
    return this.session.inputNames;
  }

  get outputNames(): readonly string[] {
    return this.session.outputNames;
  }

  /**
   * Runs with int64 inputs of shape [rows × length] (only those the graph declares) and returns the requested output's
   * data copied out of ORT memory, plus its dims. All tensors are disposed before returning.
   */
  async runInt64(
    inputs: Record<string, BigInt64Array>,
    dims: [number, number],
    output: string,
  ): Promise<{ data: Float32Array; dims: readonly number[] }> {
    const run = async () => {
      if (this.disposed) throw new ClassifierError(ErrorCode.Disposed, 'session disposed');
      const feeds: Record<string, Tensor> = {};
      for (const name of this.session.inputNames) {
        const data = inputs[name];
        if (!data) {
          throw new ClassifierError(ErrorCode.Inference, `model input "${name}" is not one this library can feed`);
        }
        feeds[name] = new this.ort.Tensor('int64', data, dims);
      }
      let results: Record<string, Tensor> | undefined;
      try {
        results = await this.session.run(feeds, [output]);
        const t = results[output];
        return { data: new Float32Array(t.data as Float32Array), dims: t.dims };
      } finally {
        for (const t of Object.values(feeds)) t.dispose();
        for (const t of Object.values(results ?? {})) t.dispose();
      }
    };
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.queue;
    await this.session.release();
  }
}
