import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';

export default defineProject({
  // Tests run against the TypeScript sources of the workspace packages, never a stale dist/.
  resolve: {
    alias: { '@padim/core': fileURLToPath(new URL('../core/src/index.ts', import.meta.url)) },
  },
  test: {
    name: 'inference',
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // onnxruntime sessions use native threads: one test file at a time keeps the 2-core machine sane.
    fileParallelism: false,
  },
});
