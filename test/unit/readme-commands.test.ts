/** Every `npm run <script>` the README tells a user to type exists in package.json. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/paths.js';

describe('README commands', () => {
  it('names only npm scripts that exist', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const scripts = Object.keys((JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts);
    const named = [...new Set([...readme.matchAll(/npm run ([a-z][\w:-]*)/g)].map((m) => m[1]))];
    expect(named.length).toBeGreaterThan(3);
    expect(named.filter((n) => !scripts.includes(n))).toEqual([]);
  });
});
