/**
 * The WebGPU LoRA backend (src/lora/webgpu/) against the CPU kernels, in Chromium. The adapter here is SwiftShader
 * (software): these tests check that the two backends agree, never speed, so every size is tiny.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launch, openHarness } from './chromium.js';

type GpuMod = typeof import('../../src/lora/webgpu/layer.js');
type StackMod = typeof import('../../src/lora/stack.js');
type WeightsMod = typeof import('../../src/lora/onnx-weights.js');
type TrainMod = typeof import('../../src/lora/train-lora.js');
/** What the page keeps between tests: the modules and the tiny top layers. */
type Win = Window & { m: { gpu: GpuMod; stack: StackMod; train: TrainMod; top: ReturnType<WeightsMod['readTopWeights']> } };

let browser: Browser;
let page: Page;

beforeAll(async () => {
  browser = await launch();
  page = await openHarness(browser, inject('baseUrl'));
  await page.evaluate(async () => {
    // A dynamic import written out here would be rewritten by Vitest's transform: build it from a string instead.
    const load = new Function('url', 'return import(url)') as <M>(url: string) => Promise<M>;
    const [gpu, stack, weights, train] = await Promise.all([
      load<GpuMod>('/src/lora/webgpu/layer.ts'),
      load<StackMod>('/src/lora/stack.ts'),
      load<WeightsMod>('/src/lora/onnx-weights.ts'),
      load<TrainMod>('/src/lora/train-lora.ts'),
    ]);
    const bytes = new Uint8Array(await (await fetch('/tools/lora/fixture/top-tiny.onnx')).arrayBuffer());
    (window as unknown as Win).m = { gpu, stack, train, top: weights.readTopWeights(bytes) };
  });
});
afterAll(async () => {
  await browser?.close();
});

/** Runs in the page: both stacks over the same random input and adapters; returns the largest differences. */
async function compare(T: number, masked: boolean) {
  return page.evaluate(
    async ({ T, masked }) => {
      const { gpu, stack, top } = (window as unknown as Win).m;
      let s = 12345 + T;
      const rand = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
      const fill = (n: number, scale: number) => Float32Array.from({ length: n }, () => rand() * scale);
      const H = top.hidden;
      const r = 4;
      const layers = top.layers;
      const lora = layers.map(() => ({ r, aq: fill(r * H, 0.3), bq: fill(H * r, 0.3), av: fill(r * H, 0.3), bv: fill(H * r, 0.3) }));
      const x = fill(T * H, 1);
      const mask = masked ? Float32Array.from({ length: T }, (_, j) => (j === T - 1 || j === 2 ? -1e4 : 0)) : null;
      const cpu = new stack.LayerStack(layers, r);
      const g = await gpu.GpuLayerStack.create(layers, r);
      try {
        const want = cpu.forward(x, T, mask, lora).slice(0, T * H);
        const got = await g.forward(x, T, mask, lora);
        let fwd = 0;
        for (let i = 0; i < T * H; i++) fwd = Math.max(fwd, Math.abs(want[i] - got[i]));

        const dOut = fill(T * H, 1);
        const zero = () => layers.map(() => ({ r, aq: new Float32Array(r * H), bq: new Float32Array(H * r), av: new Float32Array(r * H), bv: new Float32Array(H * r) }));
        const gc = zero();
        const gg = zero();
        const dxc = new Float32Array(T * H);
        const dxg = new Float32Array(T * H);
        cpu.backward(T, dOut, lora, gc, dxc);
        await g.backward(T, dOut, lora, gg, dxg);
        /** max |Δ| / max |reference| over one array. */
        const rel = (a: Float32Array, b: Float32Array) => {
          let d = 0;
          let m = 0;
          for (let i = 0; i < a.length; i++) {
            d = Math.max(d, Math.abs(a[i] - b[i]));
            m = Math.max(m, Math.abs(a[i]));
          }
          return { rel: d / m, max: m };
        };
        const grads = gc.flatMap((c, i) => (['aq', 'bq', 'av', 'bv'] as const).map((key) => ({ key: `${i}.${key}`, ...rel(c[key], gg[i][key]) })));
        return { fwd, grads, dx: rel(dxc, dxg), outMax: Math.max(...want.map(Math.abs)) };
      } finally {
        g.destroy();
      }
    },
    { T, masked },
  );
}

describe('WebGPU LoRA backend (SwiftShader here) against the CPU kernels', () => {
  it('forward of the tiny top layers with non-zero adapters agrees within 1e-4 (T = 7, unmasked)', async () => {
    const r = await compare(7, false);
    expect(r.outMax).toBeGreaterThan(0.5);
    expect(r.fwd).toBeLessThan(1e-4);
  });

  it('forward and backward agree with a key mask and T past one 16-wide tile (T = 19)', async () => {
    const r = await compare(19, true);
    expect(r.fwd).toBeLessThan(1e-4);
    for (const g of r.grads) {
      expect(g.max, g.key).toBeGreaterThan(0);
      expect(g.rel, g.key).toBeLessThan(1e-4);
    }
    expect(r.dx.rel).toBeLessThan(1e-4);
  });

  it('one backward: adapter gradients and d(input) agree within 1e-4 relative (T = 7)', async () => {
    const r = await compare(7, false);
    console.log('[lora-webgpu] gradient agreement', JSON.stringify(r.grads.map((g) => [g.key, g.rel.toExponential(2)])));
    for (const g of r.grads) {
      expect(g.max, g.key).toBeGreaterThan(0);
      expect(g.rel, g.key).toBeLessThan(1e-4);
    }
    expect(r.dx.rel).toBeLessThan(1e-4);
  });
});

/** Runs in the page: fitLora on the tiny top layers over a few random examples, on the CPU and on WebGPU. */
async function train(loseAfterEpoch: number | null) {
  return page.evaluate(
    async ({ loseAfterEpoch }) => {
      const { train, top } = (window as unknown as Win).m;
      let s = 777;
      const rand = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
      const H = top.hidden;
      const examples = Array.from({ length: 9 }, (_, i) => {
        const tokens = 3 + (i % 5);
        return { tokens, hidden: Float32Array.from({ length: tokens * H }, rand) };
      });
      const labels = examples.map((_, i) => [i % 3 === 0 ? 'b' : 'a']);
      const options = { modelId: 'tiny', seed: 3, rank: 4, layers: 2, epochs: 3, batchSize: 3, validationSplit: 0.3, patience: 5 };
      const cpu = await train.fitLora({ examples, labels }, top, options);
      let device: GPUDevice | undefined;
      if (loseAfterEpoch !== null) device = await (await navigator.gpu.requestAdapter())!.requestDevice();
      const checkpoints: number[] = [];
      const gpu = await train.fitLora({ examples, labels }, top, {
        ...options,
        backend: 'webgpu',
        webgpuDevice: device,
        onProgress: (p) => {
          if (p.epoch === loseAfterEpoch) device!.destroy();
        },
        onCheckpoint: (c) => checkpoints.push(c.epoch),
      });
      const flat = (r: typeof cpu) => r.adapter.layers.flatMap((l) => [l.A_q, l.B_q, l.A_v, l.B_v].flatMap((m) => m.flat()));
      const [a, b] = [flat(cpu), flat(gpu)];
      let adapterDiff = 0;
      for (let i = 0; i < a.length; i++) adapterDiff = Math.max(adapterDiff, Math.abs(a[i] - b[i]));
      const strip = (r: typeof cpu) => r.history.map((h) => ({ loss: h.loss, valLoss: h.valLoss, seconds: h.seconds, backend: h.backend }));
      return { cpu: strip(cpu), gpu: strip(gpu), backend: gpu.backend, deviceLost: gpu.deviceLost, adapterDiff, checkpoints };
    },
    { loseAfterEpoch },
  );
}

describe('fitLora with backend webgpu', () => {
  it('trains like the CPU backend: losses within 1e-3 over the epochs', async () => {
    const r = await train(null);
    console.log('[lora-webgpu] seconds per epoch (tiny: 6 training rows, T 3-7, H 64, 2 layers, r 4): cpu', r.cpu.map((h) => h.seconds.toFixed(3)).join(' '),
      '| webgpu (SwiftShader)', r.gpu.map((h) => h.seconds.toFixed(3)).join(' '));
    console.log('[lora-webgpu] losses cpu / webgpu', JSON.stringify(r.gpu.map((h, i) => [r.cpu[i].loss, h.loss, r.cpu[i].valLoss, h.valLoss])), 'max adapter |Δ|', r.adapterDiff);
    expect(r.backend).toBe('webgpu');
    expect(r.deviceLost).toBeUndefined();
    expect(r.gpu.map((h) => h.backend)).toEqual(['webgpu', 'webgpu', 'webgpu']);
    r.gpu.forEach((h, i) => {
      expect(Math.abs(h.loss - r.cpu[i].loss)).toBeLessThan(1e-3);
      expect(Math.abs(h.valLoss! - r.cpu[i].valLoss!)).toBeLessThan(1e-3);
    });
    expect(r.adapterDiff).toBeLessThan(1e-3);
  });

  it('a GPU device lost mid-run: training goes on on the CPU from the last epoch and finishes', async () => {
    const r = await train(1);
    console.log('[lora-webgpu] lost device:', r.deviceLost, JSON.stringify(r.gpu.map((h, i) => [h.backend, h.loss, r.cpu[i].loss])));
    expect(r.backend).toBe('cpu');
    expect(r.deviceLost).toMatch(/GPU device was lost/);
    expect(r.gpu.map((h) => h.backend)).toEqual(['webgpu', 'cpu', 'cpu']);
    expect(r.checkpoints).toEqual([1, 2, 3]);
    r.gpu.forEach((h, i) => expect(Math.abs(h.loss - r.cpu[i].loss)).toBeLessThan(1e-3));
    expect(r.adapterDiff).toBeLessThan(1e-3);
  });

  it("refuses backend 'webgpu' without WebGPU, with InvalidInputError", async () => {
    const r = await page.evaluate(async () => {
      const { train, top } = (window as unknown as Win).m;
      const gpu = Object.getOwnPropertyDescriptor(Navigator.prototype, 'gpu');
      Object.defineProperty(Navigator.prototype, 'gpu', { get: () => undefined, configurable: true });
      try {
        const ex = { tokens: 2, hidden: new Float32Array(2 * top.hidden) };
        await train.fitLora({ examples: [ex, ex], labels: [['a'], ['b']] }, top, { modelId: 'tiny', backend: 'webgpu' });
        return null;
      } catch (e) {
        return { name: (e as Error).name, message: (e as Error).message };
      } finally {
        Object.defineProperty(Navigator.prototype, 'gpu', gpu!);
      }
    });
    expect(r?.name).toBe('InvalidInputError');
    expect(r?.message).toMatch(/navigator\.gpu/);
  });
});
