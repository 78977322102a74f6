/**
 * The TypeScript forward of the top k layers against ONNX Runtime running `top.onnx` on the same weights (read from
 * its initializers), with zero and with non-zero adapters fed as graph inputs. The fixture is a tiny random-weight
 * export (`tools/lora/export_tiny.py`); a real split model is checked too when one is present.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-web';
import { describe, expect, it } from 'vitest';
import { readTopWeights } from '../../src/lora/onnx-weights.js';
import { LayerStack } from '../../src/lora/stack.js';
import { createTopRunner } from '../../src/lora/top-session.js';
import type { LoraMatrices } from '../../src/lora/types.js';
import { gaussian, seededRandom } from '../../src/learn/random.js';

const FIXTURES = [
  { name: 'tiny random export', path: 'tools/lora/fixture/top-tiny.onnx' },
  { name: 'tiny-sentiment split', path: 'test/fixtures/models/tiny-sentiment/onnx/top.onnx' },
  { name: 'shipped inpage-sentiment-mini split', path: 'public/models/inpage-sentiment-mini/onnx/top.onnx' },
  // Built locally by `build.py --preset tiny --split-k 1 --out build/lora-tiny/tiny-sentiment` (not committed).
  { name: 'local tiny split build', path: 'build/lora-tiny/tiny-sentiment/onnx/top.onnx' },
];

for (const fx of FIXTURES) {
  const present = existsSync(fx.path);
  describe.skipIf(!present)(`top.onnx parity: ${fx.name}`, () => {
    // describe bodies run even when skipped: read nothing that is not there.
    if (!present) return;
    const bytes = readFileSync(fx.path);
    const top = readTopWeights(bytes);
    const { hidden: H } = top;
    const k = top.layers.length;
    const rng = seededRandom(5);
    const batch = 3, T = 6, r = 4;
    const lengths = [6, 4, 1];
    const mask = Array.from({ length: batch * T }, (_, i) => (i % T < lengths[Math.floor(i / T)] ? 1 : 0));
    const hidden = Float32Array.from({ length: batch * T * H }, () => gaussian(rng));
    const randomAdapter = (): LoraMatrices => {
      const m = (n: number) => Float32Array.from({ length: n }, () => 0.3 * gaussian(rng));
      return { r, aq: m(r * H), bq: m(H * r), av: m(r * H), bv: m(H * r) };
    };

    /** Worst |TS − ORT| over the real tokens: padded (additive mask) and unpadded (length-T sequence) TS runs. */
    async function worstDiff(adapters: LoraMatrices[] | null): Promise<number> {
      const runner = await createTopRunner(ort, bytes, H, k);
      const want = await runner.run(hidden, mask, batch, T, adapters);
      await runner.release();
      const stack = new LayerStack(top.layers, r);
      let worst = 0;
      for (let b = 0; b < batch; b++) {
        const x = hidden.subarray(b * T * H, (b + 1) * T * H);
        const add = Float32Array.from(mask.slice(b * T, (b + 1) * T), (m) => (1 - m) * -10000);
        const padded = stack.forward(x, T, add, adapters ?? top.layers.map(() => null)).slice();
        const L = lengths[b];
        const alone = stack.forward(x.subarray(0, L * H), L, null, adapters ?? top.layers.map(() => null)).slice();
        for (let i = 0; i < L * H; i++) {
          const w = want[b * T * H + i];
          worst = Math.max(worst, Math.abs(padded[i] - w), Math.abs(alone[i] - w));
        }
      }
      return worst;
    }

    it('reads k layers with their shapes and the adapter inputs', () => {
      expect(k).toBeGreaterThan(0);
      expect(top.heads).toBeGreaterThan(0);
      expect(top.loraInputs[0]).toEqual(['lora_A_q_0', 'lora_B_q_0', 'lora_A_v_0', 'lora_B_v_0']);
      for (const l of top.layers) expect(l.w1.length).toBe(H * l.ff);
    });

    it('zero adapters: TS forward == ORT within 1e-4', async () => {
      expect(await worstDiff(null)).toBeLessThan(1e-4);
    });

    it('non-zero adapters: TS forward == ORT within 1e-4, and they do change the output', async () => {
      const adapters = top.layers.map(randomAdapter);
      expect(await worstDiff(adapters)).toBeLessThan(1e-4);
      const runner = await createTopRunner(ort, bytes, H, k);
      const base = await runner.run(hidden, mask, batch, T, null);
      const tuned = await runner.run(hidden, mask, batch, T, adapters);
      await runner.release();
      expect(Math.max(...base.map((v, i) => Math.abs(v - tuned[i])))).toBeGreaterThan(1e-2);
    });
  });
}
