// Shared Node helpers for the default-model recipe: onnxruntime-web (WASM, 1 thread) + @huggingface/tokenizers.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-web';
import { Tokenizer } from '@huggingface/tokenizers';

ort.env.wasm.numThreads = 1;
ort.env.logLevel = 'error';
export { ort };

export function loadTokenizer(dir) {
  const tj = JSON.parse(readFileSync(join(dir, 'tokenizer.json'), 'utf8'));
  const tc = JSON.parse(readFileSync(join(dir, 'tokenizer_config.json'), 'utf8'));
  return new Tokenizer(tj, tc);
}

export async function loadSession(path) {
  return ort.InferenceSession.create(new Uint8Array(readFileSync(path)), { executionProviders: ['wasm'] });
}

/** ids with [CLS] ... [SEP], truncated to maxLength keeping the final [SEP]. */
export function encodeIds(tokenizer, text, maxLength = 128) {
  const ids = tokenizer.encode(text).ids;
  if (ids.length <= maxLength) return ids;
  return [...ids.slice(0, maxLength - 1), ids[ids.length - 1]];
}

/** Runs the encoder on padded batches; returns { hidden (per-batch raw outputs), pooled: Float32Array[] }. */
export async function embed(session, tokenizer, texts, { batchSize = 32, maxLength = 128, normalize = true, idsList = null } = {}) {
  const ids = idsList ?? texts.map((t) => encodeIds(tokenizer, t, maxLength));
  const order = ids.map((_, i) => i).sort((a, b) => ids[a].length - ids[b].length || a - b);
  const out = new Array(ids.length);
  const outName = session.outputNames[0];
  for (let s = 0; s < order.length; s += batchSize) {
    const idx = order.slice(s, s + batchSize);
    const T = Math.max(...idx.map((i) => ids[i].length));
    const B = idx.length;
    const inp = new BigInt64Array(B * T);
    const mask = new BigInt64Array(B * T);
    idx.forEach((i, b) => ids[i].forEach((v, t) => { inp[b * T + t] = BigInt(v); mask[b * T + t] = 1n; }));
    const res = await session.run({
      input_ids: new ort.Tensor('int64', inp, [B, T]),
      attention_mask: new ort.Tensor('int64', mask, [B, T]),
    });
    const h = res[outName].data;
    const H = res[outName].dims[2];
    idx.forEach((i, b) => {
      const v = new Float32Array(H);
      const n = ids[i].length;
      for (let t = 0; t < n; t++) for (let d = 0; d < H; d++) v[d] += h[(b * T + t) * H + d];
      for (let d = 0; d < H; d++) v[d] /= n;
      if (normalize) {
        let nn = 0;
        for (let d = 0; d < H; d++) nn += v[d] * v[d];
        nn = Math.max(Math.sqrt(nn), 1e-12);
        for (let d = 0; d < H; d++) v[d] /= nn;
      }
      out[i] = v;
    });
  }
  return out;
}

/** Undo SST/PTB tokenisation (mirror of tools/default-model/data.py detok). */
const PTB = [
  [/-lrb-/gi, '('], [/-rrb-/gi, ')'], [/-lsb-/gi, '['], [/-rsb-/gi, ']'], [/-lcb-/gi, '{'], [/-rcb-/gi, '}'],
  [/``|''/g, '"'], [/\\\//g, '/'], [/\\\*/g, '*'],
  [/ (n't)\b/gi, '$1'],
  [/\b(ca|wo|do|does|did|is|are|was|were|have|has|had|could|would|should|must|need|ai|sha) n ?'t\b/gi, "$1n't"],
  [/ ('(?:s|re|ve|ll|d|m))\b/gi, '$1'],
  [/ ([,.!?;:%])/g, '$1'], [/\( /g, '('], [/ \)/g, ')'], [/\$ (?=\d)/g, '$'], [/ +/g, ' '],
];
export function detok(text) {
  let t = ' ' + text.trim() + ' ';
  for (const [rx, rep] of PTB) t = t.replace(rx, rep);
  return t.trim();
}

export function readJsonl(path) {
  return readFileSync(path, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
}

export function applyHead(head, x) {
  const logits = head.weights.map((w, c) => w.reduce((s, wi, d) => s + wi * x[d], head.bias[c]));
  return logits;
}
