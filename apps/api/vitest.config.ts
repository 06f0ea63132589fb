import { createRequire } from 'node:module';
import swc from 'unplugin-swc';
import { defineProject } from 'vitest/config';
import { workspaceSources } from '../../vitest.sources.js';

const require = createRequire(import.meta.url);

export default defineProject({
  // NestJS needs decorator metadata, which esbuild/oxc do not emit: SWC compiles the tests.
  plugins: [swc.vite({ module: { type: 'es6' } })],
  resolve: {
    alias: [
      // Node loads graphql's CommonJS build (as Nest and Apollo do); Vite would pick the .mjs one
      // and create a second graphql realm ("Cannot use GraphQLObjectType from another realm").
      { find: /^graphql$/, replacement: require.resolve('graphql') },
      // Workspace packages from source, never a stale dist/.
      ...workspaceSources(),
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
