import { defineConfig, mergeConfig } from 'vitest/config';
import { workspaceSources } from '../vitest.shared.js';

export default mergeConfig(
  workspaceSources,
  defineConfig({
    test: { name: 'infra', include: ['test/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 600_000 },
  }),
);
