#!/usr/bin/env node
/**
 * After `tsc`: makes every `new URL('./…', import.meta.url)` in the compiled library name a file that exists.
 * tsc rewrites import specifiers but not URL strings, so a source URL naming `x.worker.ts` (what Vite's dev server
 * serves) would point nowhere in `dist/lib`; bundlers in users' apps would then fail to emit the worker.
 * Rewrites `.ts` → `.js` where the `.js` exists, and exits 1 naming any URL that still points at nothing.
 *   node tools/package/worker-urls.mjs dist/lib
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const URL_RE = /new URL\((['"`])(\.{1,2}\/[^'"`$]+)\1,\s*import\.meta\.url\)/g;

function* jsFiles(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* jsFiles(path);
    else if (entry.name.endsWith('.js')) yield path;
  }
}

const root = resolve(process.argv[2] ?? 'dist/lib');
let rewritten = 0;
const missing = [];
for (const file of jsFiles(root)) {
  const code = readFileSync(file, 'utf8');
  const out = code.replace(URL_RE, (whole, quote, rel) => {
    const target = resolve(dirname(file), rel);
    if (rel.endsWith('.ts') && existsSync(target.replace(/\.ts$/, '.js'))) {
      rewritten++;
      return `new URL(${quote}${rel.replace(/\.ts$/, '.js')}${quote}, import.meta.url)`;
    }
    // Folders (the default model) are resolved at run time, not emitted; only files must exist.
    if (!rel.endsWith('/') && !existsSync(target)) missing.push(`${file}: ${rel}`);
    return whole;
  });
  if (out !== code) writeFileSync(file, out);
}
if (missing.length) {
  process.stderr.write(`worker-urls: URLs to missing files:\n  ${missing.join('\n  ')}\n`);
  process.exit(1);
}
if (rewritten) process.stderr.write(`worker-urls: ${rewritten} URL(s) rewritten from .ts to .js\n`);
