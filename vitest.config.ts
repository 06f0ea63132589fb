import { defineConfig } from 'vitest/config';

// One runner for the whole repository: each workspace package is a Vitest project.
// Under CI a JSON report is written too, so .ci/run can print a plain "N passed, N failed" line.
export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*'],
    reporters: process.env.CI ? ['default', 'json'] : ['default'],
    outputFile: { json: '.tmp/test-results.json' },
  },
});
