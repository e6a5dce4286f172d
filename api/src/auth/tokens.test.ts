import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { UnauthorizedError } from '../http/errors.js';
import { CLOCK_SKEW_SECONDS, TOKEN_ISSUER, TokenService } from './tokens.js';

const secret = 'a-test-secret-that-is-long-enough-for-hs256';
const key = new TextEncoder().encode(secret);
/** A fixed instant the tests' clock starts from, in seconds. */
const T0 = 1_900_000_000;

/** A token service whose clock the test moves. */
function tokensAt(seconds: { now: number }) {
  return new TokenService({ secret, ttlSeconds: 60, now: () => seconds.now * 1000 });
}

/** An HS256 token with exactly the given time claims, signed with the service's secret. */
function forge(claims: { exp?: number; nbf?: number; iat?: number }): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('user-2')
    .setIssuer(TOKEN_ISSUER)
    .sign(key);
}

describe('TokenService', () => {
  it('issues tokens it verifies back to the user id', async () => {
    const tokens = new TokenService({ secret, ttlSeconds: 60 });
    const token = await tokens.issue('user-1', 'a@example.com');
    expect(await tokens.verify(token)).toBe('user-1');
    expect(await tokens.verify(token)).toBe('user-1');
  });

  it('stops accepting a remembered token once it expires', async () => {
    const clock = { now: T0 };
    const tokens = tokensAt(clock);
    const token = await tokens.issue('user-1', 'a@example.com');
    expect(await tokens.verify(token)).toBe('user-1');
    clock.now = T0 + 60 + CLOCK_SKEW_SECONDS + 1;
    await expect(tokens.verify(token)).rejects.toBeInstanceOf(UnauthorizedError);
  });

  it.each([
    ['no exp', {}, false],
    ['exp just past, within the clock skew', { exp: T0 - CLOCK_SKEW_SECONDS + 5 }, true],
    ['exp past the clock skew', { exp: T0 - CLOCK_SKEW_SECONDS - 1 }, false],
    ['nbf ahead within the clock skew', { exp: T0 + 600, nbf: T0 + CLOCK_SKEW_SECONDS - 5 }, true],
    ['nbf ahead past the clock skew', { exp: T0 + 600, nbf: T0 + CLOCK_SKEW_SECONDS + 1 }, false],
    ['iat ahead within the clock skew', { exp: T0 + 600, iat: T0 + CLOCK_SKEW_SECONDS - 5 }, true],
    ['iat ahead past the clock skew', { exp: T0 + 600, iat: T0 + CLOCK_SKEW_SECONDS + 1 }, false],
    ['exp, nbf and iat in order', { exp: T0 + 600, nbf: T0 - 10, iat: T0 - 10 }, true],
  ])('a correctly signed token with %s is accepted: %s', async (_name, claims, accepted) => {
    const tokens = tokensAt({ now: T0 });
    const verified = tokens.verify(await forge(claims));
    if (accepted) expect(await verified).toBe('user-2');
    else await expect(verified).rejects.toBeInstanceOf(UnauthorizedError);
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
