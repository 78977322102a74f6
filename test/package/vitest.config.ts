import { defineConfig } from 'vitest/config';

// The packed tarball installed into a fresh Vite app (`npm run test:package`, part of `npm test`).
export default defineConfig({
  test: {
    name: 'package',
    root: new URL('../../', import.meta.url).pathname,
    include: ['test/package/**/*.test.ts'],
    environment: 'node',
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
