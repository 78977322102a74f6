/**
 * The encoder of a model with a LoRA adapter ([G]): `onnx/bottom.onnx` (frozen layers → hidden states), then
 * `onnx/top.onnx` with the adapter's matrices as inputs. Same interface as one session, so the engine's batching,
 * pooling and head code do not change.
 */
import { ModelLoadError } from '../errors.js';
import { createTopRunner, type TopRunner } from '../lora/top-session.js';
import type { LoraMatrices } from '../lora/types.js';
import { OnnxSession, type EncoderSession, type Ort } from './session.js';

export class AdaptedEncoder implements EncoderSession {
  readonly outputNames = ['last_hidden_state'] as const;

  private constructor(
    private readonly bottom: OnnxSession,
    private readonly top: TopRunner,
    private readonly hidden: number,
    private adapters: LoraMatrices[] | null,
  ) {}

  /** Loads both graphs; `k` is read from top.onnx's inputs. Call `setAdapters` before the first run. */
  static async create(ort: Ort, bottomBytes: Uint8Array, topBytes: Uint8Array, hidden: number): Promise<AdaptedEncoder> {
    const bottom = await OnnxSession.create(ort, bottomBytes, 'onnx/bottom.onnx', { executionProviders: ['wasm'] });
    if (!bottom.outputNames.includes('hidden_states')) {
      await bottom.dispose();
      throw new ModelLoadError('has no hidden_states output: not the bottom of a split model', 'onnx/bottom.onnx');
    }
    try {
      return new AdaptedEncoder(bottom, await createTopRunner(ort, topBytes, hidden), hidden, null);
    } catch (err) {
      await bottom.dispose();
      throw err;
    }
  }

  /** Adapted top layers (top.onnx's). */
  get k(): number {
    return this.top.k;
  }

  /** The adapter's matrices per top layer; null runs the base model. */
  setAdapters(adapters: LoraMatrices[] | null): void {
    this.adapters = adapters;
  }

  async runInt64(
    inputs: Record<string, BigInt64Array>,
    dims: [number, number],
    output: string,
  ): Promise<{ data: Float32Array; dims: readonly number[] }> {
    if (output !== 'last_hidden_state') throw new ModelLoadError(`an adapted encoder has no "${output}" output`);
    const [rows, T] = dims;
    const states = await this.bottom.runInt64(inputs, dims, 'hidden_states');
    const data = await this.top.run(states.data, inputs.attention_mask, rows, T, this.adapters);
    return { data, dims: [rows, T, this.hidden] };
  }

  async dispose(): Promise<void> {
    await Promise.all([this.bottom.dispose(), this.top.release()]);
  }
}
