/**
 * WGSL compute kernels of the WebGPU LoRA backend: the same math as the CPU kernels (gemm.ts, gelu.ts, layer-norm.ts,
 * attention.ts), in float32. Every kernel reads its sizes from a uniform struct at binding 0 whose integer fields come
 * first and float fields last, in the order `Program.dispatch` is given them (device.ts); its storage buffers follow
 * at bindings 1, 2, … in the order listed in `KERNELS`.
 */

/** One matrix product for all three layouts: operands are addressed through (offset, row stride, column stride). */
const matmul = /* wgsl */ `
struct Params {
  m: u32, n: u32, k: u32, acc: u32,
  aOff: u32, aRow: u32, aCol: u32,
  bOff: u32, bRow: u32, bCol: u32,
  cOff: u32, cLd: u32,
}
@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> A: array<f32>;
@group(0) @binding(2) var<storage, read> B: array<f32>;
@group(0) @binding(3) var<storage, read_write> C: array<f32>;

const TILE = 16u;
var<workgroup> tileA: array<array<f32, 16>, 16>;
var<workgroup> tileB: array<array<f32, 16>, 16>;

// C(i, j) (+)= sum_p A(i, p) B(p, j), A(i, p) = A[aOff + i aRow + p aCol], B(p, j) = B[bOff + p bRow + j bCol]:
// (aRow, aCol) = (ld, 1) reads A as stored, (1, ld) reads its transpose. One thread per element of C; each 16 x 16
// workgroup stages 16 x 16 tiles of A and B through shared memory.
@compute @workgroup_size(16, 16)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let i = wg.y * TILE + lid.y;
  let j = wg.x * TILE + lid.x;
  var sum = 0.0;
  for (var t = 0u; t < P.k; t += TILE) {
    let pa = t + lid.x;
    var a = 0.0;
    if (i < P.m && pa < P.k) { a = A[P.aOff + i * P.aRow + pa * P.aCol]; }
    tileA[lid.y][lid.x] = a;
    let pb = t + lid.y;
    var b = 0.0;
    if (pb < P.k && j < P.n) { b = B[P.bOff + pb * P.bRow + j * P.bCol]; }
    tileB[lid.y][lid.x] = b;
    workgroupBarrier();
    for (var q = 0u; q < TILE; q++) { sum += tileA[lid.y][q] * tileB[q][lid.x]; }
    workgroupBarrier();
  }
  if (i < P.m && j < P.n) {
    let c = P.cOff + i * P.cLd + j;
    if (P.acc != 0u) { C[c] += sum; } else { C[c] = sum; }
  }
}`;

/** Y[i, j] += bias[j] over n = rows × cols elements. */
const bias = /* wgsl */ `
struct Params { n: u32, cols: u32 }
@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> bias: array<f32>;
@group(0) @binding(2) var<storage, read_write> Y: array<f32>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) g: vec3u) {
  if (g.x < P.n) { Y[g.x] += bias[g.x % P.cols]; }
}`;

/** Y = X (acc 0) or Y += X (acc 1), elementwise: residual connections and gradient copies. */
const add = /* wgsl */ `
struct Params { n: u32, acc: u32 }
@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> X: array<f32>;
@group(0) @binding(2) var<storage, read_write> Y: array<f32>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) g: vec3u) {
  if (g.x >= P.n) { return; }
  if (P.acc != 0u) { Y[g.x] += X[g.x]; } else { Y[g.x] = X[g.x]; }
}`;

/**
 * gelu.ts's erf, in float32: Maclaurin series for |x| < 2.5, the Lentz continued fraction of erfc beyond, ±1 past 6.
 * The series stops at float32 precision instead of 1e-17 (its alternating terms leave an error of about 1e-6 at 2.5).
 */
const erf = /* wgsl */ `
const INV_SQRT_PI = 0.5641895835477563;
const INV_SQRT_2PI = 0.3989422804014327;
const SQRT1_2 = 0.7071067811865476;

fn erf(x: f32) -> f32 {
  let ax = abs(x);
  if (ax < 2.5) {
    let x2 = x * x;
    var term = x;
    var sum = x;
    for (var n = 1; n < 60; n++) {
      term *= -x2 / f32(n);
      let add = term / f32(2 * n + 1);
      sum += add;
      if (abs(add) < 1e-9 * abs(sum)) { break; }
    }
    return 2.0 * INV_SQRT_PI * sum;
  }
  if (ax > 6.0) { return sign(x); }
  var f = ax;
  for (var n = 40; n >= 1; n--) { f = ax + f32(n) / 2.0 / f; }
  return sign(x) * (1.0 - exp(-ax * ax) * INV_SQRT_PI / f);
}`;

/** G = GELU(F) = F Φ(F), elementwise. */
const gelu = /* wgsl */ `
${erf}
struct Params { n: u32 }
@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> F: array<f32>;
@group(0) @binding(2) var<storage, read_write> G: array<f32>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) g: vec3u) {
  if (g.x >= P.n) { return; }
  let x = F[g.x];
  G[g.x] = 0.5 * x * (1.0 + erf(x * SQRT1_2));
}`;

/** dG *= GELU'(F) = Φ(F) + F φ(F), elementwise (turns d(loss)/d(gelu output) into d(loss)/d(F) in place). */
const geluBackward = /* wgsl */ `
${erf}
struct Params { n: u32 }
@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> F: array<f32>;
@group(0) @binding(2) var<storage, read_write> dG: array<f32>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) g: vec3u) {
  if (g.x >= P.n) { return; }
  let x = F[g.x];
  dG[g.x] *= 0.5 * (1.0 + erf(x * SQRT1_2)) + x * INV_SQRT_2PI * exp(-0.5 * x * x);
}`;

/** Layer norm of each row of X [rows × n] (one thread per row), keeping x̂ and 1/σ for the backward pass. */
const layerNorm = /* wgsl */ `
struct Params { rows: u32, n: u32, eps: f32 }
@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> X: array<f32>;
@group(0) @binding(2) var<storage, read> gain: array<f32>;
@group(0) @binding(3) var<storage, read> shift: array<f32>;
@group(0) @binding(4) var<storage, read_write> Xhat: array<f32>;
@group(0) @binding(5) var<storage, read_write> Rstd: array<f32>;
@group(0) @binding(6) var<storage, read_write> Y: array<f32>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) g: vec3u) {
  let r = g.x;
  if (r >= P.rows) { return; }
  let o = r * P.n;
  var mean = 0.0;
  for (var j = 0u; j < P.n; j++) { mean += X[o + j]; }
  mean /= f32(P.n);
  var v = 0.0;
  for (var j = 0u; j < P.n; j++) { let d = X[o + j] - mean; v += d * d; }
  let s = 1.0 / sqrt(v / f32(P.n) + P.eps);
  Rstd[r] = s;
  for (var j = 0u; j < P.n; j++) {
    let h = (X[o + j] - mean) * s;
    Xhat[o + j] = h;
    Y[o + j] = h * gain[j] + shift[j];
  }
}`;

/** dX = (1/σ) (dx̂ − mean(dx̂) − x̂ mean(dx̂ x̂)), dx̂ = dY g, per row (one thread per row). */
const layerNormBackward = /* wgsl */ `
struct Params { rows: u32, n: u32 }
@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> dY: array<f32>;
@group(0) @binding(2) var<storage, read> gain: array<f32>;
@group(0) @binding(3) var<storage, read> Xhat: array<f32>;
@group(0) @binding(4) var<storage, read> Rstd: array<f32>;
@group(0) @binding(5) var<storage, read_write> dX: array<f32>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) g: vec3u) {
  let r = g.x;
  if (r >= P.rows) { return; }
  let o = r * P.n;
  var m1 = 0.0;
  var m2 = 0.0;
  for (var j = 0u; j < P.n; j++) {
    let d = dY[o + j] * gain[j];
    m1 += d;
    m2 += d * Xhat[o + j];
  }
  m1 /= f32(P.n);
  m2 /= f32(P.n);
  let s = Rstd[r];
  for (var j = 0u; j < P.n; j++) { dX[o + j] = s * (dY[o + j] * gain[j] - m1 - Xhat[o + j] * m2); }
}`;

/**
 * Row softmax of scaled attention scores with an additive key mask, in place: S [rows × t] (rows = heads × T) holds
 * q kᵀ on entry and the probabilities on exit. One thread per row.
 */
const softmax = /* wgsl */ `
struct Params { rows: u32, t: u32, scale: f32 }
@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> mask: array<f32>;
@group(0) @binding(2) var<storage, read_write> S: array<f32>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) g: vec3u) {
  let r = g.x;
  if (r >= P.rows) { return; }
  let o = r * P.t;
  var mx = -3.4e38;
  for (var j = 0u; j < P.t; j++) {
    let s = S[o + j] * P.scale + mask[j];
    S[o + j] = s;
    mx = max(mx, s);
  }
  var sum = 0.0;
  for (var j = 0u; j < P.t; j++) {
    let e = exp(S[o + j] - mx);
    S[o + j] = e;
    sum += e;
  }
  let inv = 1.0 / sum;
  for (var j = 0u; j < P.t; j++) { S[o + j] *= inv; }
}`;

/** dS = P ⊙ (dP − rowsum(dP ⊙ P)) · scale, in place over dP (the softmax Jacobian and the score scale). */
const softmaxBackward = /* wgsl */ `
struct Params { rows: u32, t: u32, scale: f32 }
@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> Prob: array<f32>;
@group(0) @binding(2) var<storage, read_write> dS: array<f32>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) g: vec3u) {
  let r = g.x;
  if (r >= P.rows) { return; }
  let o = r * P.t;
  var rowDot = 0.0;
  for (var j = 0u; j < P.t; j++) { rowDot += dS[o + j] * Prob[o + j]; }
  for (var j = 0u; j < P.t; j++) { dS[o + j] = Prob[o + j] * (dS[o + j] - rowDot) * P.scale; }
}`;

/** Each kernel's source and workgroup size (threads along x, and y for the 2-D matmul tiles). */
export const KERNELS = {
  matmul: { code: matmul, size: [16, 16] },
  bias: { code: bias, size: [64, 1] },
  add: { code: add, size: [64, 1] },
  gelu: { code: gelu, size: [64, 1] },
  geluBackward: { code: geluBackward, size: [64, 1] },
  layerNorm: { code: layerNorm, size: [64, 1] },
  layerNormBackward: { code: layerNormBackward, size: [64, 1] },
  softmax: { code: softmax, size: [64, 1] },
  softmaxBackward: { code: softmaxBackward, size: [64, 1] },
} as const;

export type KernelName = keyof typeof KERNELS;
