/** A one-hidden-layer ReLU MLP head: logits = W₂·relu(W₁·x + b₁) + b₂. */
import type { Rng } from './random.js';
import { gaussian } from './random.js';
import { affineBackward, affineForward, exportAffine, type HeadNet } from './net.js';

/**
 * He-initialised hidden layer, small output layer; seeded through `rng`.
 * @example const net = mlpNet(256, 32, 3, seededRandom(1));
 */
export function mlpNet(dim: number, hidden: number, classes: number, rng: Rng): HeadNet {
  const w1 = 0;
  const b1 = hidden * dim;
  const w2 = b1 + hidden;
  const b2 = w2 + classes * hidden;
  const params = new Float32Array(b2 + classes);
  const decay = new Uint8Array(params.length);
  decay.fill(1, w1, b1);
  decay.fill(1, w2, b2);
  const s1 = Math.sqrt(2 / dim);
  for (let i = w1; i < b1; i++) params[i] = gaussian(rng) * s1;
  const s2 = Math.sqrt(1 / hidden);
  for (let i = w2; i < b2; i++) params[i] = gaussian(rng) * s2;
  // Activations of the last forward pass, reused by backward (the loop always pairs them).
  let h = new Float32Array(0);
  let dh = new Float32Array(0);
  return {
    params,
    decay,
    forward(x, rows, out) {
      if (h.length < rows * hidden) {
        h = new Float32Array(rows * hidden);
        dh = new Float32Array(rows * hidden);
      }
      affineForward(x, rows, dim, params, w1, b1, hidden, h);
      for (let i = 0; i < rows * hidden; i++) if (h[i] < 0) h[i] = 0;
      affineForward(h, rows, hidden, params, w2, b2, classes, out);
    },
    backward(x, rows, dLogits, grad) {
      affineBackward(h, rows, hidden, dLogits, classes, grad, w2, b2);
      dh.fill(0, 0, rows * hidden);
      for (let r = 0; r < rows; r++) {
        for (let c = 0; c < classes; c++) {
          const d = dLogits[r * classes + c];
          if (d === 0) continue;
          const wo = w2 + c * hidden;
          for (let k = 0; k < hidden; k++) dh[r * hidden + k] += d * params[wo + k];
        }
      }
      for (let i = 0; i < rows * hidden; i++) if (h[i] <= 0) dh[i] = 0;
      affineBackward(x, rows, dim, dh, hidden, grad, w1, b1);
    },
    toWeights(std) {
      const out = exportAffine(params, w2, b2, classes, hidden);
      return { ...out, hidden: exportAffine(params, w1, b1, hidden, dim, std) };
    },
  };
}
