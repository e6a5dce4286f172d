import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** Where `npm run build -w console` puts the console, seen from api/src or api/dist. */
export function consoleDir(configured?: string): string {
  return configured ?? fileURLToPath(new URL('../../../console/dist', import.meta.url));
}

export function hasConsole(dir: string): boolean {
  return existsSync(join(dir, 'index.html'));
}

/**
 * Serves the built console at `/`; hashed assets are cached for a year, index.html never. The build writes a
 * Brotli and a gzip copy beside each text file (console/vite.config.ts), sent to a browser that accepts one
 * (`Vary: accept-encoding`): the main bundle goes out at about a quarter of its size, with no CPU per request.
 */
export async function registerConsole(app: FastifyInstance, configured?: string): Promise<void> {
  const root = consoleDir(configured);
  if (!hasConsole(root)) {
    app.log.warn({ root }, 'console not built; run `npm run build -w console` to serve it at /');
    return;
  }
  await app.register(fastifyStatic, {
    root,
    prefix: '/',
    wildcard: false,
    index: ['index.html'],
    preCompressed: true,
    setHeaders: (reply, path) => {
      reply.header('cache-control', path.includes('/assets/') ? 'max-age=31536000, immutable' : 'no-cache');
    },
  });
}
