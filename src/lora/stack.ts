/**
 * The top k layers as one unit, for one sequence: forward through each layer in turn, backward in reverse, passing
 * d(loss)/d(input) down only where a trained layer sits below.
 */
import { frozenProjections, layerBackward, layerForward, LayerWorkspace, type FrozenProjections } from './layer.js';
import type { LayerWeights, LoraMatrices, Vec } from './types.js';

type Make = (n: number) => Vec;

/** Where the adapted layers run: these CPU kernels, or the WebGPU compute shaders of ./webgpu/ (`GpuLayerStack`). */
export type LoraBackend = 'cpu' | 'webgpu';

/**
 * @example
 * const stack = new LayerStack(weights.layers, 8);
 * const out = stack.forward(x, T, null, adapters); … stack.backward(T, dOut, adapters, grads);
 */
export class LayerStack {
  readonly ws: LayerWorkspace[];
  private dxA: Vec;
  private dxB: Vec;

  constructor(readonly layers: LayerWeights[], r: number, private readonly make: Make = (n) => new Float32Array(n)) {
    this.ws = layers.map((w) => new LayerWorkspace(w, r, make));
    this.dxA = make(0);
    this.dxB = make(0);
  }

  /**
   * Output [T × H] of the last layer (a view into its workspace, valid until the next forward). `frozen` is the first
   * layer's precomputed projections of this very `x` (see `frozenProjections`).
   */
  forward(x: Vec, T: number, mask: Vec | null, lora: (LoraMatrices | null)[], frozen?: FrozenProjections): Vec {
    let h = x;
    this.layers.forEach((w, i) => {
      h = layerForward(w, lora[i] ?? null, h, T, mask, this.ws[i], i === 0 ? frozen : undefined);
    });
    return h;
  }

  /** Adds the adapters' gradients of the last forward into `grads`, given d(loss)/d(output). */
  backward(T: number, dOut: Vec, lora: LoraMatrices[], grads: LoraMatrices[], dInput: Vec | null = null): void {
    const H = this.layers[0].hidden;
    if (this.dxA.length < T * H) {
      this.dxA = this.make(T * H);
      this.dxB = this.make(T * H);
    }
    let d = dOut;
    for (let i = this.layers.length - 1; i >= 0; i--) {
      const dx = i > 0 ? (d === this.dxA ? this.dxB : this.dxA) : dInput;
      layerBackward(this.layers[i], lora[i], this.ws[i], T, d, grads[i], dx);
      if (dx) d = dx;
    }
  }

  /** The first layer's frozen projections of `x` (constant while only adapters train). */
  frozen(x: Vec, T: number): FrozenProjections {
    return frozenProjections(this.layers[0], x, T, this.make);
  }
}
