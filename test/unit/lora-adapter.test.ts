/**
 * A LoRA adapter end to end on the shipped model ([G]): trained in Node from texts (bottom.onnx once per text, then
 * the CPU kernels), used as a classifier's head (bottom.onnx → top.onnx with the adapter's matrices, through ORT),
 * equal to the CPU kernels' scores, refused for another model, and trained and evaluated by the CLI.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-web';
import { beforeAll, describe, expect, it } from 'vitest';
import { HeadMismatchError, ModelLoadError } from '../../src/errors.js';
import { OnnxSession } from '../../src/infer/session.js';
import { applyHead } from '../../src/learn/apply.js';
import { readAdapterFile, type AdapterFile } from '../../src/lora/adapter-file.js';
import { bottomStates } from '../../src/lora/bottom-states.js';
import { pooledVectors } from '../../src/lora/embed.js';
import { readTopWeights } from '../../src/lora/onnx-weights.js';
import { LayerStack } from '../../src/lora/stack.js';
import { createTokenizer } from '../../src/text/tokenizer.js';
import { createClassifier, defaultModelDir, exportHead, fileStorage, importHead, listHeads, loadHead, openDataset, saveHead, trainLora } from '../../src/node/index.js';
import { runCli } from '../helpers/cli.js';
import { TINY_MODEL } from '../helpers/paths.js';

const MODEL = defaultModelDir();
const POS = ['Works great, I love it', 'Excellent value and fast delivery', 'Best purchase this year', 'Really happy with it',
  'Sturdy, pretty and cheap', 'My kids adore this toy', 'Five stars, would buy again', 'Perfect fit and finish'];
const NEG = ['Broke after two days', 'Terrible support, never again', 'Waste of money', 'It stopped charging at once',
  'Cheap plastic, cracked in a week', 'Arrived damaged and late', 'Awful smell, returned it', 'Does not work at all'];
const texts = [...POS, ...NEG];
const labels = texts.map((_, i) => [i < POS.length ? 'positive' : 'negative']);
const probe = ['I love how well it works', 'It broke and support ignored me', 'ok', 'A stirring, funny film.'];

let adapter: AdapterFile;

beforeAll(async () => {
  const res = await trainLora({ texts, labels }, { seed: 1, rank: 4, epochs: 2, validationSplit: 0 });
  adapter = JSON.parse(JSON.stringify(res.adapter)) as AdapterFile;
}, 120_000);

describe('LoRA adapter as a head', () => {
  it('trains from texts on the shipped model and records what it adapted', () => {
    expect(adapter.modelId).toBe('inpage-sentiment-mini');
    expect(adapter.model).toBe('public/models/inpage-sentiment-mini');
    expect(adapter.r).toBe(4);
    expect(adapter.layers).toHaveLength(adapter.k);
    expect(adapter.head.concepts).toEqual(['negative', 'positive']);
  });

  it('classifies through bottom.onnx → top.onnx, equal to the CPU kernels within 1e-4', async () => {
    const clf = await createClassifier({ model: MODEL, head: adapter });
    try {
      expect(clf.info.adapter).toEqual({ rank: 4, layers: adapter.k });
      expect(clf.info.device).toBe('wasm');
      expect(clf.info.dtype).toBe('fp32');
      const results = await clf.classify(probe);
      const got = results.map((r) => Object.fromEntries(r.concepts.map((c) => [c.concept, c.score])));

      const json = (f: string) => JSON.parse(readFileSync(join(MODEL, f), 'utf8'));
      const config = json('config.json');
      const tok = createTokenizer(json('tokenizer.json'), json('tokenizer_config.json'));
      const bottom = await OnnxSession.create(ort, readFileSync(join(MODEL, 'onnx/bottom.onnx')), 'bottom', { executionProviders: ['wasm'] });
      const H = config.hidden_size as number;
      const examples = await bottomStates((i, d) => bottom.runInt64(i, d, 'hidden_states').then((r) => r.data), tok, probe, H);
      await bottom.dispose();
      const top = readTopWeights(readFileSync(join(MODEL, 'onnx/top.onnx')), { heads: config.num_attention_heads });
      const { adapters } = readAdapterFile(adapter, { modelId: adapter.modelId, hidden: H, k: top.layers.length });
      const scores = applyHead(adapter.head, pooledVectors(new LayerStack(top.layers, 4), examples, adapters), H);
      probe.forEach((_, i) =>
        adapter.head.concepts.forEach((c, j) => expect(Math.abs(got[i][c] - scores[i * 2 + j])).toBeLessThan(1e-4)),
      );
      // The adapter changes the encoder: its embeddings differ from the base model's.
      const base = await createClassifier({ model: MODEL, dtype: 'fp32' });
      const [a, b] = [await clf.embed(probe), await base.embed(probe)];
      await base.dispose();
      let maxDiff = 0;
      for (let i = 0; i < a.data.length; i++) maxDiff = Math.max(maxDiff, Math.abs(a.data[i] - b.data[i]));
      expect(maxDiff).toBeGreaterThan(1e-4);
    } finally {
      await clf.dispose();
    }
  }, 120_000);

  it('is refused for another model, and needs the split graphs', async () => {
    await expect(createClassifier({ model: MODEL, head: { ...adapter, modelId: 'someone-else' } })).rejects.toBeInstanceOf(HeadMismatchError);
    await expect(createClassifier({ model: MODEL, head: { ...adapter, k: adapter.k + 1 } })).rejects.toBeInstanceOf(HeadMismatchError);
    const err = await createClassifier({ model: TINY_MODEL, head: adapter }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelLoadError);
    expect((err as ModelLoadError).message).toMatch(/bottom\.onnx/);
  }, 60_000);
});

describe('adapter versions in the dataset', () => {
  it('are saved, listed as lora, exported, imported and reloaded like heads; a broken one is refused', async () => {
    const ds = openDataset('lora-versions', { storage: fileStorage(mkdtempSync(join(tmpdir(), 'lora-ds-'))) });
    const rec = await saveHead(adapter, { name: 'lora v1' }, ds);
    expect(rec.head.concepts).toEqual(adapter.head.concepts);
    const [summary] = await listHeads(ds);
    expect(summary).toMatchObject({ id: rec.id, type: 'lora', modelId: 'inpage-sentiment-mini', name: 'lora v1' });
    expect(await loadHead(rec.id, ds)).toEqual(adapter);
    const copy = await importHead(await exportHead(rec.id, ds), { name: 'copy' }, ds);
    expect(await loadHead(copy.id, ds)).toEqual(adapter);
    const clf = await createClassifier({ model: MODEL, head: await loadHead(copy.id, ds) });
    expect(clf.info.adapter?.rank).toBe(4);
    await clf.dispose();
    const broken = { ...adapter, layers: adapter.layers.slice(1) };
    await expect(importHead(JSON.stringify(broken), {}, ds)).rejects.toMatchObject({ code: 'INVALID_DATA' });
  }, 60_000);
});

describe('CLI train --head lora / eval', () => {
  it('writes an adapter file that eval reads like a head file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lora-cli-'));
    const data = join(dir, 'train.jsonl');
    writeFileSync(data, texts.map((t, i) => JSON.stringify({ text: t, labels: labels[i] })).join('\n') + '\n');
    const out = join(dir, 'adapter.json');
    const train = await runCli(['train', '--head', 'lora', '--data', data, '--out', out, '--epochs', '1', '--rank', '2', '--validation-split', '0']);
    expect(train.stderr).toMatch(/trained a LoRA adapter \(rank 2/);
    expect(train.code).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8')).format).toBe('inpage-classifier/lora-adapter@1');
    const ev = await runCli(['eval', '--head', out, '--data', data, '--json']);
    expect(ev.code).toBe(0);
    expect(ev.stderr).toMatch(/LoRA rank 2/);
    const report = JSON.parse(ev.stdout);
    expect(report.count).toBe(texts.length);
    expect(report.accuracy).toBeGreaterThan(0.6);
    const bad = await runCli(['train', '--head', 'lora', '--data', data, '--out', out, '--rank', '0']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/--rank/);
  }, 180_000);
});
