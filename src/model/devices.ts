/**
 * Choosing where inference runs. `auto` takes WebGPU only on a real (non-fallback) adapter whose earlier golden check,
 * if any, did not fail; software adapters such as SwiftShader are correct but far slower than WASM, so they are skipped.
 * `webgpu` forces WebGPU on any adapter (tests use SwiftShader). Everything else runs on WASM.
 */
import { ClassifierError, ErrorCode } from '../errors.js';
import type { Device } from '../types.js';

export interface GpuProbe {
  adapter: GPUAdapter;
  /** Stable description of the adapter, used to key cached golden-check verdicts. */
  key: string;
  isFallback: boolean;
  hasF16: boolean;
}

export interface DeviceChoice {
  device: 'wasm' | 'webgpu';
  reason: string;
  gpu?: GpuProbe;
}

/**
 * Asks for a WebGPU adapter; null where WebGPU is absent or refuses (Node, old browsers, no GPU, blocklisted driver).
 * @example const gpu = await probeGpu(); gpu?.isFallback // true on SwiftShader
 */
export async function probeGpu(): Promise<GpuProbe | null> {
  const gpu = typeof navigator !== 'undefined' ? navigator.gpu : undefined;
  if (!gpu) return null;
  let adapter: GPUAdapter | null = null;
  try {
    adapter = await gpu.requestAdapter();
  } catch {
    return null;
  }
  if (!adapter) return null;
  const info = adapter.info;
  // `isFallbackAdapter` moved from the adapter to its info; read both.
  const isFallback = Boolean(
    (info as GPUAdapterInfo & { isFallbackAdapter?: boolean }).isFallbackAdapter ??
      (adapter as GPUAdapter & { isFallbackAdapter?: boolean }).isFallbackAdapter,
  );
  const key = [info.vendor, info.architecture, info.device, info.description].join('|');
  return { adapter, key, isFallback, hasF16: adapter.features.has('shader-f16') };
}

/**
 * @param verdict a cached golden-check result for this adapter and model, when known
 * @example chooseDevice('auto', await probeGpu(), undefined) // { device: 'wasm', reason: 'auto: fallback adapter …' }
 */
export function chooseDevice(requested: Device, gpu: GpuProbe | null, verdict: boolean | undefined): DeviceChoice {
  if (requested === 'wasm') return { device: 'wasm', reason: 'requested' };
  if (requested === 'webgpu') {
    if (!gpu) throw new ClassifierError(ErrorCode.ModelLoad, 'device "webgpu" requested, but no WebGPU adapter is available');
    return { device: 'webgpu', reason: gpu.isFallback ? 'requested (fallback adapter)' : 'requested', gpu };
  }
  if (!gpu) return { device: 'wasm', reason: 'auto: no WebGPU adapter' };
  if (gpu.isFallback) return { device: 'wasm', reason: 'auto: the WebGPU adapter is a software fallback, slower than WASM' };
  if (verdict === false) return { device: 'wasm', reason: 'auto: this model failed its golden check on this GPU before' };
  return { device: 'webgpu', reason: verdict ? 'auto: GPU adapter, golden check passed earlier' : 'auto: GPU adapter', gpu };
}
