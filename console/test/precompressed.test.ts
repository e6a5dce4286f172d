/**
 * The console as the API serves it: each text asset of the build goes out Brotli- or gzip-compressed to a
 * client that accepts it (compressed once, at build time), byte for byte the same once decompressed, and plain
 * to one that does not.
 */
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtConsole, type RunningApp, startApp } from './harness/app-server.js';

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A GET with exactly the headers given (fetch would add its own Accept-Encoding and decompress). */
function get(url: string, headers: Record<string, string>): Promise<Raw> {
  return new Promise((resolve, reject) => {
    request(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
      res.on('error', reject);
    })
      .on('error', reject)
      .end();
  });
}

describe('the console as served, compressed', () => {
  let consoleDir: string;
  let app: RunningApp;
  let assets: string[];

  beforeAll(async () => {
    consoleDir = builtConsole();
    const manifest = JSON.parse(readFileSync(join(consoleDir, '.vite/manifest.json'), 'utf8')) as Record<
      string,
      { file: string; css?: string[] }
    >;
    assets = [...new Set(Object.values(manifest).flatMap((c) => [c.file, ...(c.css ?? [])]))];
    app = await startApp(consoleDir);
  });
  afterAll(() => app?.stop());

  it('sends every JavaScript and CSS file of the build as Brotli, or gzip, that decompresses to the file', async () => {
    expect(assets.length).toBeGreaterThan(5);
    for (const file of assets) {
      const plain = readFileSync(join(consoleDir, file));
      if (plain.length < 1024) continue;
      const br = await get(`${app.url}/${file}`, { 'accept-encoding': 'gzip, deflate, br' });
      expect(br.status, file).toBe(200);
      expect(br.headers['content-encoding'], file).toBe('br');
      expect(br.headers.vary, file).toMatch(/accept-encoding/i);
      expect(br.headers['cache-control'], file).toBe('max-age=31536000, immutable');
      expect(br.body.length, file).toBeLessThan(plain.length * 0.6);
      expect(brotliDecompressSync(br.body).equals(plain), file).toBe(true);

      const gz = await get(`${app.url}/${file}`, { 'accept-encoding': 'gzip' });
      expect(gz.headers['content-encoding'], file).toBe('gzip');
      expect(gunzipSync(gz.body).equals(plain), file).toBe(true);
    }
  });

  it('sends the plain file to a client that accepts no encoding', async () => {
    const main = assets.find((f) => f.endsWith('.js'))!;
    const plain = await get(`${app.url}/${main}`, {});
    expect(plain.status).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.equals(readFileSync(join(consoleDir, main)))).toBe(true);
    const refused = await get(`${app.url}/${main}`, { 'accept-encoding': 'br;q=0, gzip;q=0' });
    expect(refused.headers['content-encoding']).toBeUndefined();
  });
});
