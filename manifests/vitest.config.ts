import { defineConfig, mergeConfig } from 'vitest/config';
import { workspaceSources } from '../vitest.shared.js';

export default mergeConfig(
  workspaceSources,
  defineConfig({
    test: {
      name: 'manifests',
      include: ['test/**/*.test.ts'],
      globalSetup: ['test/global-setup.ts'],
      testTimeout: 120_000,
      hookTimeout: 300_000,
    },
  }),
);
