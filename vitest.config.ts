import { defineConfig } from 'vitest/config';

// One `npm test` runs every workspace's suites; each project keeps its own environment.
export default defineConfig({
  test: {
    projects: ['infra', 'api', 'operator', 'console'],
  },
});
