/**
 * The npm package from the outside: `npm pack`, install the tarball into a fresh Vite app (default config, offline
 * from the npm cache), `vite build`, serve the output statically under a strict CSP, and run it in Chromium. This is
 * where worker and wasm paths of libraries break for their users.
 */
import { execFile, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch } from '../browser/chromium.js';
import { ROOT } from '../helpers/paths.js';
import { serveStatic, type StaticServer } from './static-server.js';

const run = promisify(execFile);
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  exports: Record<string, string | Record<string, string>>;
  sideEffects: unknown;
};
const viteVersion = (JSON.parse(readFileSync(join(ROOT, 'node_modules/vite/package.json'), 'utf8')) as { version: string }).version;

let work: string;
let app: string;
let packed: string[];
let browser: Browser | undefined;
let server: StaticServer | undefined;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'inpage-package-'));
  // `npm pack` runs `prepare` (tsc), so the tarball holds freshly compiled files.
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', work], { cwd: ROOT, maxBuffer: 1 << 24 });
  const [info] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];
  packed = info.files.map((f) => f.path);
  app = join(work, 'app');
  cpSync(join(ROOT, 'test/package/app'), app, { recursive: true });
  // Offline-friendly: every dependency is already in the npm cache from this repo's own install.
  await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', join(work, info.filename), `vite@${viteVersion}`], { cwd: app });
  // The README's one step: serve the shipped model next to the page.
  cpSync(join(app, 'node_modules/inpage-classifier/public/models'), join(app, 'public/models'), { recursive: true });
  await run(process.execPath, [join(app, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], { cwd: app });
  server = await serveStatic({ mounts: { '/': join(app, 'dist') } });
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** A free TCP port on 127.0.0.1. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** Opens the app, waits for main.js to finish, and returns its output and the page's problems. */
async function runApp(url: string): Promise<{ state: string | undefined; out: string; problems: string[] }> {
  const page = await browser!.newPage();
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  await page.goto(url);
  await page.waitForFunction(() => document.body.dataset.state, null, { timeout: 120_000 });
  await page.waitForFunction(() => document.querySelector('inpage-classifier')?.shadowRoot?.querySelectorAll('li').length, null, {
    timeout: 60_000,
  });
  const state = await page.evaluate(() => document.body.dataset.state);
  const out = await page.$eval('#out', (el) => el.textContent ?? '');
  await page.close();
  return { state, out, problems };
}

describe('npm package', () => {
  it('packs only what users need', () => {
    for (const need of [
      'dist/lib/src/index.js',
      'dist/lib/src/index.d.ts',
      'dist/lib/src/node/index.js',
      'dist/lib/src/widget/index.js',
      'dist/lib/workers/inference.worker.js',
      'dist/lib/workers/training.worker.js',
      'public/models/inpage-sentiment-mini/config.json',
      'bin/inpage-classifier.js',
      'package.json',
    ]) {
      expect(packed).toContain(need);
    }
    expect(packed.filter((p) => /\.map$|\.ts$(?<!\.d\.ts)|^(src|test|tools|bench|app|node_modules)\//.test(p))).toEqual([]);
  });

  it('declares ESM exports with types first, and no side effects', () => {
    expect(pkg.sideEffects).toBe(false);
    for (const [key, target] of Object.entries(pkg.exports)) {
      if (typeof target === 'object') expect(Object.keys(target)[0], key).toBe('types');
    }
  });

  it('works in Node from the installed tarball, with the shipped model', async () => {
    const script = `
      import { createClassifier } from 'inpage-classifier';
      const clf = await createClassifier();
      const [r] = await clf.classify(['The battery died after two days.']);
      console.log(JSON.stringify({ concepts: clf.info.concepts, top: r.concepts[0].concept }));
      await clf.dispose();`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: app });
    const out = JSON.parse(stdout.trim().split('\n').pop()!) as { concepts: string[]; top: string };
    expect(out.concepts).toContain(out.top);
  });

  it("runs in a user's Vite build under a strict CSP: inference worker, wasm, training worker and the widget", async () => {
    const { state, out, problems } = await runApp(`${server!.url}/`);
    expect(state, out).toBe('done');
    const { info, result, head } = JSON.parse(out) as {
      info: { runtime: string; device: string; threads: number; concepts: string[] };
      result: { concepts: { concept: string }[] };
      head: string[];
    };
    expect(info).toMatchObject({ runtime: 'worker', device: 'wasm', threads: 1 });
    expect(result.concepts.map((c) => c.concept).sort()).toEqual([...info.concepts].sort());
    expect(head.sort()).toEqual(['bad', 'good']);
    // The worker and ORT's wasm came from the app's own build output.
    expect(server!.requests.some((p) => /^\/assets\/inference\.worker-.*\.js$/.test(p))).toBe(true);
    expect(server!.requests.some((p) => /^\/assets\/ort-wasm-simd-threaded-.*\.wasm$/.test(p))).toBe(true);
    expect(problems).toEqual([]);
  });

  it("runs on the user's Vite dev server, with no config (dependency pre-bundling on)", async () => {
    const port = await freePort();
    const dev = spawn(process.execPath, [join(app, 'node_modules/vite/bin/vite.js'), '--port', String(port), '--strictPort', '--host', '127.0.0.1'], {
      cwd: app,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    dev.stdout.on('data', (d: Buffer) => (log += d));
    dev.stderr.on('data', (d: Buffer) => (log += d));
    try {
      await expect.poll(() => log, { timeout: 30_000 }).toMatch(/ready in/);
      const { state, out, problems } = await runApp(`http://127.0.0.1:${port}/`);
      expect(state, out).toBe('done');
      expect(problems).toEqual([]);
      expect(log, 'dev server warnings').not.toMatch(/error|failed/i);
    } finally {
      dev.kill();
    }
  });
});
