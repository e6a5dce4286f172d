import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { LOGIN_THROTTLE } from '../../src/auth/login-throttle.js';
import { snapshot } from '../support/snapshot.js';
import { createTestApp, problemOf, STORAGES, useTestApp } from '../support/test-app.js';

describe.each(STORAGES)('auth on %s', (storage) => {
  const t = useTestApp(storage, { user: false });

  const signup = (payload: unknown) =>
    t.server.inject({ method: 'POST', url: '/api/v1/auth/signup', payload: payload as object });
  const login = (payload: unknown) =>
    t.server.inject({ method: 'POST', url: '/api/v1/auth/login', payload: payload as object });

  it('signs up, logs in case-insensitively and uses the token', async () => {
    const res = await signup({ email: 'Ada@Example.com', password: 'analytical engine', name: 'Ada' });
    expect(res.statusCode).toBe(201);
    expect(res.headers['cache-control']).toBe('no-store');
    const body = res.json();
    expect(body.user).toMatchObject({ email: 'ada@example.com', name: 'Ada' });
    expect(body.token.split('.')).toHaveLength(3);
    const again = await login({ email: 'ADA@example.com', password: 'analytical engine' });
    expect(again.statusCode).toBe(200);
    expect(again.headers['cache-control']).toBe('no-store');
    expect(again.json().user.id).toBe(body.user.id);
    const tasks = await t.server.inject({
      url: '/api/v1/tasks',
      headers: { authorization: `Bearer ${again.json().token}` },
    });
    expect(tasks.statusCode).toBe(200);
    const stored = await t.db.query<{ password_hash: string }>('SELECT password_hash FROM users');
    expect(stored.rows[0]?.password_hash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(stored.rows[0]?.password_hash).not.toContain('analytical');
  });

  it('refuses a taken email with 409 and wrong credentials with 401', async () => {
    await signup({ email: 'grace@example.com', password: 'compilers rule' });
    const before = await snapshot(t.db);
    const dup = await signup({ email: 'GRACE@example.com', password: 'another password' });
    expect(dup.statusCode).toBe(409);
    expect(problemOf(dup).errors?.[0]?.path).toBe('email');
    expect(await snapshot(t.db)).toBe(before);
    expect((await login({ email: 'grace@example.com', password: 'wrong password' })).statusCode).toBe(401);
    expect((await login({ email: 'nobody@example.com', password: 'compilers rule' })).statusCode).toBe(401);
  });

  describe('password guessing', () => {
    const { maxFailures, windowSeconds } = LOGIN_THROTTLE;
    const failTimes = async (email: string, n: number) => {
      for (let i = 0; i < n; i++)
        expect((await login({ email, password: `guess ${i}` })).statusCode, `guess ${i}`).toBe(401);
    };

    it('refuses an email past the limit, right password or not, until its window ends', async () => {
      await signup({ email: 'target@example.com', password: 'the real one' });
      await signup({ email: 'bystander@example.com', password: 'the real one' });
      await failTimes('target@example.com', maxFailures);
      for (const password of ['the real one', 'yet another guess']) {
        const res = await login({ email: 'TARGET@example.com', password });
        expect(res.statusCode).toBe(429);
        expect(res.headers['content-type']).toContain('application/problem+json');
        expect(problemOf(res).type).toBe('https://todo.dev/problems/too-many-requests');
        const retryAfter = Number(res.headers['retry-after']);
        expect(retryAfter).toBeGreaterThan(0);
        expect(retryAfter).toBeLessThanOrEqual(windowSeconds);
      }
      // Another account is not affected.
      expect((await login({ email: 'bystander@example.com', password: 'the real one' })).statusCode).toBe(
        200,
      );
      // Once the window is over (moved back here rather than waited for), the right password works and resets it.
      await t.db.query(
        `UPDATE login_failures SET window_start = window_start - make_interval(secs => $1) WHERE email = $2`,
        [windowSeconds, 'target@example.com'],
      );
      expect((await login({ email: 'target@example.com', password: 'the real one' })).statusCode).toBe(200);
      const { rows } = await t.db.query('SELECT * FROM login_failures WHERE email = $1', [
        'target@example.com',
      ]);
      expect(rows).toEqual([]);
    });

    it('lets no more than the limit through when the guesses arrive at once', async () => {
      await signup({ email: 'swarmed@example.com', password: 'the real one' });
      const answers = await Promise.all(
        Array.from({ length: 3 * maxFailures }, (_, i) =>
          login({ email: 'swarmed@example.com', password: `parallel guess ${i}` }),
        ),
      );
      const codes = answers.map((res) => res.statusCode);
      expect(codes.filter((c) => c === 401)).toHaveLength(maxFailures);
      expect(codes.filter((c) => c === 429)).toHaveLength(2 * maxFailures);
      expect((await login({ email: 'swarmed@example.com', password: 'the real one' })).statusCode).toBe(429);
    });

    it('answers an email nobody has exactly as one that exists', async () => {
      await failTimes('ghost@example.com', maxFailures);
      const res = await login({ email: 'ghost@example.com', password: 'anything at all' });
      expect(res.statusCode).toBe(429);
      expect(problemOf(res).detail).toMatch(/try again in 15 minutes/);
    });

    it('starts the count again after a successful log-in', async () => {
      await signup({ email: 'forgetful@example.com', password: 'remembered at last' });
      await failTimes('forgetful@example.com', maxFailures - 1);
      expect(
        (await login({ email: 'forgetful@example.com', password: 'remembered at last' })).statusCode,
      ).toBe(200);
      await failTimes('forgetful@example.com', maxFailures - 1);
      expect(
        (await login({ email: 'forgetful@example.com', password: 'remembered at last' })).statusCode,
      ).toBe(200);
    });

    it.each([
      [{ email: 'malformed@example.com' }],
      [{ email: 'malformed@example.com', password: '' }],
      [{ email: 'malformed@example.com', password: 'x'.repeat(201) }],
      [{ email: 'malformed@example.com', password: 'long enough', extra: 1 }],
      [{ email: 'not an email', password: 'long enough' }],
    ])('does not count a malformed log-in %j, and writes nothing for it', async (payload) => {
      const before = await snapshot(t.db);
      for (let i = 0; i <= maxFailures; i++) expect((await login(payload)).statusCode).toBe(400);
      expect(await snapshot(t.db)).toBe(before);
    });
  });

  it.each([
    [{ email: 'not-an-email', password: 'long enough' }, 'email'],
    [{ email: 'short@example.com', password: 'short' }, 'password'],
    [{ email: 'long@example.com', password: 'x'.repeat(201) }, 'password'],
    [{ email: 'extra@example.com', password: 'long enough', admin: true }, 'admin'],
    [{ password: 'long enough' }, 'email'],
  ])('rejects signup %j naming %s and stores nothing', async (payload, path) => {
    const before = await snapshot(t.db);
    const res = await signup(payload);
    expect(res.statusCode).toBe(400);
    expect(problemOf(res).errors?.map((e) => e.path)).toContain(path);
    expect(await snapshot(t.db)).toBe(before);
  });

  it('rejects expired and tampered tokens', async () => {
    const { token } = (await signup({ email: 'tamper@example.com', password: 'long enough' })).json();
    const [h, p, s] = token.split('.');
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString());
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...payload, sub: 'someone-else' })).toString('base64url')}.${s}`;
    expect(
      (await t.server.inject({ url: '/api/v1/tasks', headers: { authorization: `Bearer ${forged}` } }))
        .statusCode,
    ).toBe(401);
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${p}.`;
    expect(
      (await t.server.inject({ url: '/api/v1/tasks', headers: { authorization: `Bearer ${none}` } }))
        .statusCode,
    ).toBe(401);
  });
});

describe('externally issued tokens', () => {
  it('accepts HS256 tokens signed with JWT_SECRET, the sub being the user id', async () => {
    const secret = 'an-externally-shared-secret-of-enough-length';
    const t = await createTestApp('pglite', { JWT_SECRET: secret, JWT_ISSUER: 'https://idp.example.com' });
    try {
      const token = await new SignJWT({})
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('external-user-42')
        .setIssuer('https://idp.example.com')
        .setExpirationTime('5m')
        .sign(new TextEncoder().encode(secret));
      const headers = { authorization: `Bearer ${token}` };
      const created = await t.server.inject({
        method: 'POST',
        url: '/api/v1/tasks',
        headers,
        payload: { title: 'from SSO' },
      });
      expect(created.statusCode).toBe(201);
      const { rows } = await t.db.query<{ user_id: string }>('SELECT user_id FROM tasks');
      expect(rows[0]?.user_id).toBe('external-user-42');
      const expired = await new SignJWT({})
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('external-user-42')
        .setIssuer('https://idp.example.com')
        .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
        .sign(new TextEncoder().encode(secret));
      expect(
        (await t.server.inject({ url: '/api/v1/tasks', headers: { authorization: `Bearer ${expired}` } }))
          .statusCode,
      ).toBe(401);
    } finally {
      await t.close();
    }
  });

  it('accepts RS256 tokens verified against a JWKS endpoint and rejects other issuers', async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    const jwks = createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((r) => jwks.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/jwks.json`;
    const t = await createTestApp('pglite', { JWT_JWKS_URL: url, JWT_ISSUER: 'https://idp.example.com' });
    try {
      const sign = (iss: string) =>
        new SignJWT({})
          .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
          .setSubject('oidc-user')
          .setIssuer(iss)
          .setExpirationTime('5m')
          .sign(privateKey);
      const ok = await t.server.inject({
        url: '/api/v1/tasks',
        headers: { authorization: `Bearer ${await sign('https://idp.example.com')}` },
      });
      expect(ok.statusCode).toBe(200);
      const wrongIssuer = await t.server.inject({
        url: '/api/v1/tasks',
        headers: { authorization: `Bearer ${await sign('https://evil.example.com')}` },
      });
      expect(wrongIssuer.statusCode).toBe(401);
    } finally {
      await t.close();
      jwks.close();
    }
  });
});
