import { defineConfig, mergeConfig } from 'vitest/config';
import { workspaceSources } from '../vitest.shared.js';

export default mergeConfig(
  workspaceSources,
  defineConfig({
    test: { name: 'recurrence', include: ['src/**/*.test.ts', 'test/**/*.test.ts'] },
  }),
);
