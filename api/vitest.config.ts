import { defineConfig, mergeConfig } from 'vitest/config';
import { workspaceSources } from '../vitest.shared.js';

export default mergeConfig(
  workspaceSources,
  defineConfig({
    test: {
      name: 'api',
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      globalSetup: ['test/global-setup.ts'],
      testTimeout: 30_000,
      hookTimeout: 180_000,
    },
  }),
);
