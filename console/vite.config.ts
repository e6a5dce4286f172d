import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// Vite's resolver misses chrono-node's "./*" subpath export, which Node resolves; point it at the English build.
const chronoEnglish = fileURLToPath(import.meta.resolve('chrono-node/en'));

export default defineConfig({
  base: '/',
  resolve: { alias: { 'chrono-node/en': chronoEnglish } },
  build: {
    target: 'es2022',
    manifest: true,
    sourcemap: false,
    // Budgets are checked by scripts/check-budgets.ts against the gzipped first-screen chunks.
    chunkSizeWarningLimit: 400,
  },
  server: {
    proxy: { '/api': { target: 'http://localhost:8080', changeOrigin: false } },
  },
});
