import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { Task } from '@todo/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { missingScope } from '../../src/mcp/mcp-auth.js';
import { createMcpServer } from '../../src/mcp/mcp-server.js';
import { STORAGES, useTestApp } from '../support/test-app.js';
import { callTool, connectClient, errorOf, itServesTheTaskTools, resultOf } from './mcp-client.js';

const INITIALIZE = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'curl', version: '1' } },
};
const MCP_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

describe.each(STORAGES)('MCP over Streamable HTTP at /mcp on %s', (storage) => {
  const t = useTestApp(storage, { user: false });
  let base: string;
  let alice: Client;
  let bob: Client;
  const connect = (auth: { authorization: string }) =>
    connectClient(
      new StreamableHTTPClientTransport(new URL(`${base}/mcp`), { requestInit: { headers: auth } }),
    );

  beforeAll(async () => {
    base = await t.server.listen({ port: 0, host: '127.0.0.1' });
    alice = await connect((await t.user()).auth);
    bob = await connect((await t.user()).auth);
  });
  afterAll(async () => {
    await alice?.close();
    await bob?.close();
  });

  itServesTheTaskTools(() => ({ alice, bob }));

  it("lets a viewer of a shared project read its tasks but not change them (the API's 403 as a tool error)", async () => {
    const owner = await t.user('owner-mcp@example.com');
    const viewer = await t.user('viewer-mcp@example.com');
    const project = await t.server.inject({
      method: 'POST',
      url: '/api/v1/projects',
      headers: owner.auth,
      payload: { name: 'Family' },
    });
    const projectId = project.json().id as string;
    const shared = await t.server.inject({
      method: 'POST',
      url: `/api/v1/projects/${projectId}/members`,
      headers: owner.auth,
      payload: { email: 'viewer-mcp@example.com', role: 'viewer' },
    });
    expect(shared.statusCode).toBe(201);
    const [ownerClient, viewerClient] = await Promise.all([connect(owner.auth), connect(viewer.auth)]);
    const task = await resultOf<Task>(ownerClient, 'add_task', { title: 'Paint the fence', projectId });
    expect(await resultOf(viewerClient, 'list_tasks', { projectId })).toMatchObject({
      items: [{ id: task.id }],
    });
    for (const [name, args] of [
      ['complete_task', { id: task.id }],
      ['update_task', { id: task.id, title: 'Paint it black' }],
      ['delete_task', { id: task.id }],
      ['add_task', { title: 'Sneaky', projectId }],
    ] as const) {
      expect(await errorOf(viewerClient, name, args), name).toBe(
        'You can read this project but not change it (you are a viewer).',
      );
    }
    expect(await resultOf(ownerClient, 'list_tasks', { projectId })).toMatchObject({
      items: [{ id: task.id, title: 'Paint the fence', completed: false, version: task.version }],
    });
    await Promise.all([ownerClient.close(), viewerClient.close()]);
  });

  it('refuses malformed, oversized and mistyped requests with problem+json, before any MCP work', async () => {
    const { auth } = await t.user();
    const post = (body: string, headers: Record<string, string> = MCP_HEADERS) =>
      fetch(`${base}/mcp`, { method: 'POST', headers: { ...headers, ...auth }, body });
    const malformed = await post('{"jsonrpc": "2.0", "id": 1, "method": ');
    expect(malformed.status).toBe(400);
    expect(malformed.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const oversized = await post(
      JSON.stringify({ ...INITIALIZE, params: { ...INITIALIZE.params, padding: 'x'.repeat(1024 * 1024) } }),
    );
    expect(oversized.status).toBe(413);
    const form = await post('a=b', { ...MCP_HEADERS, 'content-type': 'application/x-www-form-urlencoded' });
    expect(form.status).toBe(415);
    // Not JSON-RPC at all: the transport's own JSON-RPC error.
    const notRpc = await post(JSON.stringify({ hello: 'world' }));
    expect(notRpc.status).toBe(400);
    expect(await notRpc.json()).toMatchObject({ jsonrpc: '2.0', error: { code: expect.any(Number) } });
    // A client that does not accept JSON is told so (the Streamable HTTP transport's rule).
    const noAccept = await post(JSON.stringify(INITIALIZE), { 'content-type': 'application/json' });
    expect(noAccept.status).toBe(406);
  });

  it('answers 401 without a token, pointing to the protected-resource metadata', async () => {
    const res = await fetch(`${base}/mcp`, {
      method: 'POST',
      headers: MCP_HEADERS,
      body: JSON.stringify(INITIALIZE),
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.headers.get('www-authenticate')).toBe(
      `Bearer resource_metadata="${base}/.well-known/oauth-protected-resource", scope="tasks:read tasks:write"`,
    );
    const bad = await fetch(`${base}/mcp`, {
      method: 'POST',
      headers: { ...MCP_HEADERS, authorization: 'Bearer not.a.token' },
      body: JSON.stringify(INITIALIZE),
    });
    expect(bad.status).toBe(401);
    expect(bad.headers.get('www-authenticate')).toContain('error="invalid_token"');
    // The SDK's client without credentials fails to connect with the 401.
    await expect(connectClient(new StreamableHTTPClientTransport(new URL(`${base}/mcp`)))).rejects.toThrow();
  });

  it('publishes the protected-resource metadata (RFC 9728) at the root and for /mcp', async () => {
    for (const path of [
      '/.well-known/oauth-protected-resource',
      '/.well-known/oauth-protected-resource/mcp',
    ]) {
      const res = await fetch(`${base}${path}`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({
        resource: `${base}/mcp`,
        authorization_servers: [base],
        scopes_supported: ['tasks:read', 'tasks:write'],
        bearer_methods_supported: ['header'],
        resource_name: 'Todo MCP server',
      });
    }
    // Behind a proxy, the origin the client reached.
    const proxied = await fetch(`${base}/.well-known/oauth-protected-resource`, {
      headers: { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'todo.example.com' },
    });
    expect(await proxied.json()).toMatchObject({
      resource: 'https://todo.example.com/mcp',
      authorization_servers: ['https://todo.example.com'],
    });
  });

  it('offers no server-sent stream: GET /mcp is 405 with Allow', async () => {
    const res = await fetch(`${base}/mcp`, { headers: { accept: 'text/event-stream' } });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('OPTIONS, POST');
  });

  it('lets a browser-based client on another origin call it and the OAuth endpoints (CORS), and nothing else', async () => {
    const origin = { origin: 'https://inspector.example' };
    for (const [path, method] of [
      ['/mcp', 'POST'],
      ['/.well-known/oauth-protected-resource/mcp', 'GET'],
      ['/.well-known/oauth-authorization-server', 'GET'],
      ['/oauth/token', 'POST'],
      ['/oauth/register', 'POST'],
    ] as const) {
      const preflight = await fetch(`${base}${path}`, {
        method: 'OPTIONS',
        headers: {
          ...origin,
          'access-control-request-method': method,
          'access-control-request-headers': 'authorization, content-type, mcp-protocol-version',
        },
      });
      expect(preflight.status, path).toBe(204);
      expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
      expect(preflight.headers.get('access-control-allow-methods')?.split(', ')).toContain(method);
      expect(preflight.headers.get('access-control-allow-headers')).toMatch(
        /Authorization.*Content-Type.*Mcp-Protocol-Version/,
      );
    }
    // The 401 is readable, challenge included: that is how a client finds the metadata.
    const unauthorized = await fetch(`${base}/mcp`, {
      method: 'POST',
      headers: { ...MCP_HEADERS, ...origin },
      body: JSON.stringify(INITIALIZE),
    });
    expect(unauthorized.status).toBe(401);
    expect(unauthorized.headers.get('access-control-allow-origin')).toBe('*');
    expect(unauthorized.headers.get('access-control-expose-headers')).toContain('WWW-Authenticate');
    const metadata = await fetch(`${base}/.well-known/oauth-authorization-server`, { headers: origin });
    expect(metadata.headers.get('access-control-allow-origin')).toBe('*');
    // The REST API is for the console, on its own origin: no CORS there.
    const { auth } = await t.user();
    const tasks = await fetch(`${base}/api/v1/tasks`, { headers: { ...auth, ...origin } });
    expect(tasks.status).toBe(200);
    expect(tasks.headers.get('access-control-allow-origin')).toBeNull();
    const notOpen = await fetch(`${base}/api/v1/tasks`, {
      method: 'OPTIONS',
      headers: { ...origin, 'access-control-request-method': 'GET' },
    });
    expect(notOpen.status).toBe(405);
    expect(notOpen.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('is stateless: a request needs no session from an earlier one', async () => {
    const { auth } = await t.user();
    const res = await fetch(`${base}/mcp`, {
      method: 'POST',
      headers: { ...MCP_HEADERS, ...auth },
      body: JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/list', params: {} }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('mcp-session-id')).toBeNull();
    expect(((await res.json()) as { result: { tools: unknown[] } }).result.tools).toHaveLength(9);
  });
});

describe('scopes on /mcp', () => {
  const readOnly = { userId: 'u', scopes: ['tasks:read'] as const };
  const call = (name: string) => ({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name } });

  it('a read-only token lists and reads, but a write tool needs tasks:write (HTTP 403 challenge)', () => {
    expect(missingScope(readOnly, { jsonrpc: '2.0', id: 1, method: 'tools/list' })).toBeUndefined();
    expect(missingScope(readOnly, call('list_tasks'))).toBeUndefined();
    expect(missingScope(readOnly, call('add_task'))).toBe('tasks:write');
    expect(missingScope(readOnly, [call('list_tasks'), call('delete_task')])).toBe('tasks:write');
    expect(missingScope({ userId: 'u', scopes: ['tasks:write'] }, { method: 'resources/read' })).toBe(
      'tasks:read',
    );
    expect(missingScope({ userId: 'u' }, call('delete_task'))).toBeUndefined();
  });

  it('the server itself refuses a write tool to a token without tasks:write, calling nothing', async () => {
    const called: string[] = [];
    const server = createMcpServer(
      {
        callTool: async (definition) => {
          called.push(definition.name);
          return { items: [], nextCursor: null };
        },
        tags: async () => [],
        openTasks: async () => ({ items: [], nextCursor: null }),
        mayUse: (scope) => scope === 'tasks:read',
        unexpected: () => undefined,
      },
      'test',
    );
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await server.connect(serverSide);
    const client = await connectClient(clientSide);
    const refused = await callTool(client, 'add_task', { title: 'x' });
    expect(refused).toMatchObject({
      isError: true,
      content: [
        { type: 'text', text: 'add_task needs the tasks:write scope, which this token was not granted.' },
      ],
    });
    expect((await callTool(client, 'list_tasks', {})).isError).toBeFalsy();
    expect(called).toEqual(['list_tasks']);
    await client.close();
  });
});
