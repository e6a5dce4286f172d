import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { snapshot } from '../support/snapshot.js';
import { problemOf, useTestApp } from '../support/test-app.js';

const REDIRECT = 'http://127.0.0.1:5000/callback';
const verifierOf = () => randomBytes(32).toString('base64url');
const challengeOf = (v: string) => createHash('sha256').update(v).digest('base64url');

describe('the authorization server refuses hostile and mistaken input', () => {
  const t = useTestApp('pglite');
  let issuer = '';
  const form = (url: string, params: Record<string, string>) =>
    t.server.inject({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams(params).toString(),
    });

  async function register(redirectUris: string[] = [REDIRECT]): Promise<string> {
    const res = await t.server.inject({
      method: 'POST',
      url: '/oauth/register',
      payload: { client_name: 'Hostile test', redirect_uris: redirectUris },
    });
    expect(res.statusCode).toBe(201);
    return res.json().client_id;
  }

  function authorizeUrl(clientId: string, challenge: string, extra: Record<string, string> = {}): string {
    return `/oauth/authorize?${new URLSearchParams({
      response_type: 'code',
      client_id: clientId,
      redirect_uri: REDIRECT,
      code_challenge: challenge,
      code_challenge_method: 'S256',
      resource: `${issuer}/mcp`,
      state: 'xyz',
      ...extra,
    })}`;
  }

  /** Registers, authorizes and approves as `auth`'s user; answers what redeeming the code needs. */
  async function codeFor(auth = t.auth) {
    if (!issuer)
      issuer = (await t.server.inject({ url: '/.well-known/oauth-authorization-server' })).json().issuer;
    const clientId = await register();
    const verifier = verifierOf();
    const res = await t.server.inject({ url: authorizeUrl(clientId, challengeOf(verifier)) });
    expect(res.statusCode).toBe(302);
    const id = new URL(res.headers.location as string, issuer).searchParams.get('request')!;
    const decided = await t.server.inject({
      method: 'POST',
      url: `/api/v1/oauth/requests/${id}/decision`,
      headers: auth,
      payload: { approve: true },
    });
    const code = new URL(decided.json().redirectTo).searchParams.get('code')!;
    const redeem = (overrides: Record<string, string> = {}) =>
      form('/oauth/token', {
        grant_type: 'authorization_code',
        code,
        code_verifier: verifier,
        redirect_uri: REDIRECT,
        client_id: clientId,
        resource: `${issuer}/mcp`,
        ...overrides,
      });
    return { clientId, code, verifier, redeem, requestId: id };
  }

  it('publishes metadata naming PKCE S256, both registration ways and the scopes', async () => {
    const res = await t.server.inject({ url: '/.well-known/oauth-authorization-server' });
    expect(res.json()).toMatchObject({
      code_challenge_methods_supported: ['S256'],
      client_id_metadata_document_supported: true,
      registration_endpoint: `${res.json().issuer}/oauth/register`,
      scopes_supported: ['tasks:read', 'tasks:write'],
      token_endpoint_auth_methods_supported: ['none'],
    });
  });

  it('refuses a wrong code_verifier, and the code is spent by the attempt', async () => {
    const { redeem } = await codeFor();
    expect((await redeem({ code_verifier: verifierOf() })).json()).toMatchObject({ error: 'invalid_grant' });
    expect((await redeem()).json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('refuses a code used twice and revokes what its first use granted', async () => {
    const { redeem, clientId } = await codeFor();
    const first = await redeem();
    expect(first.statusCode).toBe(200);
    expect(first.headers['cache-control']).toBe('no-store');
    const second = await redeem();
    expect(second.statusCode).toBe(400);
    expect(second.json().error).toBe('invalid_grant');
    const refresh = await form('/oauth/token', {
      grant_type: 'refresh_token',
      refresh_token: first.json().refresh_token,
      client_id: clientId,
    });
    expect(refresh.json().error).toBe('invalid_grant');
    const grants = await t.db.query('SELECT 1 FROM oauth_grants WHERE client_id = $1', [clientId]);
    expect(grants.rowCount).toBe(0);
  });

  it('refuses a redirect_uri that differs from the authorization request’s', async () => {
    const { redeem } = await codeFor();
    expect((await redeem({ redirect_uri: 'http://127.0.0.1:5001/callback' })).json().error).toBe(
      'invalid_grant',
    );
  });

  it('refuses another client’s code', async () => {
    const { redeem } = await codeFor();
    const other = await register();
    expect((await redeem({ client_id: other })).json().error).toBe('invalid_grant');
  });

  it('refuses a resource other than this API’s /mcp, at authorization and at the token endpoint', async () => {
    const { redeem, clientId } = await codeFor();
    expect((await redeem({ resource: 'https://evil.example/mcp' })).json().error).toBe('invalid_target');
    const res = await t.server.inject({
      url: authorizeUrl(clientId, challengeOf(verifierOf()), { resource: 'https://evil.example/mcp' }),
    });
    const back = new URL(res.headers.location as string);
    expect(back.origin + back.pathname).toBe(REDIRECT);
    expect(Object.fromEntries(back.searchParams)).toMatchObject({ error: 'invalid_target', state: 'xyz' });
  });

  it('refuses an expired code', async () => {
    const { redeem, code } = await codeFor();
    await t.db.query(`UPDATE oauth_codes SET expires_at = now() - interval '1 second' WHERE code_hash = $1`, [
      createHash('sha256').update(code).digest('base64url'),
    ]);
    expect((await redeem()).json()).toMatchObject({
      error: 'invalid_grant',
      error_description: 'The code has expired.',
    });
  });

  it('sends PKCE-less, plain-PKCE, unknown-scope and duplicated requests back with an error and the state', async () => {
    const clientId = await register();
    const challenge = challengeOf(verifierOf());
    const cases: [Record<string, string>, string][] = [
      [{ code_challenge_method: 'plain' }, 'invalid_request'],
      [{ code_challenge: 'short' }, 'invalid_request'],
      [{ scope: 'tasks:read admin' }, 'invalid_scope'],
      [{ response_type: 'token' }, 'unsupported_response_type'],
    ];
    for (const [extra, error] of cases) {
      const res = await t.server.inject({ url: authorizeUrl(clientId, challenge, extra) });
      const back = new URL(res.headers.location as string);
      expect([back.searchParams.get('error'), back.searchParams.get('state')]).toEqual([error, 'xyz']);
    }
    const twice = await t.server.inject({
      url: `${authorizeUrl(clientId, challenge)}&scope=tasks:read&scope=tasks:write`,
    });
    expect(new URL(twice.headers.location as string).searchParams.get('error')).toBe('invalid_request');
  });

  it('answers an unknown client or a foreign redirect_uri itself, never redirecting to it', async () => {
    const clientId = await register();
    const challenge = challengeOf(verifierOf());
    const unknown = await t.server.inject({ url: authorizeUrl('mcp_nobody', challenge) });
    expect(problemOf(unknown).status).toBe(400);
    const foreign = await t.server.inject({
      url: authorizeUrl(clientId, challenge, { redirect_uri: 'https://evil.example/callback' }),
    });
    expect(foreign.statusCode).toBe(400);
    expect(foreign.headers.location).toBeUndefined();
    const loopbackOtherPort = await t.server.inject({
      url: authorizeUrl(clientId, challenge, { redirect_uri: 'http://127.0.0.1:61000/callback' }),
    });
    expect(loopbackOtherPort.headers.location).toMatch(/^\/oauth\/consent\?request=/);
  });

  it('refuses oversized parameters, bodies and registrations without storing anything', async () => {
    const clientId = await register();
    const before = await snapshot(t.db);
    const longState = await t.server.inject({
      url: authorizeUrl(clientId, challengeOf(verifierOf()), { state: 's'.repeat(1001) }),
    });
    expect(new URL(longState.headers.location as string).searchParams.get('error')).toBe('invalid_request');
    expect((await t.server.inject({ url: authorizeUrl('x'.repeat(501), 'c') })).statusCode).toBe(400);
    const bigForm = await form('/oauth/token', {
      grant_type: 'refresh_token',
      refresh_token: 'r'.repeat(20_000),
    });
    expect(bigForm.statusCode).toBe(413);
    const manyUris = await t.server.inject({
      method: 'POST',
      url: '/oauth/register',
      payload: { redirect_uris: Array.from({ length: 11 }, (_, i) => `https://app.example/cb${i}`) },
    });
    expect(manyUris.json().error).toBe('invalid_redirect_uri');
    for (const uri of ['javascript:alert(1)', 'http://app.example/cb', 'https://app.example/cb#x']) {
      const res = await t.server.inject({
        method: 'POST',
        url: '/oauth/register',
        payload: { redirect_uris: [uri] },
      });
      expect([res.statusCode, res.json().error]).toEqual([400, 'invalid_redirect_uri']);
    }
    const longName = await t.server.inject({
      method: 'POST',
      url: '/oauth/register',
      payload: { redirect_uris: [REDIRECT], client_name: 'n'.repeat(201) },
    });
    expect(longName.json().error).toBe('invalid_client_metadata');
    expect(await snapshot(t.db)).toEqual(before);
  });

  it('answers a pending request once; a denial goes back as access_denied with the state', async () => {
    if (!issuer)
      issuer = (await t.server.inject({ url: '/.well-known/oauth-authorization-server' })).json().issuer;
    const clientId = await register();
    const res = await t.server.inject({ url: authorizeUrl(clientId, challengeOf(verifierOf())) });
    const id = new URL(res.headers.location as string, issuer).searchParams.get('request')!;
    const signedOut = await t.server.inject({ url: `/api/v1/oauth/requests/${id}` });
    expect(signedOut.statusCode).toBe(401);
    const deny = await t.server.inject({
      method: 'POST',
      url: `/api/v1/oauth/requests/${id}/decision`,
      headers: t.auth,
      payload: { approve: false },
    });
    const back = new URL(deny.json().redirectTo);
    expect(Object.fromEntries(back.searchParams)).toEqual({
      error: 'access_denied',
      state: 'xyz',
      iss: issuer,
    });
    const again = await t.server.inject({
      method: 'POST',
      url: `/api/v1/oauth/requests/${id}/decision`,
      headers: t.auth,
      payload: { approve: true },
    });
    expect(problemOf(again).status).toBe(404);
    const malformed = await t.server.inject({ url: '/api/v1/oauth/requests/not-an-id', headers: t.auth });
    expect(problemOf(malformed).status).toBe(400);
  });

  it('hides another user’s grant: listing skips it, revoking it is 404 and changes nothing', async () => {
    const other = await t.user();
    const { redeem } = await codeFor(other.auth);
    expect((await redeem()).statusCode).toBe(200);
    const theirs = (await t.server.inject({ url: '/api/v1/oauth/grants', headers: other.auth })).json();
    expect(theirs).toHaveLength(1);
    const mine = (await t.server.inject({ url: '/api/v1/oauth/grants', headers: t.auth })).json();
    expect(mine.map((g: { id: string }) => g.id)).not.toContain(theirs[0].id);
    const before = await snapshot(t.db);
    const res = await t.server.inject({
      method: 'DELETE',
      url: `/api/v1/oauth/grants/${theirs[0].id}`,
      headers: t.auth,
    });
    expect(problemOf(res).status).toBe(404);
    expect(await snapshot(t.db)).toEqual(before);
  });

  it('keeps session and MCP tokens apart: an access token opens no REST route', async () => {
    const { redeem } = await codeFor();
    const { access_token: token } = (await redeem()).json();
    const rest = await t.server.inject({
      url: '/api/v1/tasks',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(rest.statusCode).toBe(401);
    const sessionToken = t.auth.authorization.slice('Bearer '.length);
    expect(await t.oauth.verifyAccessToken(sessionToken, `${issuer}/mcp`)).toBeUndefined();
    expect(await t.oauth.verifyAccessToken(token, 'https://elsewhere.example/mcp')).toBeUndefined();
    expect(await t.oauth.verifyAccessToken(token, `${issuer}/mcp`)).toMatchObject({ userId: t.userId });
  });
});
