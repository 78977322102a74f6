#!/usr/bin/env node
/**
 * After `tsc`, makes the compiled library fit to publish:
 * - every `new URL('./…', import.meta.url)` names a file that exists. tsc rewrites import specifiers but not URL
 *   strings, so a source URL naming `x.worker.ts` (what Vite's dev server serves) would point nowhere in `dist/lib`
 *   and users' bundlers would fail to emit the worker. Rewrites `.ts` → `.js` where the `.js` exists; exits 1 naming
 *   any URL that still points at nothing.
 * - no `sourceMappingURL` comment: the maps are not published (they point at `src/*.ts`, which is not either), and a
 *   comment naming a missing map makes Vite's dev server warn for every file in users' apps.
 *   node tools/package/finish-lib.mjs dist/lib
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const MAP_RE = /\n\/\/# sourceMappingURL=\S+\s*$/;
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
  const out = code.replace(MAP_RE, '').replace(URL_RE, (whole, quote, rel) => {
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
  process.stderr.write(`finish-lib: URLs to missing files:\n  ${missing.join('\n  ')}\n`);
  process.exit(1);
}
if (rewritten) process.stderr.write(`finish-lib: ${rewritten} URL(s) rewritten from .ts to .js\n`);
