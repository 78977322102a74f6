#!/usr/bin/env node
/**
 * Performance benchmark (issue [F]): ours vs transformers.js vs a raw ORT session, side by side in one run, same
 * Chromium, same ONNX files, same texts (amazon-alexa reviews from ../shared/data, file order), same dtype and threads,
 * every side in its own worker on a cross-origin-isolated page. Prints markdown tables and the canonical lines.
 *
 *   npm run bench          # quick: throughput + latency + roofline, both models, q8 and fp32 (< 10 min)
 *   npm run bench:full     # + cold start, memory, head training, 2 threads
 *
 * Needs `npm run prepare` (dist/ for Node helpers), the default model, and the MiniLM-shaped model and roofline graphs
 * built by `tools/minilm-shape/*.py` (run automatically when missing and Debian's python3-torch is installed).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Tokenizer } from '@huggingface/tokenizers';
import { chromium } from 'playwright-core';
import { createServer } from 'vite';
import { planBatches } from '../dist/lib/src/text/batching.js';

const root = resolve(import.meta.dirname, '..');
const { values: opt } = parseArgs({
  options: {
    full: { type: 'boolean', default: false },
    threads: { type: 'string' },
    n: { type: 'string', default: '256' },
    models: { type: 'string' }, // e.g. --models minilm
    dtypes: { type: 'string', default: 'q8,fp32' },
    'extras-only': { type: 'boolean', default: false }, // only the --full rows (memory, cold start, training)
  },
});
const N = Number(opt.n);
const threadSets = opt.threads ? [Number(opt.threads)] : opt.full ? [1, 2] : [1];
const log = (s) => process.stderr.write(`${s}\n`);

// ---------------------------------------------------------------- inputs
const MODELS = [
  { name: 'inpage-sentiment-mini (default)', key: 'default', dir: 'public/models/inpage-sentiment-mini' },
  { name: 'MiniLM-L6 shape (random)', key: 'minilm', dir: 'build/bench-models/minilm-shape' },
];
function ensureBuilt(path, script) {
  if (existsSync(resolve(root, path))) return true;
  try {
    log(`building ${path} with ${script} …`);
    execFileSync('/usr/bin/python3', [resolve(root, script)], { stdio: 'inherit' });
    return existsSync(resolve(root, path));
  } catch {
    log(`cannot build ${path}: install python3-torch python3-onnx (apt) and run ${script}`);
    return false;
  }
}
const models = MODELS.filter((m) => !opt.models || opt.models.split(',').includes(m.key)).filter((m) =>
  m.key === 'minilm' ? ensureBuilt(`${m.dir}/onnx/model.onnx`, 'tools/minilm-shape/build.py') : existsSync(resolve(root, m.dir)),
);
const haveRoofline = ensureBuilt('build/bench-models/roofline/matmul_fp32.onnx', 'tools/minilm-shape/roofline.py');
const texts = readFileSync(resolve(root, '../shared/data/amazon-alexa/shared.jsonl'), 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l).text)
  .filter((t) => t.trim())
  .slice(0, N);
const shortReview = 'Love my Echo! Sound is great and setup took two minutes.';

// ---------------------------------------------------------------- FLOP counting from shapes
function modelShape(dir) {
  const c = JSON.parse(readFileSync(resolve(root, dir, 'config.json'), 'utf8'));
  return { H: c.hidden_size, L: c.num_hidden_layers, FF: c.intermediate_size, E: c.inpage?.embedding_size ?? c.hidden_size, heads: c.num_attention_heads };
}
/** FLOPs of one sequence of T tokens: QKVO + FFN GEMMs, attention scores and context, embedding projection. */
function seqFlops({ H, L, FF, E }, T) {
  const layer = 2 * T * H * 4 * H + 2 * T * H * 2 * FF + 2 * 2 * T * T * H;
  return L * layer + (E !== H ? 2 * T * E * H : 0);
}
function tokenLengths(dir) {
  const tok = new Tokenizer(
    JSON.parse(readFileSync(resolve(root, dir, 'tokenizer.json'), 'utf8')),
    JSON.parse(readFileSync(resolve(root, dir, 'tokenizer_config.json'), 'utf8')),
  );
  const max = Math.min(JSON.parse(readFileSync(resolve(root, dir, 'config.json'), 'utf8')).max_position_embeddings, 512);
  return texts.map((t) => Math.min(tok.encode(t).ids.length, max));
}
/** Bytes of one layer's attention scores for the largest call at batch b when every text is padded to the longest. */
function attentionBytes({ heads }, lengths, batch) {
  let max = 0;
  for (let i = 0; i < lengths.length; i += batch) {
    const chunk = lengths.slice(i, i + batch);
    max = Math.max(max, chunk.length * heads * Math.max(...chunk) ** 2 * 4);
  }
  return max;
}
const skipped = [];

/** Useful FLOPs (each text at its own length) and executed FLOPs per side at a batch size. */
function flopsAt(shape, lengths, batch) {
  let useful = 0;
  let naive = 0;
  let ours = 0;
  for (let i = 0; i < lengths.length; i += batch) {
    const chunk = lengths.slice(i, i + batch);
    useful += chunk.reduce((s, T) => s + seqFlops(shape, T), 0);
    naive += chunk.length * seqFlops(shape, Math.max(...chunk));
    const seqs = chunk.map((T) => ({ ids: new Array(T).fill(1), text: 0 }));
    for (const b of planBatches(seqs, 8192)) ours += b.rows.length * seqFlops(shape, b.length);
  }
  return { useful, naive, ours };
}

// ---------------------------------------------------------------- browser
const server = await createServer({ root, configFile: resolve(root, 'vite.config.ts'), logLevel: 'error', server: { port: 0, hmr: false } }); // no HMR: an edited file must not reload a page mid-run
await server.listen();
const base = `http://127.0.0.1:${server.httpServer.address().port}`;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic', '--enable-features=SharedArrayBuffer'],
});
async function openPage() {
  const page = await browser.newPage();
  page.on('pageerror', (e) => log(`[pageerror] ${e.message}`));
  page.on('response', (r) => {
    const type = r.headers()['content-type'] ?? '';
    if (r.status() >= 400 || (type.includes('text/html') && !r.url().endsWith('.html'))) log(`[http ${r.status()}] ${r.url()}`);
  });
  await page.goto(`${base}/bench/pages/bench.html`);
  await page.waitForFunction(() => window.ready === true, null, { timeout: 120_000 });
  return page;
}
const page = await openPage();
const call = (fn, ...args) => page.evaluate(([fn, args]) => window.bench[fn](...args), [fn, args]);

const out = [];
const print = (s = '') => {
  out.push(s);
  console.log(s);
};
const versions = {};
const fx = (x, d = 1) => (x == null ? '–' : x.toFixed(d));
const started = Date.now();

print(`# inpage-classifier benchmark — ${new Date().toISOString().slice(0, 10)}`);
print(`${cpus().length}× ${cpus()[0].model}, Chromium (Debian, headless), ${texts.length} amazon-alexa reviews in file order, WASM, page cross-origin isolated; load average at start ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);

// ---------------------------------------------------------------- roofline
const gemm = {};
if (haveRoofline && !opt['extras-only']) {
  for (const t of threadSets) {
    for (const kind of ['fp32', 'int8']) {
      const ms = await call('matmul', `/build/bench-models/roofline/matmul_${kind}.onnx`, 2048, 10, t);
      gemm[`${kind}/${t}`] = (2 * 2048 * 384 * 1536) / (ms / 1000);
    }
  }
}

// ---------------------------------------------------------------- throughput
const batches = [1, 8, 32, 256];
const canonical = [];
for (const model of opt['extras-only'] ? [] : models) {
  const shape = modelShape(model.dir);
  const lengths = tokenLengths(model.dir);
  for (const threads of threadSets) {
    for (const dtype of opt.dtypes.split(',')) {
      print();
      print(`## ${model.name}, ${dtype}, ${threads} thread(s) — load avg ${loadavg()[0].toFixed(2)}`);
      print('| batch | ours embed texts/s | transformers.js | raw ORT | ours ÷ t.js | ours ÷ raw | ours classify texts/s | padding waste ours / t.js | useful-FLOP efficiency ours / t.js |');
      print('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
      const res = {};
      for (const side of ['ours', 'tjs', 'raw']) {
        versions[side] = await call('open', side, `/${model.dir}/`, dtype, threads);
        res[side] = {};
        for (const b of batches) {
          const sub = b === 1 ? texts.slice(0, 64) : texts;
          // Padding every text of a call to its longest makes the attention scores alone b × heads × L² floats: past
          // ~1.5 GB a 4 GB wasm heap stalls or dies, so such a row is reported instead of run.
          const need = side === 'ours' ? 0 : attentionBytes(shape, lengths, b);
          if (need > 1.5e9) {
            res[side][b] = null;
            skipped.push(`${side === 'tjs' ? 'transformers.js' : 'raw ORT'} at batch ${b} on ${model.name}: padded attention needs ${(need / 1e9).toFixed(1)} GB`);
            continue;
          }
          res[side][b] = await call('throughput', sub, b, 'embed');
          if (side === 'ours') res.classify = { ...res.classify, [b]: model.key === 'default' ? await call('throughput', sub, b, 'classify') : null };
        }
      }
      const rate = gemm[`${dtype === 'q8' ? 'int8' : 'fp32'}/${threads}`];
      for (const b of batches) {
        const f = flopsAt(shape, b === 1 ? lengths.slice(0, 64) : lengths, b);
        const n = b === 1 ? 64 : texts.length;
        const eff = (side) => (rate && res[side][b] != null ? ((f.useful / n) * res[side][b]) / rate : null);
        const ratio = (a, c) => (a != null && c != null ? `${fx(a / c, 2)}×` : '–');
        print(
          `| ${b} | ${fx(res.ours[b])} | ${fx(res.tjs[b])} | ${fx(res.raw[b])} | ${ratio(res.ours[b], res.tjs[b])} | ${ratio(res.ours[b], res.raw[b])} | ${fx(res.classify?.[b])} | ${fx(f.ours / f.useful, 2)} / ${fx(f.naive / f.useful, 2)} | ${rate ? `${fx(eff('ours') * 100, 0)} % / ${eff('tjs') == null ? '–' : `${fx(eff('tjs') * 100, 0)} %`}` : '–'} |`,
        );
      }
      if (threads === threadSets[0] && dtype === 'q8') {
        canonical.push(`throughput vs transformers.js (embed, batch 32, ${model.key === 'default' ? 'inpage-sentiment-mini' : 'minilm-l6-shape'}, wasm): ${(res.ours[32] / res.tjs[32]).toFixed(2)}×`);
      }
      if (dtype === 'q8' && threads === threadSets[0]) {
        // Same texts through both: a sanity check that the two sides compute the same embeddings.
        await call('open', 'ours', `/${model.dir}/`, dtype, threads);
        const a = await call('embeddings', texts.slice(0, 16));
        await call('open', 'tjs', `/${model.dir}/`, dtype, threads);
        const bvec = await call('embeddings', texts.slice(0, 16));
        const d = a.length / 16;
        let minCos = 1;
        for (let i = 0; i < 16; i++) {
          let dot = 0;
          for (let k = 0; k < d; k++) dot += a[i * d + k] * bvec[i * d + k];
          minCos = Math.min(minCos, dot);
        }
        print(`\nSame embeddings as transformers.js on 16 reviews: min cosine ${minCos.toFixed(6)}.`);
        const lat = {};
        for (const side of ['ours', 'tjs']) {
          await call('open', side, `/${model.dir}/`, dtype, threads);
          lat[side] = await call('latency', shortReview, 60);
        }
        print(`Latency, one short review, warm (p50 / p95 ms): ours ${fx(lat.ours.p50, 2)} / ${fx(lat.ours.p95, 2)}, transformers.js ${fx(lat.tjs.p50, 2)} / ${fx(lat.tjs.p95, 2)}.`);
      }
      await call('close');
    }
  }
}

if (haveRoofline && !opt['extras-only']) {
  print();
  print('## Roofline: one MatMul [2048 × 384] × [384 × 1536], same backend');
  print('| threads | fp32 GFLOP/s | int8 (DynamicQuantizeLinear + MatMulInteger) GFLOP/s |');
  print('| ---: | ---: | ---: |');
  for (const t of threadSets) print(`| ${t} | ${fx(gemm[`fp32/${t}`] / 1e9)} | ${fx(gemm[`int8/${t}`] / 1e9)} |`);
  print('Useful-FLOP efficiency above = (useful FLOPs per text × texts/s) ÷ this GEMM rate (int8 rate for q8 rows).');
}

// ---------------------------------------------------------------- full-only rows
if (opt.full || opt['extras-only']) {
  const model = `/${models[0].dir}/`;
  print();
  print('## Memory (whole page incl. workers and wasm, performance.measureUserAgentSpecificMemory)');
  await call('open', 'ours', model, 'q8', 1);
  const mem = [];
  let done = 0;
  for (const target of [100, 1000, 10000]) {
    while (done < target) {
      const k = Math.min(256, target - done);
      await page.evaluate((t) => window.bench.throughput(t, t.length, 'classify'), texts.slice(0, k));
      done += k;
    }
    mem.push([target, await call('memory')]);
  }
  print(`| classifications | ${mem.map(([n]) => n).join(' | ')} |`);
  print(`| --- | ${mem.map(() => '---:').join(' | ')} |`);
  print(`| MB | ${mem.map(([, b]) => (b == null ? '–' : (b / 1e6).toFixed(1))).join(' | ')} |`);
  const cycles = [];
  for (let i = 0; i < 20; i++) {
    await call('open', 'ours', model, 'q8', 1);
    await call('throughput', texts.slice(0, 8), 8, 'embed');
    await call('close');
    if (i % 5 === 4) cycles.push(await call('memory'));
  }
  print(`Load/dispose cycles (after 5/10/15/20): ${cycles.map((b) => (b == null ? '–' : `${(b / 1e6).toFixed(1)} MB`)).join(', ')}.`);

  print();
  print('## Cold start (new page → first result; model already in our Cache Storage)');
  const cold = await browser.newPage();
  await cold.goto(`${base}/bench/pages/bench.html`);
  await cold.waitForFunction(() => window.ready === true);
  await cold.evaluate((m) => window.bench.open('ours', m, 'q8', 1), model).catch(() => undefined);
  const coldMs = [];
  for (let i = 0; i < 3; i++) {
    await cold.goto(`${base}/bench/pages/bench.html`);
    await cold.waitForFunction(() => window.ready === true);
    coldMs.push(
      await cold.evaluate(async (m) => {
        const { createClassifier } = await import('/src/index.ts');
        const clf = await createClassifier({ model: m, dtype: 'q8', threads: 1 });
        await clf.classify(['first']);
        const t = performance.now();
        await clf.dispose();
        return t;
      }, model),
    );
  }
  print(`Page navigation start → first classification: ${coldMs.map((x) => `${x.toFixed(0)} ms`).join(', ')} (Vite dev server; a production build loads fewer modules).`);
  await cold.close();

  print();
  print('## Head training in the training worker (256-d vectors, 3 concepts, linear / mlp)');
  for (const n of [1000, 10000]) {
    const r = await page.evaluate(async (n) => {
      const dim = 256;
      const data = new Float32Array(n * dim);
      const labels = [];
      for (let i = 0; i < n; i++) {
        const c = i % 3;
        for (let d = 0; d < dim; d++) data[i * dim + d] = Math.sin(i * 7.1 + d) + (d % 3 === c ? 0.8 : 0);
        labels.push([['negative', 'neutral', 'positive'][c]]);
      }
      const out = {};
      for (const type of ['linear', 'mlp']) {
        const t0 = performance.now();
        await window.bench.trainHead({ data, dim, labels }, { modelId: 'bench', type, seed: 1 });
        out[type] = performance.now() - t0;
      }
      return out;
    }, n);
    print(`${n} examples: linear ${r.linear.toFixed(0)} ms, mlp ${r.mlp.toFixed(0)} ms.`);
  }
}

if (skipped.length) print(`\nNot run (would exhaust the wasm heap): ${skipped.join('; ')}.`);
print();
print(`Versions: ${Object.entries(versions).map(([k, v]) => `${k}: ${v}`).join('; ')}. onnxruntime-web pinned for both sides by npm overrides.`);
print(`Set-up of transformers.js: pipeline('feature-extraction', { dtype, device: 'wasm' }), call option { pooling: 'mean', normalize: true }, local files (allowRemoteModels false, browser cache off), local asyncify wasm paths, same numThreads.`);
for (const line of canonical) print(line);
print(`(${((Date.now() - started) / 1000).toFixed(0)} s)`);
await browser.close();
await server.close();
