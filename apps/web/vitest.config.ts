import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';

const source = (path: string) => fileURLToPath(new URL(`../../packages/${path}`, import.meta.url));

export default defineProject({
  resolve: {
    // Test helpers use the workspace packages from source, never a stale dist/.
    alias: [
      { find: /^@padim\/db\/testing$/, replacement: source('db/src/testing.ts') },
      { find: /^@padim\/db$/, replacement: source('db/src/index.ts') },
      { find: /^@padim\/core$/, replacement: source('core/src/index.ts') },
      { find: /^@padim\/core\/(\w+)$/, replacement: source('core/src/$1.ts') },
      { find: /^@padim\/queue$/, replacement: source('queue/src/index.ts') },
      { find: /^@padim\/storage$/, replacement: source('storage/src/index.ts') },
      { find: /^@padim\/inference$/, replacement: source('inference/src/index.ts') },
    ],
  },
  test: {
    name: 'web',
    include: ['test/**/*.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 300_000,
    fileParallelism: false,
  },
});
