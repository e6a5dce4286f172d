import { describe, expect, it } from 'vitest';
import { snapshot } from '../support/snapshot.js';
import { problemOf, useTestApp } from '../support/test-app.js';

const REDIRECT = 'http://127.0.0.1:5000/callback';

describe('client registration, limited per client address', () => {
  const t = useTestApp('pglite', {
    env: { OAUTH_REGISTRATIONS_PER_HOUR: '3', TRUST_PROXY: '10.1.2.3' },
    user: false,
  });
  const register = (from: { remoteAddress?: string; forwardedFor?: string } = {}) =>
    t.server.inject({
      method: 'POST',
      url: '/oauth/register',
      remoteAddress: from.remoteAddress ?? '192.0.2.10',
      headers: {
        origin: 'https://mcp-client.example',
        ...(from.forwardedFor ? { 'x-forwarded-for': from.forwardedFor } : {}),
      },
      payload: { client_name: 'Limit test', redirect_uris: [REDIRECT] },
    });

  it('takes the limit from one address, then answers 429 with Retry-After and registers nothing', async () => {
    for (let i = 0; i < 3; i++) expect((await register()).statusCode, `registration ${i}`).toBe(201);
    const before = await snapshot(t.db);
    const refused = await register();
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(problemOf(refused).type).toBe('https://todo.dev/problems/too-many-requests');
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(3600);
    // A browser-based client can read the refusal (CORS headers on the 429 too).
    expect(refused.headers['access-control-allow-origin']).toBe('*');
    expect(await snapshot(t.db)).toBe(before);
    // Another address has its own count.
    expect((await register({ remoteAddress: '192.0.2.11' })).statusCode).toBe(201);
  });

  it('believes X-Forwarded-For from a trusted proxy only', async () => {
    // From anyone else it is ignored: a forged header does not escape the limit of 192.0.2.10.
    expect((await register({ forwardedFor: '198.51.100.7' })).statusCode).toBe(429);
    // Through the trusted proxy, each client it forwards is counted on its own.
    for (let i = 0; i < 3; i++)
      expect((await register({ remoteAddress: '10.1.2.3', forwardedFor: '198.51.100.7' })).statusCode).toBe(
        201,
      );
    expect((await register({ remoteAddress: '10.1.2.3', forwardedFor: '198.51.100.7' })).statusCode).toBe(
      429,
    );
    expect((await register({ remoteAddress: '10.1.2.3', forwardedFor: '198.51.100.8' })).statusCode).toBe(
      201,
    );
  });
});

describe('client registration with OAUTH_REGISTRATIONS_PER_HOUR=0', () => {
  const t = useTestApp('pglite', { env: { OAUTH_REGISTRATIONS_PER_HOUR: '0' }, user: false });

  it('is not limited', async () => {
    for (let i = 0; i < 8; i++) {
      const res = await t.server.inject({
        method: 'POST',
        url: '/oauth/register',
        payload: { redirect_uris: [REDIRECT] },
      });
      expect(res.statusCode).toBe(201);
    }
  });
});
