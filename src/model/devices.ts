/**
 * Choosing where inference runs. [A] ships WASM; [A2] adds WebGPU with a golden-check verdict behind `auto`.
 */
import { ClassifierError, ErrorCode } from '../errors.js';
import type { Device } from '../types.js';

export interface DeviceChoice {
  device: 'wasm' | 'webgpu';
  reason: string;
  executionProviders: string[];
}

/**
 * @example chooseDevice('auto') // { device: 'wasm', reason: 'auto: WebGPU support is not built in yet', … }
 */
export function chooseDevice(requested: Device): DeviceChoice {
  if (requested === 'webgpu') {
    throw new ClassifierError(ErrorCode.ModelLoad, 'device "webgpu" is not available in this build; use "wasm" or "auto"');
  }
  const reason = requested === 'wasm' ? 'requested' : 'auto: WebGPU support is not built in yet';
  return { device: 'wasm', reason, executionProviders: ['wasm'] };
}
