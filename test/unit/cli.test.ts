/**
 * The real CLI binary (bin/ → compiled dist/), spawned as a user would, on the tiny model.
 */
import { describe, expect, it } from 'vitest';
import { TINY_MODEL } from '../helpers/paths.js';
import { runCli } from '../helpers/cli.js';

const run = (args: string[], stdin: string) => runCli(args, { stdin });

describe('inpage-classifier classify', () => {
  it('reads JSONL, writes one JSON line per row in order, logs only to stderr', async () => {
    const input = ['{"text":"I love it","id":"a"}', '{"text":"awful, broke at once"}', '{"text":""}'].join('\n');
    const { code, stdout, stderr } = await run(['classify', '--model', TINY_MODEL], input);
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(3);
    expect(lines[0].id).toBe('a');
    for (const l of lines) {
      expect(l.concepts.map((c: { concept: string }) => c.concept).sort()).toEqual(['negative', 'neutral', 'positive']);
    }
    expect(stderr).toMatch(/loaded in/);
  }, 60_000);

  it('reads CSV with a text column and reports unreadable rows without losing order', async () => {
    const csv = 'id,text\n1,"Great, really great"\n2,meh\n';
    const { code, stdout } = await run(['classify', '--model', TINY_MODEL, '--top-k', '1'], csv);
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.id)).toEqual(['1', '2']);
    expect(lines[0].concepts).toHaveLength(1);

    const bad = await run(['classify', '--model', TINY_MODEL], '{"text":"ok"}\n{"nope":1}\n{"text":"fine"}\n');
    expect(bad.code).toBe(2);
    const out = bad.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(out[1]).toEqual({ index: 1, error: 'missing "text"' });
    expect(out[2].concepts).toBeDefined();
  }, 60_000);

  it('uses the shipped default model when --model is omitted', async () => {
    const { code, stdout } = await run(['classify'], '{"text":"fine"}\n');
    expect(code).toBe(0);
    expect(JSON.parse(stdout).concepts).toHaveLength(3);
  }, 60_000);

  it('fails clearly on a missing model', async () => {
    const { code, stdout, stderr } = await run(['classify', '--model', '/nonexistent/model'], '{"text":"x"}\n');
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/config\.json: not found/);
  }, 60_000);
});
