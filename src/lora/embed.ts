/** Pooled vectors of cached bottom states through the top layers (with or without adapters), on the CPU kernels. */
import { meanPool } from './pool.js';
import type { LayerStack } from './stack.js';
import type { LoraMatrices } from './types.js';

/** Bottom hidden states of one text's real tokens (padding dropped), as `bottom.onnx` gave them: [tokens × hidden]. */
export interface LoraExample {
  hidden: Float32Array;
  tokens: number;
}

/**
 * [examples × hidden] pooled (and, by default, L2-normalised) vectors: what `embed` would return for these texts from
 * the adapted encoder. Feed them to `applyHead(adapterFile.head, …)`.
 * @example const pooled = pooledVectors(stack, examples, adapters);
 */
export function pooledVectors(stack: LayerStack, examples: readonly LoraExample[], adapters: LoraMatrices[] | null, normalize = true): Float32Array {
  const H = stack.layers[0].hidden;
  const out = new Float32Array(examples.length * H);
  const lora = adapters ?? stack.layers.map(() => null);
  examples.forEach((ex, i) => {
    const y = stack.forward(ex.hidden, ex.tokens, null, lora);
    meanPool(y, ex.tokens, H, null, normalize, out.subarray(i * H, (i + 1) * H));
  });
  return out;
}
