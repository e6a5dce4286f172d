import { auth, UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { connectMcp, consent, MemoryOAuthClient, postForm, useOAuthServer } from './oauth-fixtures.js';

/** The titles `list_tasks` answers through `/mcp`: whose tasks the token reaches. */
async function listedTitles(client: Awaited<ReturnType<typeof connectMcp>>): Promise<string[]> {
  const result = await client.callTool({ name: 'list_tasks', arguments: {} });
  if (result.isError) throw new Error(JSON.stringify(result.content));
  return (result.structuredContent as { items: { title: string }[] }).items.map((t) => t.title);
}

describe('an MCP client connects through OAuth with the SDK’s own auth support', () => {
  const s = useOAuthServer();
  const probe = 'Only the signed-up user has this task';
  beforeAll(async () => {
    const res = await s.t.server.inject({
      method: 'POST',
      url: '/api/v1/tasks',
      headers: s.t.auth,
      payload: { title: probe },
    });
    expect(res.statusCode).toBe(201);
  });

  it('discovers from the 401, registers, authorizes with consent and PKCE, calls a tool, refreshes, and is cut off by reuse', async () => {
    const provider = new MemoryOAuthClient();
    // Without a token the SDK meets the 401, discovers both metadata documents, registers and redirects.
    await expect(connectMcp(s, provider)).rejects.toBeInstanceOf(UnauthorizedError);
    expect(provider.info?.client_id).toMatch(/^mcp_/);
    const url = provider.authorizationUrl!;
    expect(url.origin + url.pathname).toBe(`${s.base}/oauth/authorize`);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('resource')).toBe(`${s.base}/mcp`);
    expect(url.searchParams.get('scope')).toBe('tasks:read tasks:write');

    // The consent page shows the app by its name, then the user approves.
    const page = await fetch(url, { redirect: 'manual' });
    const id = new URL(page.headers.get('location')!, s.base).searchParams.get('request')!;
    const shown = await s.t.server.inject({ url: `/api/v1/oauth/requests/${id}`, headers: s.t.auth });
    expect(shown.json()).toMatchObject({
      clientName: 'Test MCP client',
      scopes: ['tasks:read', 'tasks:write'],
      resource: `${s.base}/mcp`,
      redirectUri: provider.redirectUrl,
    });
    const decided = await s.t.server.inject({
      method: 'POST',
      url: `/api/v1/oauth/requests/${id}/decision`,
      headers: { ...s.t.auth, host: new URL(s.base).host },
      payload: { approve: true },
    });
    const back = new URL(decided.json().redirectTo);
    expect(back.origin + back.pathname).toBe(provider.redirectUrl);
    expect(back.searchParams.get('state')).toBe('state-from-the-client');
    expect(back.searchParams.get('iss')).toBe(s.base);

    expect(
      await auth(provider, { serverUrl: `${s.base}/mcp`, authorizationCode: back.searchParams.get('code')! }),
    ).toBe('AUTHORIZED');
    const first = provider.saved!;
    expect(first).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'tasks:read tasks:write' });

    const client = await connectMcp(s, provider);
    expect(await listedTitles(client)).toEqual([probe]);
    const added = await client.callTool({ name: 'add_task', arguments: { title: 'Added through OAuth' } });
    expect(added.isError).toBeFalsy();
    await client.close();

    // The SDK refreshes with the refresh token; the refresh token rotates.
    expect(await auth(provider, { serverUrl: `${s.base}/mcp` })).toBe('AUTHORIZED');
    const second = provider.saved!;
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(second.access_token).not.toBe(first.access_token);
    const again = await connectMcp(s, provider);
    expect(await listedTitles(again)).toContain('Added through OAuth');

    // The first refresh token presented again: its grant is revoked, the current access token with it.
    const reused = await postForm(s, '/oauth/token', {
      grant_type: 'refresh_token',
      refresh_token: first.refresh_token!,
      client_id: provider.info!.client_id,
    });
    expect(reused).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    await expect(listedTitles(again)).rejects.toThrow();
    await again.close();
    const res = await fetch(`${s.base}/mcp`, {
      method: 'POST',
      headers: { authorization: `Bearer ${second.access_token}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('resource_metadata=');

    // No token, code or verifier reached the log.
    const logged = s.log.join('');
    for (const secret of [first.access_token, first.refresh_token, second.access_token, second.refresh_token])
      expect(logged).not.toContain(secret);
    expect(logged).not.toContain(back.searchParams.get('code'));
    expect(logged).not.toContain(id);
  });

  it('uses a Client ID Metadata Document when the client has one, as the 2026-07-28 revision prefers', async () => {
    const documentUrl = 'https://client.example/.well-known/mcp-client.json';
    const provider = new MemoryOAuthClient(undefined, documentUrl);
    s.documents.set(documentUrl, {
      client_id: documentUrl,
      ...provider.clientMetadata,
      client_name: 'Documented client',
    });
    await expect(connectMcp(s, provider)).rejects.toBeInstanceOf(UnauthorizedError);
    expect(provider.info?.client_id).toBe(documentUrl);
    const back = await consent(s, provider.authorizationUrl!, s.t.auth);
    await auth(provider, { serverUrl: `${s.base}/mcp`, authorizationCode: back.searchParams.get('code')! });
    const client = await connectMcp(s, provider);
    expect(await listedTitles(client)).toContain(probe);
    await client.close();
    const grants = await s.t.server.inject({ url: '/api/v1/oauth/grants', headers: s.t.auth });
    expect(grants.json().map((g: { clientName: string }) => g.clientName)).toContain('Documented client');
  });

  it('refuses a metadata document that is not the client’s, too large, or at an address of this network', async () => {
    const authorize = (clientId: string) =>
      fetch(
        `${s.base}/oauth/authorize?${new URLSearchParams({ client_id: clientId, redirect_uri: 'http://127.0.0.1:1/callback' })}`,
        { redirect: 'manual' },
      );
    const other = 'https://client.example/other.json';
    s.documents.set(other, {
      client_id: 'https://client.example/someone-else.json',
      redirect_uris: ['http://127.0.0.1:1/callback'],
    });
    const big = 'https://client.example/big.json';
    s.documents.set(
      big,
      JSON.stringify({
        client_id: big,
        redirect_uris: ['http://127.0.0.1:1/callback'],
        pad: 'x'.repeat(6000),
      }),
    );
    const refused = [
      other,
      big,
      'https://client.example/missing.json',
      'https://10.0.0.1/client.json',
      'https://localhost/c.json',
    ];
    for (const clientId of refused) {
      const res = await authorize(clientId);
      expect([clientId, res.status, res.headers.get('location')]).toEqual([clientId, 400, null]);
    }
    const stored = await s.t.db.query('SELECT 1 FROM oauth_clients WHERE client_id = ANY($1)', [refused]);
    expect(stored.rowCount).toBe(0);
  });

  it('ends an app’s access when the user revokes it in the console, and through RFC 7009', async () => {
    const connect = async () => {
      const provider = new MemoryOAuthClient();
      await expect(connectMcp(s, provider)).rejects.toBeInstanceOf(UnauthorizedError);
      const back = await consent(s, provider.authorizationUrl!, s.t.auth);
      await auth(provider, { serverUrl: `${s.base}/mcp`, authorizationCode: back.searchParams.get('code')! });
      return { provider, client: await connectMcp(s, provider) };
    };
    const viaConsole = await connect();
    const grants = (await s.t.server.inject({ url: '/api/v1/oauth/grants', headers: s.t.auth })).json();
    const grant = grants.find(
      (g: { clientId: string }) => g.clientId === viaConsole.provider.info!.client_id,
    );
    expect(grant).toMatchObject({ clientName: 'Test MCP client', scopes: ['tasks:read', 'tasks:write'] });
    const revoked = await s.t.server.inject({
      method: 'DELETE',
      url: `/api/v1/oauth/grants/${grant.id}`,
      headers: s.t.auth,
    });
    expect(revoked.statusCode).toBe(204);
    await expect(listedTitles(viaConsole.client)).rejects.toThrow();
    await viaConsole.client.close();
    const refresh = await postForm(s, '/oauth/token', {
      grant_type: 'refresh_token',
      refresh_token: viaConsole.provider.saved!.refresh_token!,
      client_id: viaConsole.provider.info!.client_id,
    });
    expect(refresh.body.error).toBe('invalid_grant');

    const viaRfc7009 = await connect();
    const answer = await postForm(s, '/oauth/revoke', {
      token: viaRfc7009.provider.saved!.refresh_token!,
      token_type_hint: 'refresh_token',
      client_id: viaRfc7009.provider.info!.client_id,
    });
    expect(answer.status).toBe(200);
    await expect(listedTitles(viaRfc7009.client)).rejects.toThrow();
    await viaRfc7009.client.close();
  });
});

describe('scopes and tokens on /mcp', () => {
  const s = useOAuthServer();

  it('lets a tasks:read token list but not add, and keeps a session token working for scripts', async () => {
    const provider = new MemoryOAuthClient();
    await expect(connectMcp(s, provider)).rejects.toBeInstanceOf(UnauthorizedError);
    provider.authorizationUrl!.searchParams.set('scope', 'tasks:read');
    const back = await consent(s, provider.authorizationUrl!, s.t.auth);
    await auth(provider, { serverUrl: `${s.base}/mcp`, authorizationCode: back.searchParams.get('code')! });
    expect(provider.saved?.scope).toBe('tasks:read');
    const reader = await connectMcp(s, provider);
    expect(await listedTitles(reader)).toEqual([]);
    await expect(reader.callTool({ name: 'add_task', arguments: { title: 'Refused' } })).rejects.toThrow();
    await reader.close();
    const refused = await fetch(`${s.base}/mcp`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${provider.saved!.access_token}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: { name: 'add_task', arguments: { title: 'x' } },
      }),
    });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('www-authenticate')).toContain('insufficient_scope');

    const script = new StreamableHTTPClientTransport(new URL(`${s.base}/mcp`), {
      requestInit: { headers: { authorization: s.t.auth.authorization } },
    });
    const client = new Client({ name: 'script', version: '1.0.0' });
    await client.connect(script);
    expect(
      (await client.callTool({ name: 'add_task', arguments: { title: 'From a script' } })).isError,
    ).toBeFalsy();
    await client.close();
  });
});
