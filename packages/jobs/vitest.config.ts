import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';

const source = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url));

export default defineProject({
  // Tests run against the TypeScript sources of the workspace packages, never a stale dist/.
  resolve: {
    alias: [
      { find: /^@padim\/core$/, replacement: source('core/src/index.ts') },
      { find: /^@padim\/db\/testing$/, replacement: source('db/src/testing.ts') },
      { find: /^@padim\/db$/, replacement: source('db/src/index.ts') },
      { find: /^@padim\/queue$/, replacement: source('queue/src/index.ts') },
      { find: /^@padim\/storage\/testing$/, replacement: source('storage/src/testing.ts') },
      { find: /^@padim\/storage$/, replacement: source('storage/src/index.ts') },
      { find: /^@padim\/inference\/testing$/, replacement: source('inference/src/testing.ts') },
      { find: /^@padim\/inference$/, replacement: source('inference/src/index.ts') },
    ],
  },
  test: {
    name: 'jobs',
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // onnxruntime sessions use native threads: one test file at a time keeps the 2-core machine sane.
    fileParallelism: false,
  },
});
