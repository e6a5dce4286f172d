import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: { name: 'infra', include: ['test/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 600_000 },
});
