import { fileURLToPath } from 'node:url';
import { defineConfig, mergeConfig } from 'vitest/config';
import { workspaceSources } from '../vitest.shared.js';

// Vite's resolver misses chrono-node's "./*" subpath export, which Node resolves; point it at the English build.
const chronoEnglish = fileURLToPath(import.meta.resolve('chrono-node/en'));

export default mergeConfig(
  workspaceSources,
  defineConfig({
    resolve: { alias: { 'chrono-node/en': chronoEnglish } },
    test: { name: 'recurrence', include: ['src/**/*.test.ts', 'test/**/*.test.ts'] },
  }),
);
