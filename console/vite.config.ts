import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';

// Vite's resolver misses chrono-node's "./*" subpath export, which Node resolves; point it at the English build.
const chronoEnglish = fileURLToPath(import.meta.resolve('chrono-node/en'));

/** Text the API serves from dist; smaller files are not worth a second request header's worth of bytes. */
const COMPRESSIBLE = /\.(?:js|css|html|svg|json|webmanifest|txt)$/;
const MIN_BYTES = 1024;

/**
 * Writes a Brotli (.br) and a gzip (.gz) copy beside each text file of the build, once, at their best
 * settings: the API serves them to browsers that accept them (@fastify/static `preCompressed`) and spends no
 * CPU per request on it.
 */
function precompress(): Plugin {
  let outDir = 'dist';
  return {
    name: 'todo:precompress',
    apply: 'build',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    writeBundle(_options, bundle) {
      for (const file of Object.keys(bundle)) {
        if (file.startsWith('.') || !COMPRESSIBLE.test(file)) continue;
        const path = join(outDir, file);
        const bytes = readFileSync(path);
        if (bytes.length < MIN_BYTES) continue;
        const brotli = brotliCompressSync(bytes, {
          params: {
            [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
            [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
          },
        });
        writeFileSync(`${path}.br`, brotli);
        writeFileSync(`${path}.gz`, gzipSync(bytes, { level: 9 }));
      }
    },
  };
}

export default defineConfig({
  base: '/',
  resolve: { alias: { 'chrono-node/en': chronoEnglish } },
  plugins: [precompress()],
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
