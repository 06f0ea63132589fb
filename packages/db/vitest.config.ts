import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'db',
    include: ['test/**/*.test.ts'],
    // Each test file boots the wasm schema engine and PGlite (both WebAssembly): seconds, not ms.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // PGlite instances are a few hundred MB each: one file at a time keeps the machine sane.
    fileParallelism: false,
  },
});
