/**
 * The OpenAPI document as a client fetches it: one (weak) tag for the one document, so a client (or Swagger UI, or a
 * code generator in CI) that has it gets 304; compressed for a client that accepts Brotli or gzip, the same
 * JSON once decompressed.
 */
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../support/test-app.js';

const app = useTestApp('pglite');
const URL = '/api/openapi.json';

describe('GET /api/openapi.json', () => {
  it('is the document, with a weak tag (the same for every encoding), to be revalidated before reuse', async () => {
    const res = await app.server.inject({ url: URL });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.headers.vary).toMatch(/accept-encoding/);
    expect(res.headers.etag).toMatch(/^W\/"[A-Za-z0-9_-]{20,}"$/);
    expect(res.json()).toMatchObject({ openapi: '3.1.0' });
    // The same document, the same tag.
    expect((await app.server.inject({ url: URL })).headers.etag).toBe(res.headers.etag);
  });

  it('answers 304 with no body to a client holding the current tag, weak or in a list, and not to another', async () => {
    const { etag } = (await app.server.inject({ url: URL })).headers as { etag: string };
    const strong = etag.replace(/^W\//, '');
    for (const held of [etag, strong, `"old", ${etag}`, '*']) {
      const res = await app.server.inject({ url: URL, headers: { 'if-none-match': held } });
      expect(res.statusCode, held).toBe(304);
      expect(res.body, held).toBe('');
      expect(res.headers.etag, held).toBe(etag);
    }
    const stale = await app.server.inject({ url: URL, headers: { 'if-none-match': '"old"' } });
    expect(stale.statusCode).toBe(200);
  });

  it('sends Brotli or gzip to a client that accepts it, the same JSON decompressed', async () => {
    const plain = (await app.server.inject({ url: URL })).rawPayload;
    const br = await app.server.inject({ url: URL, headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.rawPayload.length).toBeLessThan(plain.length / 4);
    expect(brotliDecompressSync(br.rawPayload).equals(plain)).toBe(true);
    const gz = await app.server.inject({ url: URL, headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.rawPayload).equals(plain)).toBe(true);
    const none = await app.server.inject({ url: URL, headers: { 'accept-encoding': 'br;q=0, gzip;q=0' } });
    expect(none.headers['content-encoding']).toBeUndefined();
    expect(none.rawPayload.equals(plain)).toBe(true);
  });
});
