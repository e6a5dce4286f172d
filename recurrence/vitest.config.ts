import { fileURLToPath } from 'node:url';
import { defineConfig, mergeConfig } from 'vitest/config';
import { workspaceSources } from '../vitest.shared.js';

// The quick-add tests hand chrono-node a reference date it reads in the runtime's zone: pin it to UTC.
process.env.TZ = 'UTC';

// Vite's resolver misses chrono-node's "./*" subpath export, which Node resolves; point it at the English build.
const chronoEnglish = fileURLToPath(import.meta.resolve('chrono-node/en'));

export default mergeConfig(
  workspaceSources,
  defineConfig({
    resolve: { alias: { 'chrono-node/en': chronoEnglish } },
    test: { name: 'recurrence', include: ['src/**/*.test.ts', 'test/**/*.test.ts'] },
  }),
);
