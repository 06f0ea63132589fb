import { defineProject } from 'vitest/config';
import { workspaceSources } from '../../vitest.sources.js';

export default defineProject({
  // Tests run against the TypeScript sources of the workspace packages, never a stale dist/.
  resolve: { alias: workspaceSources() },
  test: {
    name: 'web',
    include: ['test/**/*.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 300_000,
    fileParallelism: false,
  },
});
