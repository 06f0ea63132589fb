import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';

const source = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));

export default defineProject({
  // Tests run against the TypeScript sources of the workspace packages, never a stale dist/.
  resolve: {
    alias: [
      { find: /^@padim\/core$/, replacement: source('packages/core/src/index.ts') },
      { find: /^@padim\/db\/testing$/, replacement: source('packages/db/src/testing.ts') },
      { find: /^@padim\/db$/, replacement: source('packages/db/src/index.ts') },
      { find: /^@padim\/queue$/, replacement: source('packages/queue/src/index.ts') },
      {
        find: /^@padim\/storage\/testing$/,
        replacement: source('packages/storage/src/testing.ts'),
      },
      { find: /^@padim\/storage$/, replacement: source('packages/storage/src/index.ts') },
      { find: /^@padim\/jobs\/handlers$/, replacement: source('packages/jobs/src/handlers.ts') },
      { find: /^@padim\/jobs$/, replacement: source('packages/jobs/src/index.ts') },
      {
        find: /^@padim\/inference\/testing$/,
        replacement: source('packages/inference/src/testing.ts'),
      },
      { find: /^@padim\/inference$/, replacement: source('packages/inference/src/index.ts') },
    ],
  },
  test: {
    name: 'worker',
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // onnxruntime sessions use native threads: one test file at a time keeps the 2-core machine sane.
    fileParallelism: false,
  },
});
