import { defineConfig } from 'vitest/config';

// One runner for the whole repository: each workspace package is a Vitest project.
export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*'],
  },
});
