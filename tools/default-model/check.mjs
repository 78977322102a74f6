// Build-time checks (called by build.py): JS token ids == Python ids, onnxruntime-web == torch, int8 drift,
// split-export parity, qdq vs MatMulInteger speed; writes <model>/golden.json and <work>/check.md.
// usage: node tools/default-model/check.mjs <modelDir> <check.json> [matmulinteger.onnx]
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ort, loadTokenizer, loadSession, embed, encodeIds } from './lib.mjs';

const [dir, checkPath, qintPath] = process.argv.slice(2);
const ck = JSON.parse(readFileSync(checkPath, 'utf8'));
const tok = loadTokenizer(dir);
const lines = [];
let fail = false;
const note = (s) => { lines.push(s); console.log(s); };

// 1. token ids
let idMismatch = 0;
ck.texts.forEach((t, i) => {
  const js = encodeIds(tok, t, 128);
  const py = ck.ids[i];
  if (js.length !== py.length || js.some((v, j) => v !== py[j])) {
    idMismatch++;
    console.log(`ids differ for ${JSON.stringify(t).slice(0, 80)}\n  js ${JSON.stringify(js).slice(0, 200)}\n  py ${JSON.stringify(py).slice(0, 200)}`);
  }
});
note(`- token ids, JS vs Python, ${ck.texts.length} check sentences: ${idMismatch} mismatches`);
if (idMismatch) fail = true;

// 2. ORT vs torch
const fp32 = await loadSession(join(dir, 'onnx', 'model.onnx'));
const q8 = await loadSession(join(dir, 'onnx', 'model_quantized.onnx'));
const e32 = await embed(fp32, tok, ck.texts, { batchSize: 1, idsList: ck.ids });
let maxd = 0;
e32.forEach((v, i) => v.forEach((x, d) => { maxd = Math.max(maxd, Math.abs(x - ck.embeddings[i][d])); }));
note(`- onnxruntime-web fp32 vs torch, pooled+normalised, ${ck.texts.length} texts one by one: max |diff| ${maxd.toExponential(2)}`);
if (maxd > 1e-4) fail = true;
{
  const ids = ck.ids.slice(0, ck.batch_size);
  const T = Math.max(...ids.map((s) => s.length));
  const B = ids.length;
  const inp = new BigInt64Array(B * T), mask = new BigInt64Array(B * T);
  ids.forEach((s, b) => s.forEach((v, t) => { inp[b * T + t] = BigInt(v); mask[b * T + t] = 1n; }));
  const r = await fp32.run({ input_ids: new ort.Tensor('int64', inp, [B, T]), attention_mask: new ort.Tensor('int64', mask, [B, T]) });
  const h = r.last_hidden_state.data, H = r.last_hidden_state.dims[2];
  let m = 0;
  ck.batch_last_hidden_state.forEach((row, b) => row.forEach((tv, t) => tv.forEach((x, d) => { m = Math.max(m, Math.abs(x - h[(b * T + t) * H + d])); })));
  note(`- onnxruntime-web fp32 vs torch, last_hidden_state of a padded batch [${B}, ${T}, ${H}]: max |diff| ${m.toExponential(2)}`);
  if (m > 1e-4) fail = true;
}
// 3. int8 drift
const e8 = await embed(q8, tok, ck.texts, { batchSize: 1, idsList: ck.ids });
let minCos = 1;
e8.forEach((v, i) => { let c = 0; v.forEach((x, d) => { c += x * e32[i][d]; }); minCos = Math.min(minCos, c); });
note(`- int8 (model_quantized.onnx) vs fp32: min cosine ${minCos.toFixed(5)} over ${ck.texts.length} texts`);

// 4. golden.json
const round6 = (v) => Array.from(v, (x) => Math.round(x * 1e6) / 1e6);
const g32 = await embed(fp32, tok, ck.golden_texts, { batchSize: 8 });
const g8 = await embed(q8, tok, ck.golden_texts, { batchSize: 8 });
writeFileSync(join(dir, 'golden.json'), JSON.stringify({ texts: ck.golden_texts, pooling: 'mean', normalize: true,
  embeddings: { fp32: g32.map(round6), q8: g8.map(round6) } }) + '\n');
note(`- golden.json: ${ck.golden_texts.length} texts, fp32 + q8 embeddings from onnxruntime-web`);

// 5. split export parity (bottom -> top with zero LoRA == full)
if (existsSync(join(dir, 'onnx', 'top.onnx'))) {
  const bottom = await loadSession(join(dir, 'onnx', 'bottom.onnx'));
  const top = await loadSession(join(dir, 'onnx', 'top.onnx'));
  const ids = ck.ids.slice(0, 8);
  const T = Math.max(...ids.map((s) => s.length)), B = ids.length;
  const inp = new BigInt64Array(B * T), mask = new BigInt64Array(B * T);
  ids.forEach((s, b) => s.forEach((v, t) => { inp[b * T + t] = BigInt(v); mask[b * T + t] = 1n; }));
  const feeds = { input_ids: new ort.Tensor('int64', inp, [B, T]), attention_mask: new ort.Tensor('int64', mask, [B, T]) };
  const full = (await fp32.run(feeds)).last_hidden_state;
  const hs = (await bottom.run(feeds)).hidden_states;
  const H = hs.dims[2];
  for (const r of [4, 1]) {
    const tf = { hidden_states: hs, attention_mask: feeds.attention_mask };
    for (const nm of top.inputNames.filter((n) => n.startsWith('lora_'))) {
      tf[nm] = nm.startsWith('lora_A') ? new ort.Tensor('float32', new Float32Array(r * H), [r, H]) : new ort.Tensor('float32', new Float32Array(H * r), [H, r]);
    }
    const o = (await top.run(tf)).last_hidden_state.data;
    let m = 0;
    full.data.forEach((x, i) => { m = Math.max(m, Math.abs(x - o[i])); });
    note(`- split export: bottom.onnx -> top.onnx (zero LoRA, r=${r}) vs model.onnx: max |diff| ${m.toExponential(2)}`);
    if (m > 1e-4) fail = true;
  }
}

// 6. speed: fp32 vs the shipped int8 (MatMulInteger) vs the other int8 variant (DequantizeLinear), batch of 32 texts
{
  const texts = Array.from({ length: 32 }, (_, i) => ck.golden_texts[i % 8] + ' ' + ck.golden_texts[(i * 3) % 8]);
  const ids = texts.map((t) => encodeIds(tok, t, 128));
  const variants = [['fp32 model.onnx', fp32], ['int8 DynamicQuantizeLinear+MatMulInteger (model_quantized.onnx)', q8]];
  let qi = null;
  if (qintPath && existsSync(qintPath)) { qi = await loadSession(qintPath); variants.push(['int8 DequantizeLinear (not shipped)', qi]); }
  const res = [];
  for (const [name, s] of variants) {
    for (const bs of [32, 1]) {
      await embed(s, tok, texts, { batchSize: bs, idsList: ids });
      const times = [];
      for (let k = 0; k < 5; k++) { const t0 = performance.now(); await embed(s, tok, texts, { batchSize: bs, idsList: ids }); times.push(performance.now() - t0); }
      times.sort((a, b) => a - b);
      res.push(`| ${name} | ${bs} | ${times[2].toFixed(1)} |`);
    }
  }
  if (qi) {
    const ei = await embed(qi, tok, ck.texts, { batchSize: 1, idsList: ck.ids });
    let mc = 1;
    ei.forEach((v, i) => { let c = 0; v.forEach((x, d) => { c += x * e32[i][d]; }); mc = Math.min(mc, c); });
    note(`- int8 DequantizeLinear variant (not shipped) vs fp32: min cosine ${mc.toFixed(5)}`);
  }
  note('\nSpeed, onnxruntime-web 1.30 WASM in Node, 1 thread, 32 texts (median of 5 runs):\n');
  note('| model | batch | ms for 32 texts |\n| --- | --- | --- |');
  res.forEach(note);
}
writeFileSync(join(dirname(checkPath), 'check.md'), lines.join('\n') + '\n');
if (fail) { console.error('CHECK FAILED'); process.exit(1); }
