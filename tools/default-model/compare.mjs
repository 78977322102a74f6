#!/usr/bin/env node
// Rebuild check: compares two builds of a default-model folder (e.g. the committed one and a fresh rebuild).
//
//   node tools/default-model/compare.mjs <modelA> <modelB> [--texts test/fixtures/int8-gate.jsonl] [--tol 1e-4]
//
// Prints which files are byte-identical, the max |difference| of golden.json's vectors, and the max |difference|
// of the pooled, L2-normalised fp32 and q8 vectors of both models (onnxruntime-web, 1 thread) on --texts (JSONL
// with a "text" field; default the 300-row int8 gate set). Exits 1 when a difference exceeds --tol.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadTokenizer, loadSession, embed } from './lib.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const pos = [];
const opt = { texts: join(ROOT, 'test', 'fixtures', 'int8-gate.jsonl'), tol: '1e-4' };
for (let i = 2; i < process.argv.length; i++) {
  if (process.argv[i].startsWith('--')) opt[process.argv[i].slice(2)] = process.argv[++i];
  else pos.push(process.argv[i]);
}
if (pos.length !== 2) { console.error('usage: compare.mjs <modelA> <modelB> [--texts file.jsonl] [--tol 1e-4]'); process.exit(2); }
const [A, B] = pos;
const tol = Number(opt.tol);

const files = (dir) => {
  const out = [];
  const walk = (d) => readdirSync(d).forEach((f) => { const p = join(d, f); if (statSync(p).isDirectory()) walk(p); else out.push(relative(dir, p)); });
  walk(dir);
  return out.filter((f) => f !== 'PROVENANCE.md').sort();
};
// head.json carries its build time (createdAt): compared without it
const sha = (p) => {
  let bytes = readFileSync(p);
  if (p.endsWith('head.json')) { const h = JSON.parse(bytes.toString('utf8')); delete h.createdAt; bytes = Buffer.from(JSON.stringify(h)); }
  return createHash('sha256').update(bytes).digest('hex');
};
const same = [], differ = [];
for (const f of files(A)) {
  if (!existsSync(join(B, f))) { differ.push(`${f} (missing in B)`); continue; }
  (sha(join(A, f)) === sha(join(B, f)) ? same : differ).push(f);
}
console.log(`byte-identical (head.json without createdAt): ${same.length}/${same.length + differ.length} files${differ.length ? `; different: ${differ.join(', ')}` : ''}`);

let worst = 0;
const maxDiff = (x, y) => { let m = 0; x.forEach((v, i) => v.forEach((a, d) => { m = Math.max(m, Math.abs(a - y[i][d])); })); return m; };
const gA = JSON.parse(readFileSync(join(A, 'golden.json'), 'utf8')), gB = JSON.parse(readFileSync(join(B, 'golden.json'), 'utf8'));
for (const k of ['fp32', 'q8']) {
  const m = maxDiff(gA.embeddings[k], gB.embeddings[k]);
  worst = Math.max(worst, m);
  console.log(`golden.json ${k}: max |diff| ${m.toExponential(2)} over ${gA.texts.length} texts`);
}
const texts = readFileSync(opt.texts, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l).text);
for (const [k, file] of [['fp32', 'model.onnx'], ['q8', 'model_quantized.onnx']]) {
  const eA = await embed(await loadSession(join(A, 'onnx', file)), loadTokenizer(A), texts);
  const eB = await embed(await loadSession(join(B, 'onnx', file)), loadTokenizer(B), texts);
  const m = maxDiff(eA, eB);
  worst = Math.max(worst, m);
  console.log(`pooled ${k} vectors: max |diff| ${m.toExponential(2)} over ${texts.length} texts (${relative(ROOT, resolve(opt.texts))})`);
}
console.log(worst <= tol ? `within tolerance ${tol}` : `OVER tolerance ${tol}`);
process.exit(worst <= tol ? 0 : 1);
