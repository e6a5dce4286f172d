import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { UnauthorizedError } from '../http/errors.js';
import { TOKEN_ISSUER, TokenService } from './tokens.js';

const secret = 'a-test-secret-that-is-long-enough-for-hs256';

describe('TokenService', () => {
  it('issues tokens it verifies back to the user id', async () => {
    const tokens = new TokenService({ secret, ttlSeconds: 60 });
    const token = await tokens.issue('user-1', 'a@example.com');
    expect(await tokens.verify(token)).toBe('user-1');
    expect(await tokens.verify(token)).toBe('user-1');
  });

  it('stops accepting a remembered token once it expires', async () => {
    const tokens = new TokenService({ secret, ttlSeconds: 60 });
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('user-2')
      .setIssuer(TOKEN_ISSUER)
      .setExpirationTime(Math.floor(Date.now() / 1000) + 1)
      .sign(new TextEncoder().encode(secret));
    expect(await tokens.verify(token)).toBe('user-2');
    await new Promise((r) => setTimeout(r, 1100));
    await expect(tokens.verify(token)).rejects.toBeInstanceOf(UnauthorizedError);
  });

  it('never accepts a token signed with another secret, however often it is tried', async () => {
    const tokens = new TokenService({ secret, ttlSeconds: 60 });
    const forged = await new TokenService({
      secret: 'another-secret-that-is-long-enough-too!',
      ttlSeconds: 60,
    }).issue('x', 'x@example.com');
    for (let i = 0; i < 2; i++) await expect(tokens.verify(forged)).rejects.toBeInstanceOf(UnauthorizedError);
  });
});
