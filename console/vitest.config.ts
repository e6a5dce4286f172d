import { defineConfig, mergeConfig } from 'vitest/config';
import { workspaceSources } from '../vitest.shared.js';
import viteConfig from './vite.config.js';

// Dates in unit tests are read in UTC so expectations do not depend on the machine's zone.
process.env.TZ = 'UTC';

export default mergeConfig(
  mergeConfig(viteConfig, workspaceSources),
  defineConfig({
    test: {
      name: 'console',
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      // The console is built once for every suite, before any starts (test/global-setup.ts).
      globalSetup: ['./test/global-setup.ts'],
      testTimeout: 60_000,
      hookTimeout: 300_000,
    },
  }),
);
