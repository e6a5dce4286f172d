import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../support/test-app.js';
import { connectClient, errorOf, itServesTheTaskTools } from './mcp-client.js';

/** The bin `npx todo-mcp` runs (linked into node_modules/.bin by `npm ci`). */
const BIN = fileURLToPath(new URL('../../bin/todo-mcp.js', import.meta.url));

/** Spawns `todo-mcp` with the given environment and connects the SDK's client to it over stdio. */
const spawnClient = (env: Record<string, string>) =>
  connectClient(new StdioClientTransport({ command: process.execPath, args: [BIN], env, stderr: 'pipe' }));

describe('todo-mcp: the stdio server calling the REST API', () => {
  const t = useTestApp('pglite', { user: false });
  let base: string;
  let alice: Client;
  let bob: Client;
  const tokenOf = async () => (await t.user()).auth.authorization.replace('Bearer ', '');

  beforeAll(async () => {
    base = await t.server.listen({ port: 0, host: '127.0.0.1' });
    [alice, bob] = await Promise.all([
      spawnClient({ TODO_API_URL: base, TODO_TOKEN: await tokenOf() }),
      spawnClient({ TODO_API_URL: `${base}/api/v1/`, TODO_TOKEN: await tokenOf() }),
    ]);
  });
  afterAll(async () => {
    await alice?.close();
    await bob?.close();
  });

  itServesTheTaskTools(() => ({ alice, bob }));

  it('says when the API refuses the token or cannot be reached, as tool errors', async () => {
    const refused = await spawnClient({ TODO_API_URL: base, TODO_TOKEN: 'not.a.token' });
    expect(await errorOf(refused, 'list_tasks', {})).toMatch(/^The todo API refused TODO_TOKEN: /);
    await refused.close();
    // Port 9 (discard) on loopback: nothing listens there.
    const unreachable = await spawnClient({ TODO_API_URL: 'http://127.0.0.1:9', TODO_TOKEN: 'x' });
    expect(await errorOf(unreachable, 'list_tasks', {})).toMatch(
      /^Cannot reach the todo API at http:\/\/127\.0\.0\.1:9\/api\/v1: /,
    );
    await unreachable.close();
  });

  it('exits with a clear message when TODO_API_URL or TODO_TOKEN is missing', async () => {
    const run = promisify(execFile);
    const failure = await run(process.execPath, [BIN], {
      env: { PATH: process.env.PATH ?? '', TODO_API_URL: 'not a url' },
    }).then(
      () => {
        throw new Error('todo-mcp started without its environment');
      },
      (err: { code: number; stdout: string; stderr: string }) => err,
    );
    expect(failure.code).toBe(2);
    expect(failure.stdout).toBe('');
    expect(failure.stderr).toContain('TODO_API_URL must be the http(s) URL of the todo API');
    expect(failure.stderr).toContain('TODO_TOKEN is not set');
  });
});
