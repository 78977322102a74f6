/** A linear head (logits = W·x + b): the network behind softmax and sigmoid linear probes. */
import { affineBackward, affineForward, exportAffine, type HeadNet } from './net.js';

/**
 * Zero-initialised (the loss is convex, so no symmetry to break) linear network.
 * @example const net = linearNet(256, 3);
 */
export function linearNet(dim: number, classes: number): HeadNet {
  const params = new Float32Array(classes * dim + classes);
  const decay = new Uint8Array(params.length);
  decay.fill(1, 0, classes * dim);
  const bAt = classes * dim;
  return {
    params,
    decay,
    forward: (x, rows, out) => affineForward(x, rows, dim, params, 0, bAt, classes, out),
    backward: (x, rows, dLogits, grad) => affineBackward(x, rows, dim, dLogits, classes, grad, 0, bAt),
    toWeights: (std) => exportAffine(params, 0, bAt, classes, dim, std),
  };
}
