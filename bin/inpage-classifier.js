#!/usr/bin/env node
// The CLI runs the compiled library (built by `npm run prepare`, which `npm ci` runs).
import { existsSync } from 'node:fs';

const entry = new URL('../dist/lib/src/node/cli.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('inpage-classifier: dist/ is missing; run `npm run prepare` (npm ci does it) first.\n');
  process.exit(1);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
