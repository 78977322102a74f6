/**
 * One post-LN transformer layer with LoRA on the query and value projections, forward and backward, for a single
 * sequence x [T × H]:
 *
 *   q = x Wq + bq + (x Aqᵀ) Bqᵀ     k = x Wk + bk     v = x Wv + bv + (x Avᵀ) Bvᵀ
 *   h1 = LN1(x + attn(q, k, v) Wo + bo)     out = LN2(h1 + GELU(h1 W1 + b1) W2 + b2)
 *
 * The frozen weights get no gradient; only the adapters do, plus dx when a trained layer sits below.
 */
import { attention, attentionBackward } from './attention.js';
import { addBias, gemmNN, gemmNT, gemmTN, view } from './gemm.js';
import { gelu, geluGrad, geluGradMul, geluInto } from './gelu.js';
import { layerNorm, layerNormBackward } from './layer-norm.js';
import type { LayerWeights, LoraMatrices, Vec } from './types.js';

type Make = (n: number) => Vec;

/**
 * Activations of one layer's forward pass (kept for backward) and the backward scratch, sized for the longest
 * sequence seen so far: buffers grow, never shrink, so a training run allocates once.
 * @example const ws = new LayerWorkspace(w, 8); layerForward(w, lora, x, T, null, ws);
 */
export class LayerWorkspace {
  cap = 0;
  x: Vec;
  uq!: Vec; uv!: Vec; q!: Vec; k!: Vec; v!: Vec; p!: Vec; ctx!: Vec; z!: Vec;
  xhat1!: Vec; rstd1!: Vec; h1!: Vec; f!: Vec; g!: Vec; xhat2!: Vec; rstd2!: Vec; out!: Vec;
  dz2!: Vec; dg!: Vec; dh1!: Vec; dz1!: Vec; dctx!: Vec; dq!: Vec; dk!: Vec; dv!: Vec; dp!: Vec; du!: Vec;

  constructor(private readonly w: LayerWeights, private readonly r: number, private readonly make: Make = (n) => new Float32Array(n)) {
    this.x = make(0);
  }

  /** Makes room for T tokens. */
  ensure(T: number): void {
    if (T <= this.cap) return;
    const { hidden: H, heads, ff } = this.w;
    const m = this.make;
    const r = this.r;
    const TH = T * H;
    this.uq = m(T * r); this.uv = m(T * r); this.du = m(T * r);
    this.q = m(TH); this.k = m(TH); this.v = m(TH); this.ctx = m(TH); this.z = m(TH);
    this.xhat1 = m(TH); this.h1 = m(TH); this.xhat2 = m(TH); this.out = m(TH);
    this.dz2 = m(TH); this.dh1 = m(TH); this.dz1 = m(TH); this.dctx = m(TH); this.dq = m(TH); this.dk = m(TH); this.dv = m(TH);
    this.rstd1 = m(T); this.rstd2 = m(T);
    this.p = m(heads * T * T); this.dp = m(T * T);
    this.f = m(T * ff); this.g = m(T * ff); this.dg = m(T * ff);
    this.cap = T;
  }
}

/**
 * Frozen projections of a layer whose input never changes (the cached bottom output): x Wq + bq, x Wk + bk,
 * x Wv + bv. Computing them once per example saves three of the layer's four H × H products every epoch.
 */
export interface FrozenProjections {
  q: Vec;
  k: Vec;
  v: Vec;
}

/** @example const fp = frozenProjections(w, x, T); layerForward(w, lora, x, T, null, ws, fp); */
export function frozenProjections(w: LayerWeights, x: Vec, T: number, make: Make = (n) => new Float32Array(n)): FrozenProjections {
  const H = w.hidden;
  const out = { q: make(T * H), k: make(T * H), v: make(T * H) };
  for (const [y, W, b] of [[out.q, w.wq, w.bq], [out.k, w.wk, w.bk], [out.v, w.wv, w.bv]] as const) {
    gemmNN(T, H, H, view(x, 0, H), view(W, 0, H), view(y, 0, H), false);
    addBias(T, H, view(y, 0, H), b);
  }
  return out;
}

/** y = x W + b (+ (x Aᵀ) Bᵀ, keeping u = x Aᵀ) for one projection. */
function project(x: Vec, T: number, H: number, W: Vec, b: Vec, base: Vec | undefined, A: Vec | null, B: Vec | null, r: number, u: Vec, y: Vec): void {
  if (base) y.set(base.subarray(0, T * H));
  else {
    gemmNN(T, H, H, view(x, 0, H), view(W, 0, H), view(y, 0, H), false);
    addBias(T, H, view(y, 0, H), b);
  }
  if (!A || !B) return;
  gemmNT(T, r, H, view(x, 0, H), view(A, 0, H), view(u, 0, r), false);
  gemmNT(T, H, r, view(u, 0, r), view(B, 0, r), view(y, 0, H), true);
}

/**
 * Forward pass of one layer; the output is `ws.out` (first T × H numbers). `lora` null runs the base layer.
 * @example layerForward(w, lora, x, T, null, ws); const y = ws.out;
 */
export function layerForward(
  w: LayerWeights, lora: LoraMatrices | null, x: Vec, T: number, mask: Vec | null, ws: LayerWorkspace, frozen?: FrozenProjections,
): Vec {
  const { hidden: H, heads, ff, eps } = w;
  const r = lora?.r ?? 0;
  ws.ensure(T);
  ws.x = x;
  project(x, T, H, w.wq, w.bq, frozen?.q, lora?.aq ?? null, lora?.bq ?? null, r, ws.uq, ws.q);
  project(x, T, H, w.wk, w.bk, frozen?.k, null, null, 0, ws.uq, ws.k);
  project(x, T, H, w.wv, w.bv, frozen?.v, lora?.av ?? null, lora?.bv ?? null, r, ws.uv, ws.v);
  attention(ws.q, ws.k, ws.v, T, H, heads, mask, ws.p, ws.ctx);
  // z = x + ctx Wo + bo → h1 = LN1(z)
  const z = ws.z;
  gemmNN(T, H, H, view(ws.ctx, 0, H), view(w.wo, 0, H), view(z, 0, H), false);
  for (let i = 0; i < T; i++) for (let j = 0; j < H; j++) z[i * H + j] += x[i * H + j] + w.bo[j];
  layerNorm(z, T, H, w.ln1g, w.ln1b, eps, ws.xhat1, ws.rstd1, ws.h1);
  // f = h1 W1 + b1 ; g = GELU(f) ; z = h1 + g W2 + b2 → out = LN2(z)
  gemmNN(T, ff, H, view(ws.h1, 0, H), view(w.w1, 0, ff), view(ws.f, 0, ff), false);
  addBias(T, ff, view(ws.f, 0, ff), w.b1);
  // float32 (training) uses the fast erf; float64 (the finite-difference checks) the exact series.
  if (ws.f instanceof Float32Array) geluInto(ws.f, T * ff, ws.g);
  else for (let i = 0; i < T * ff; i++) ws.g[i] = gelu(ws.f[i]);
  gemmNN(T, H, ff, view(ws.g, 0, ff), view(w.w2, 0, H), view(z, 0, H), false);
  for (let i = 0; i < T; i++) for (let j = 0; j < H; j++) z[i * H + j] += ws.h1[i * H + j] + w.b2[j];
  layerNorm(z, T, H, w.ln2g, w.ln2b, eps, ws.xhat2, ws.rstd2, ws.out);
  return ws.out;
}

/**
 * Backward pass of the last `layerForward` on `ws`: adds the adapters' gradients into `grad` and, when `dx` is given,
 * writes d(loss)/d(x) there (needed only when a trained layer sits below this one).
 * @example layerBackward(w, lora, ws, T, dOut, grad, null);
 */
export function layerBackward(
  w: LayerWeights, lora: LoraMatrices, ws: LayerWorkspace, T: number, dOut: Vec, grad: LoraMatrices, dx: Vec | null,
): void {
  const { hidden: H, heads, ff } = w;
  const r = lora.r;
  const x = ws.x;
  // out = LN2(h1 + y): dz2 feeds both the residual (h1) and the FFN output y.
  layerNormBackward(dOut, T, H, w.ln2g, ws.xhat2, ws.rstd2, ws.dz2, false);
  gemmNT(T, ff, H, view(ws.dz2, 0, H), view(w.w2, 0, H), view(ws.dg, 0, ff), false);
  if (ws.f instanceof Float32Array) geluGradMul(ws.f, T * ff, ws.dg);
  else for (let i = 0; i < T * ff; i++) ws.dg[i] *= geluGrad(ws.f[i]);
  ws.dh1.set(ws.dz2.subarray(0, T * H));
  gemmNT(T, H, ff, view(ws.dg, 0, ff), view(w.w1, 0, ff), view(ws.dh1, 0, H), true);
  // h1 = LN1(x + a): dz1 feeds the residual (x) and the attention output.
  layerNormBackward(ws.dh1, T, H, w.ln1g, ws.xhat1, ws.rstd1, ws.dz1, false);
  gemmNT(T, H, H, view(ws.dz1, 0, H), view(w.wo, 0, H), view(ws.dctx, 0, H), false);
  attentionBackward(ws.q, ws.k, ws.v, ws.p, ws.dctx, T, H, heads, ws.dp, ws.dq, ws.dk, ws.dv);
  // q = … + u Bqᵀ, u = x Aqᵀ: dBq = dqᵀ u, du = dq Bq, dAq = duᵀ x (same for v).
  const adapters: [Vec, Vec, Vec, Vec, Vec, Vec][] = [
    [ws.dq, ws.uq, lora.aq, lora.bq, grad.aq, grad.bq],
    [ws.dv, ws.uv, lora.av, lora.bv, grad.av, grad.bv],
  ];
  if (dx) {
    dx.set(ws.dz1.subarray(0, T * H));
    gemmNT(T, H, H, view(ws.dq, 0, H), view(w.wq, 0, H), view(dx, 0, H), true);
    gemmNT(T, H, H, view(ws.dk, 0, H), view(w.wk, 0, H), view(dx, 0, H), true);
    gemmNT(T, H, H, view(ws.dv, 0, H), view(w.wv, 0, H), view(dx, 0, H), true);
  }
  for (const [dy, u, A, B, gA, gB] of adapters) {
    gemmTN(H, r, T, view(dy, 0, H), view(u, 0, r), view(gB, 0, r), true);
    gemmNN(T, r, H, view(dy, 0, H), view(B, 0, r), view(ws.du, 0, r), false);
    gemmTN(r, H, T, view(ws.du, 0, r), view(x, 0, H), view(gA, 0, H), true);
    if (dx) gemmNN(T, H, r, view(ws.du, 0, r), view(A, 0, H), view(dx, 0, H), true);
  }
}
