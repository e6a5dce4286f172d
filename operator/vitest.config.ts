import { defineConfig, mergeConfig } from 'vitest/config';
import { workspaceSources } from '../vitest.shared.js';

export default mergeConfig(
  workspaceSources,
  defineConfig({
    test: {
      name: 'operator',
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      testTimeout: 60_000,
      hookTimeout: 900_000,
    },
  }),
);
