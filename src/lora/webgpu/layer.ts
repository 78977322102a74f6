/**
 * The WebGPU backend of the LoRA layer stack: the same post-LN BERT layer as ../layer.ts (LoRA on the query and value
 * projections), for one sequence x [T × H], as recorded sequences of the kernels in shaders.ts. The frozen weights go
 * up once per stack; each forward uploads x and the adapters and reads the top layer's output back (pooling and the
 * head stay on the CPU: H numbers); each backward uploads d(output) and reads the adapters' gradients back.
 */
import type { LayerWeights, LoraMatrices, Vec } from '../types.js';
import { LoraGpu, Program } from './device.js';

/** A matrix operand: element (i, p) at `off + i·row + p·col` of `buf`. */
interface Operand {
  buf: GPUBuffer;
  off: number;
  row: number;
  col: number;
}
/** The matrix as stored, [rows × ld] row-major (optionally starting at column `off`). */
const asIs = (buf: GPUBuffer, ld: number, off = 0): Operand => ({ buf, off, row: ld, col: 1 });
/** Its transpose. */
const transposed = (buf: GPUBuffer, ld: number, off = 0): Operand => ({ buf, off, row: 1, col: ld });

/** C[m × n] (+)= A[m × k] · B[k × n], C written at `off + i·ld + j`. */
function mm(p: Program, m: number, n: number, k: number, a: Operand, b: Operand, c: GPUBuffer, cOff: number, cLd: number, acc: boolean): void {
  p.dispatch('matmul', [m, n, k, acc ? 1 : 0, a.off, a.row, a.col, b.off, b.row, b.col, cOff, cLd], [], [a.buf, b.buf, c], n, m);
}
const addBias = (p: Program, rows: number, cols: number, bias: GPUBuffer, y: GPUBuffer) =>
  p.dispatch('bias', [rows * cols, cols], [], [bias, y], rows * cols);
/** y = x (acc false) or y += x, over n values. */
const add = (p: Program, n: number, x: GPUBuffer, y: GPUBuffer, acc: boolean) => p.dispatch('add', [n, acc ? 1 : 0], [], [x, y], n);

type Weights = Record<'wq' | 'bq' | 'wk' | 'bk' | 'wv' | 'bv' | 'wo' | 'bo' | 'ln1g' | 'ln1b' | 'w1' | 'b1' | 'w2' | 'b2' | 'ln2g' | 'ln2b', GPUBuffer>;
type Adapters = Record<'aq' | 'bq' | 'av' | 'bv', GPUBuffer>;
const ACTIVATIONS = ['uq', 'uv', 'q', 'k', 'v', 'p', 'ctx', 'z', 'xhat1', 'rstd1', 'h1', 'f', 'g', 'xhat2', 'rstd2', 'out',
  'dz2', 'dg', 'dh1', 'dz1', 'dctx', 'dq', 'dk', 'dv', 'dp', 'duq', 'duv', 'dx'] as const;
type Activations = Record<(typeof ACTIVATIONS)[number], GPUBuffer>;

/** One layer's buffers on the device and the recording of its passes. */
class GpuLayer {
  readonly w: Weights;
  readonly lora: Adapters;
  readonly grad: Adapters;
  a!: Activations;

  constructor(private readonly gpu: LoraGpu, readonly weights: LayerWeights, readonly r: number) {
    const { hidden: H } = weights;
    const up = (v: Vec) => gpu.buffer(v.length, v);
    const { wq, bq, wk, bk, wv, bv, wo, bo, ln1g, ln1b, w1, b1, w2, b2, ln2g, ln2b } = weights;
    this.w = Object.fromEntries(
      Object.entries({ wq, bq, wk, bk, wv, bv, wo, bo, ln1g, ln1b, w1, b1, w2, b2, ln2g, ln2b }).map(([name, v]) => [name, up(v)]),
    ) as Weights;
    const adapters = () => ({ aq: gpu.buffer(r * H), bq: gpu.buffer(H * r), av: gpu.buffer(r * H), bv: gpu.buffer(H * r) });
    this.lora = adapters();
    this.grad = adapters();
  }

  /** (Re)allocates the activations for up to T tokens. */
  allocate(T: number): void {
    this.freeActivations();
    const { hidden: H, heads, ff } = this.weights;
    const sizes: Record<keyof Activations, number> = {
      uq: T * this.r, uv: T * this.r, duq: T * this.r, duv: T * this.r, rstd1: T, rstd2: T,
      p: heads * T * T, dp: heads * T * T, f: T * ff, g: T * ff, dg: T * ff,
      q: T * H, k: T * H, v: T * H, ctx: T * H, z: T * H, xhat1: T * H, h1: T * H, xhat2: T * H, out: T * H,
      dz2: T * H, dh1: T * H, dz1: T * H, dctx: T * H, dq: T * H, dk: T * H, dv: T * H, dx: T * H,
    };
    this.a = Object.fromEntries(ACTIVATIONS.map((name) => [name, this.gpu.buffer(sizes[name])])) as Activations;
  }

  /** Uploads the adapters (zeros for the base layer). */
  setAdapters(lora: LoraMatrices | null): void {
    const H = this.weights.hidden;
    const n = this.r * H;
    this.gpu.write(this.lora.aq, lora?.aq ?? null, n);
    this.gpu.write(this.lora.bq, lora?.bq ?? null, n);
    this.gpu.write(this.lora.av, lora?.av ?? null, n);
    this.gpu.write(this.lora.bv, lora?.bv ?? null, n);
  }

  /** Records layer.ts `layerForward` of x [T × H] into `a.out`. `mask` holds T additive key terms (zeros: none). */
  recordForward(p: Program, x: GPUBuffer, mask: GPUBuffer, T: number): void {
    const { hidden: H, heads, ff, eps } = this.weights;
    const { w, a, lora, r } = this;
    const dh = H / heads;
    // q = x Wq + bq + (x Aqᵀ) Bqᵀ ; k = x Wk + bk ; v = x Wv + bv + (x Avᵀ) Bvᵀ
    const projections: [GPUBuffer, GPUBuffer, GPUBuffer, GPUBuffer | null, GPUBuffer | null, GPUBuffer][] = [
      [a.q, w.wq, w.bq, lora.aq, lora.bq, a.uq],
      [a.k, w.wk, w.bk, null, null, a.uq],
      [a.v, w.wv, w.bv, lora.av, lora.bv, a.uv],
    ];
    for (const [y, W, b, A, B, u] of projections) {
      mm(p, T, H, H, asIs(x, H), asIs(W, H), y, 0, H, false);
      addBias(p, T, H, b, y);
      if (!A || !B) continue;
      mm(p, T, r, H, asIs(x, H), transposed(A, H), u, 0, r, false);
      mm(p, T, H, r, asIs(u, r), transposed(B, r), y, 0, H, true);
    }
    // Per head h (columns h·dh …): scores q_h k_hᵀ → row softmax (all heads at once) → ctx_h = P_h v_h.
    for (let h = 0; h < heads; h++) mm(p, T, T, dh, asIs(a.q, H, h * dh), transposed(a.k, H, h * dh), a.p, h * T * T, T, false);
    p.dispatch('softmax', [heads * T, T], [1 / Math.sqrt(dh)], [mask, a.p], heads * T);
    for (let h = 0; h < heads; h++) mm(p, T, dh, T, asIs(a.p, T, h * T * T), asIs(a.v, H, h * dh), a.ctx, h * dh, H, false);
    // h1 = LN1(x + ctx Wo + bo)
    mm(p, T, H, H, asIs(a.ctx, H), asIs(w.wo, H), a.z, 0, H, false);
    add(p, T * H, x, a.z, true);
    addBias(p, T, H, w.bo, a.z);
    p.dispatch('layerNorm', [T, H], [eps], [a.z, w.ln1g, w.ln1b, a.xhat1, a.rstd1, a.h1], T);
    // out = LN2(h1 + GELU(h1 W1 + b1) W2 + b2)
    mm(p, T, ff, H, asIs(a.h1, H), asIs(w.w1, ff), a.f, 0, ff, false);
    addBias(p, T, ff, w.b1, a.f);
    p.dispatch('gelu', [T * ff], [], [a.f, a.g], T * ff);
    mm(p, T, H, ff, asIs(a.g, ff), asIs(w.w2, H), a.z, 0, H, false);
    add(p, T * H, a.h1, a.z, true);
    addBias(p, T, H, w.b2, a.z);
    p.dispatch('layerNorm', [T, H], [eps], [a.z, w.ln2g, w.ln2b, a.xhat2, a.rstd2, a.out], T);
  }

  /**
   * Records layer.ts `layerBackward` from d(out) into the gradient buffers (overwritten, not accumulated) and, with
   * `dx`, d(loss)/d(x) into `a.dx`. x is the forward's input buffer.
   */
  recordBackward(p: Program, x: GPUBuffer, dOut: GPUBuffer, T: number, dx: boolean): void {
    const { hidden: H, heads, ff } = this.weights;
    const { w, a, lora, grad, r } = this;
    const dh = H / heads;
    // out = LN2(h1 + y): dz2 feeds the residual (h1) and the FFN.
    p.dispatch('layerNormBackward', [T, H], [], [dOut, w.ln2g, a.xhat2, a.rstd2, a.dz2], T);
    mm(p, T, ff, H, asIs(a.dz2, H), transposed(w.w2, H), a.dg, 0, ff, false);
    p.dispatch('geluBackward', [T * ff], [], [a.f, a.dg], T * ff);
    add(p, T * H, a.dz2, a.dh1, false);
    mm(p, T, H, ff, asIs(a.dg, ff), transposed(w.w1, ff), a.dh1, 0, H, true);
    // h1 = LN1(x + attention output): dz1 feeds the residual (x) and the attention.
    p.dispatch('layerNormBackward', [T, H], [], [a.dh1, w.ln1g, a.xhat1, a.rstd1, a.dz1], T);
    mm(p, T, H, H, asIs(a.dz1, H), transposed(w.wo, H), a.dctx, 0, H, false);
    // Per head: dv_h = P_hᵀ dctx_h, dP_h = dctx_h v_hᵀ → dS (softmax backward, scale folded in) → dq_h = dS k_h, dk_h = dSᵀ q_h.
    for (let h = 0; h < heads; h++) {
      const c = h * dh;
      const po = h * T * T;
      mm(p, T, dh, T, transposed(a.p, T, po), asIs(a.dctx, H, c), a.dv, c, H, false);
      mm(p, T, T, dh, asIs(a.dctx, H, c), transposed(a.v, H, c), a.dp, po, T, false);
    }
    p.dispatch('softmaxBackward', [heads * T, T], [1 / Math.sqrt(dh)], [a.p, a.dp], heads * T);
    for (let h = 0; h < heads; h++) {
      const c = h * dh;
      const po = h * T * T;
      mm(p, T, dh, T, asIs(a.dp, T, po), asIs(a.k, H, c), a.dq, c, H, false);
      mm(p, T, dh, T, transposed(a.dp, T, po), asIs(a.q, H, c), a.dk, c, H, false);
    }
    // q = … + u Bqᵀ, u = x Aqᵀ: dBq = dqᵀ u, du = dq Bq, dAq = duᵀ x (likewise for v).
    const adapters: [GPUBuffer, GPUBuffer, GPUBuffer, GPUBuffer, GPUBuffer, GPUBuffer, GPUBuffer][] = [
      [a.dq, a.uq, a.duq, lora.aq, lora.bq, grad.aq, grad.bq],
      [a.dv, a.uv, a.duv, lora.av, lora.bv, grad.av, grad.bv],
    ];
    for (const [dy, u, du, , B, gA, gB] of adapters) {
      mm(p, H, r, T, transposed(dy, H), asIs(u, r), gB, 0, r, false);
      mm(p, T, r, H, asIs(dy, H), asIs(B, r), du, 0, r, false);
      mm(p, r, H, T, transposed(du, r), asIs(x, H), gA, 0, H, false);
    }
    if (!dx) return;
    // dx = dz1 + dq Wqᵀ + dk Wkᵀ + dv Wvᵀ + duq Aq + duv Av
    add(p, T * H, a.dz1, a.dx, false);
    for (const [dy, W] of [[a.dq, w.wq], [a.dk, w.wk], [a.dv, w.wv]]) mm(p, T, H, H, asIs(dy, H), transposed(W, H), a.dx, 0, H, true);
    for (const [du, A] of [[a.duq, lora.aq], [a.duv, lora.av]]) mm(p, T, H, r, asIs(du, r), asIs(A, H), a.dx, 0, H, true);
  }

  freeActivations(): void {
    if (this.a) for (const b of Object.values(this.a)) this.gpu.free(b);
  }
}

/**
 * The top k layers on the GPU, for one sequence at a time: the async counterpart of ../stack.ts `LayerStack`.
 * Backward uses the adapters of the last forward (training never changes them in between).
 * @example
 * const stack = await GpuLayerStack.create(weights.layers, 8);
 * const out = await stack.forward(x, T, null, adapters); … await stack.backward(T, dOut, adapters, grads);
 */
export class GpuLayerStack {
  private readonly gl: GpuLayer[];
  private cap = 0;
  private x!: GPUBuffer;
  private mask!: GPUBuffer;
  private dOut!: GPUBuffer;
  private readonly programs = new Map<string, Program>();
  private lastT = 0;

  /** `maxTokens` sizes the activations up front (they grow on demand otherwise, re-recording the programs). */
  constructor(readonly gpu: LoraGpu, readonly layers: LayerWeights[], readonly r: number, maxTokens = 0) {
    this.gl = layers.map((w) => new GpuLayer(gpu, w, r));
    if (maxTokens > 0) this.ensure(maxTokens);
  }

  /** A stack on a new device (or on `device`). Throws InvalidInputError where there is no WebGPU. */
  static async create(layers: LayerWeights[], r: number, options: { device?: GPUDevice; maxTokens?: number } = {}): Promise<GpuLayerStack> {
    return new GpuLayerStack(await LoraGpu.open(options.device), layers, r, options.maxTokens);
  }

  private get H(): number {
    return this.layers[0].hidden;
  }

  private ensure(T: number): void {
    if (T <= this.cap) return;
    for (const p of this.programs.values()) p.destroy();
    this.programs.clear();
    for (const b of [this.x, this.mask, this.dOut]) this.gpu.free(b);
    this.x = this.gpu.buffer(T * this.H);
    this.dOut = this.gpu.buffer(T * this.H);
    this.mask = this.gpu.buffer(T);
    for (const l of this.gl) l.allocate(T);
    this.cap = T;
  }

  private program(key: string, record: (p: Program) => void): Program {
    let p = this.programs.get(key);
    if (!p) {
      p = new Program(this.gpu);
      record(p);
      this.programs.set(key, p);
    }
    return p;
  }

  /** Input buffer of layer i. */
  private input(i: number): GPUBuffer {
    return i === 0 ? this.x : this.gl[i - 1].a.out;
  }

  /**
   * Output [T × H] of the last layer (a fresh array). `mask` holds one additive term per key, or null (attend to all);
   * a null adapter runs the base layer.
   */
  async forward(x: Vec, T: number, mask: Vec | null, lora: (LoraMatrices | null)[]): Promise<Float32Array> {
    this.gpu.check();
    this.ensure(T);
    const H = this.H;
    this.gpu.write(this.x, x, T * H);
    this.gpu.write(this.mask, mask, T);
    this.gl.forEach((l, i) => l.setAdapters(lora[i] ?? null));
    const p = this.program(`f${T}`, (p) => this.gl.forEach((l, i) => l.recordForward(p, this.input(i), this.mask, T)));
    const [out] = await this.gpu.run([p], [{ buffer: this.gl[this.gl.length - 1].a.out, floats: T * H }]);
    this.lastT = T;
    return out;
  }

  /**
   * Adds the adapters' gradients of the last forward into `grads`, given d(loss)/d(output) [T × H]; with `dInput`,
   * writes d(loss)/d(input) there. `lora` must be the forward's adapters: they are on the device already.
   */
  async backward(T: number, dOut: Vec, lora: LoraMatrices[], grads: LoraMatrices[], dInput: Vec | null = null): Promise<void> {
    if (T !== this.lastT) throw new Error(`backward(T = ${T}) after a forward of ${this.lastT} tokens`);
    this.gpu.check();
    const H = this.H;
    this.gpu.write(this.dOut, dOut, T * H);
    const k = this.gl.length;
    const p = this.program(`b${T}${dInput ? 'x' : ''}`, (p) => {
      for (let i = k - 1; i >= 0; i--) {
        const d = i === k - 1 ? this.dOut : this.gl[i + 1].a.dx;
        this.gl[i].recordBackward(p, this.input(i), d, T, i > 0 || dInput !== null);
      }
    });
    const n = this.r * H;
    const reads = this.gl.flatMap((l) => [l.grad.aq, l.grad.bq, l.grad.av, l.grad.bv].map((buffer) => ({ buffer, floats: n })));
    if (dInput) reads.push({ buffer: this.gl[0].a.dx, floats: T * H });
    const got = await this.gpu.run([p], reads);
    grads.forEach((g, i) =>
      [g.aq, g.bq, g.av, g.bv].forEach((dst, m) => {
        const src = got[i * 4 + m];
        for (let j = 0; j < n; j++) dst[j] += src[j];
      }),
    );
    if (dInput) dInput.set(got[got.length - 1]);
  }

  /** Frees the buffers, and the device when `create` opened it. */
  destroy(): void {
    this.gpu.destroy();
  }
}
