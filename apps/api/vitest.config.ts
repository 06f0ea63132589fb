import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import swc from 'unplugin-swc';
import { defineProject } from 'vitest/config';

const require = createRequire(import.meta.url);
const source = (path: string) => fileURLToPath(new URL(`../../packages/${path}`, import.meta.url));

export default defineProject({
  // NestJS needs decorator metadata, which esbuild/oxc do not emit: SWC compiles the tests.
  plugins: [swc.vite({ module: { type: 'es6' } })],
  resolve: {
    alias: [
      // Node loads graphql's CommonJS build (as Nest and Apollo do); Vite would pick the .mjs one
      // and create a second graphql realm ("Cannot use GraphQLObjectType from another realm").
      { find: /^graphql$/, replacement: require.resolve('graphql') },
      // Workspace packages from source, never a stale dist/.
      { find: /^@padim\/db\/testing$/, replacement: source('db/src/testing.ts') },
      { find: /^@padim\/db$/, replacement: source('db/src/index.ts') },
      { find: /^@padim\/storage\/testing$/, replacement: source('storage/src/testing.ts') },
      { find: /^@padim\/storage$/, replacement: source('storage/src/index.ts') },
      { find: /^@padim\/queue$/, replacement: source('queue/src/index.ts') },
      { find: /^@padim\/jobs\/handlers$/, replacement: source('jobs/src/handlers.ts') },
      { find: /^@padim\/jobs$/, replacement: source('jobs/src/index.ts') },
      {
        find: /^@padim\/inference\/pretrained$/,
        replacement: source('inference/src/backbones/pretrained.ts'),
      },
      { find: /^@padim\/inference$/, replacement: source('inference/src/index.ts') },
      { find: /^@padim\/core$/, replacement: source('core/src/index.ts') },
    ],
  },
  test: {
    name: 'api',
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
