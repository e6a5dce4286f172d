import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { problemOf, useTestApp } from '../support/test-app.js';

const secret = 'an-externally-shared-secret-of-enough-length';

describe('time claims of a bearer token', () => {
  const t = useTestApp('pglite', { env: { JWT_SECRET: secret }, user: false });

  /** A correctly signed HS256 token for `forged-user` with the given claims, times relative to now. */
  const forge = (claims: { expIn?: number; nbfIn?: number; iatIn?: number }) => {
    const now = Math.floor(Date.now() / 1000);
    const jwt = new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('forged-user')
      .setIssuer('todo-api');
    if (claims.expIn !== undefined) jwt.setExpirationTime(now + claims.expIn);
    if (claims.nbfIn !== undefined) jwt.setNotBefore(now + claims.nbfIn);
    if (claims.iatIn !== undefined) jwt.setIssuedAt(now + claims.iatIn);
    return jwt.sign(new TextEncoder().encode(secret));
  };
  const listWith = async (token: string) =>
    t.server.inject({ url: '/api/v1/tasks', headers: { authorization: `Bearer ${token}` } });

  it('refuses a token without exp, however correctly signed', async () => {
    const res = await listWith(await forge({}));
    expect(res.statusCode).toBe(401);
    expect(problemOf(res).title).toBe('Unauthorized');
  });

  it('refuses a token not yet valid or issued in the future, beyond a small clock skew', async () => {
    expect((await listWith(await forge({ expIn: 3600, nbfIn: 3000 }))).statusCode).toBe(401);
    expect((await listWith(await forge({ expIn: 3600, iatIn: 3000 }))).statusCode).toBe(401);
    expect((await listWith(await forge({ expIn: 3600, nbfIn: 5, iatIn: 5 }))).statusCode).toBe(200);
  });

  it('accepts a token with exp ahead and refuses it once past', async () => {
    expect((await listWith(await forge({ expIn: 300, iatIn: 0 }))).statusCode).toBe(200);
    expect((await listWith(await forge({ expIn: -3600 }))).statusCode).toBe(401);
  });
});
