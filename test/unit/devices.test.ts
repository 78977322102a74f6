import { describe, expect, it } from 'vitest';
import { chooseDevice, type GpuProbe } from '../../src/model/devices.js';
import { dtypeCandidates } from '../../src/model/dtypes.js';
import { minCosine, parseGolden } from '../../src/model/golden.js';
import { hubBaseUrl, isHubId } from '../../src/model/hub.js';

const gpu = (over: Partial<GpuProbe> = {}): GpuProbe => ({
  adapter: {} as GPUAdapter,
  key: 'vendor|arch|dev|desc',
  isFallback: false,
  hasF16: false,
  ...over,
});

describe('chooseDevice', () => {
  it('auto takes a real GPU, unless its golden check failed before', () => {
    expect(chooseDevice('auto', gpu(), undefined).device).toBe('webgpu');
    expect(chooseDevice('auto', gpu(), true)).toMatchObject({ device: 'webgpu', reason: /passed earlier/ });
    expect(chooseDevice('auto', gpu(), false)).toMatchObject({ device: 'wasm', reason: /failed its golden check/ });
  });

  it('auto skips software fallback adapters and missing WebGPU', () => {
    expect(chooseDevice('auto', gpu({ isFallback: true }), undefined)).toMatchObject({ device: 'wasm', reason: /fallback/ });
    expect(chooseDevice('auto', null, undefined)).toMatchObject({ device: 'wasm', reason: /no WebGPU/ });
  });

  it('forced devices are honoured, and forced WebGPU without an adapter is an error', () => {
    expect(chooseDevice('webgpu', gpu({ isFallback: true }), false).device).toBe('webgpu');
    expect(chooseDevice('wasm', gpu(), true).device).toBe('wasm');
    expect(() => chooseDevice('webgpu', null, undefined)).toThrow(/no WebGPU adapter/);
  });
});

describe('dtypes', () => {
  it('q8 on WASM, fp16 then fp32 on WebGPU with shader-f16, an explicit dtype alone', () => {
    expect(dtypeCandidates('auto', 'wasm')).toEqual(['q8']);
    expect(dtypeCandidates(undefined, 'webgpu', false)).toEqual(['fp32']);
    expect(dtypeCandidates('auto', 'webgpu', true)).toEqual(['fp16', 'fp32']);
    expect(dtypeCandidates('fp16', 'wasm')).toEqual(['fp16']);
  });
});

describe('golden check', () => {
  const golden = parseGolden({ texts: ['a', 'b'], embeddings: { fp32: [[1, 0], [0, 1]] } })!;
  it('is the lowest row cosine', () => {
    expect(minCosine(Float32Array.from([1, 0, 0, 1]), 2, golden)).toBeCloseTo(1, 6);
    expect(minCosine(Float32Array.from([1, 0, 1, 1]), 2, golden)).toBeCloseTo(Math.SQRT1_2, 6);
  });
  it('rejects malformed golden files', () => {
    expect(parseGolden({ texts: ['a'], embeddings: {} })).toBeNull();
    expect(parseGolden({ texts: ['a'], embeddings: { fp32: [] } })).toBeNull();
  });
});

describe('hub ids', () => {
  it('tells hub ids from folders', () => {
    expect(isHubId('Xenova/all-MiniLM-L6-v2')).toBe(true);
    expect(isHubId('models/inpage-sentiment-mini/')).toBe(false);
    expect(isHubId('./models/x')).toBe(false);
    expect(isHubId('/models/x')).toBe(false);
    expect(isHubId('https://example.com/m')).toBe(false);
  });
  it('builds resolve URLs against a configurable hub', () => {
    expect(hubBaseUrl('org/m')).toBe('https://huggingface.co/org/m/resolve/main/');
    expect(hubBaseUrl('org/m', { hubUrl: 'http://127.0.0.1:9/', revision: 'v1.0' })).toBe(
      'http://127.0.0.1:9/org/m/resolve/v1.0/',
    );
  });
});
