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
 * The default precision for a device: int8 on WASM (faster, parity-checked when the model is built), fp32 on WebGPU.
 * @example resolveDtype('auto', 'wasm') // 'q8'
 */
export function resolveDtype(dtype: Dtype | undefined, device: 'wasm' | 'webgpu'): ResolvedDtype {
  if (dtype && dtype !== 'auto') return dtype;
  return device === 'wasm' ? 'q8' : 'fp32';
}
