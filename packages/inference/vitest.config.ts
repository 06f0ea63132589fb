import { defineProject } from 'vitest/config';
import { workspaceSources } from '../../vitest.sources.js';

export default defineProject({
  // Tests run against the TypeScript sources of the workspace packages, never a stale dist/.
  resolve: { alias: workspaceSources() },
  test: {
    name: 'inference',
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // onnxruntime sessions use native threads: one test file at a time keeps the 2-core machine sane.
    fileParallelism: false,
  },
});
