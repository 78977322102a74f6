/**
 * Weight precisions and the ONNX file each one loads, by the transformers.js file-suffix convention.
 */
import type { Dtype } from '../types.js';

export type ResolvedDtype = Exclude<Dtype, 'auto'>;

/** dtype → file under `onnx/`. */
export const DTYPE_FILES: Readonly<Record<ResolvedDtype, string>> = Object.freeze({
  fp32: 'onnx/model.onnx',
  fp16: 'onnx/model_fp16.onnx',
  q8: 'onnx/model_quantized.onnx',
});

/**
 * Candidate precisions for a device, best first: int8 on WASM (faster, parity-checked when the model is built); on
 * WebGPU fp16 where the adapter has `shader-f16` and the model ships `model_fp16.onnx`, else fp32. An explicit dtype
 * is the only candidate, so a missing file is an error rather than a silent substitute.
 * @example dtypeCandidates('auto', 'webgpu', true) // ['fp16', 'fp32']
 */
export function dtypeCandidates(dtype: Dtype | undefined, device: 'wasm' | 'webgpu', hasF16 = false): ResolvedDtype[] {
  if (dtype && dtype !== 'auto') return [dtype];
  if (device === 'wasm') return ['q8'];
  return hasF16 ? ['fp16', 'fp32'] : ['fp32'];
}
