#!/usr/bin/env node
// Rewrites golden.json's q8 embeddings after onnx/model_quantized.onnx is replaced (e.g. by the MatMulInteger
// variant), keeping the texts and the fp32 references untouched.
//   node tools/default-model/golden-q8.mjs public/models/inpage-sentiment-mini
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { embed, loadSession, loadTokenizer } from './lib.mjs';

const dir = process.argv[2];
const golden = JSON.parse(readFileSync(join(dir, 'golden.json'), 'utf8'));
const q8 = await loadSession(join(dir, 'onnx', 'model_quantized.onnx'));
const vecs = await embed(q8, loadTokenizer(dir), golden.texts, { batchSize: 8 });
golden.embeddings.q8 = vecs.map((v) => Array.from(v, (x) => Math.round(x * 1e6) / 1e6));
writeFileSync(join(dir, 'golden.json'), JSON.stringify(golden));
console.error(`golden.json: q8 embeddings of ${golden.texts.length} texts rewritten`);
