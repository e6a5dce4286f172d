import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ChatResponse } from '@todo/contract';
import { createDatabase, type DaprSidecarWithScheduler, startSidecarWithScheduler } from '@todo/infra';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DaprConversationStore } from '../../src/assistant/dapr-conversation-store.js';
import { EMPTY_STATE } from '../../src/assistant/planner.js';
import { createTask } from '../support/task-requests.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const STORE = 'todo-statestore';

/**
 * Conversations in a real Dapr sidecar's state store: state.postgresql, as the operator renders it (tableName
 * dapr_state), on a database of the test PostgreSQL.
 */
describe('chat conversations in the Dapr state store (real daprd, state.postgresql)', () => {
  let dapr: DaprSidecarWithScheduler;
  let t: TestApp;

  beforeAll(async () => {
    const stateUrl = await createDatabase(
      inject('postgresUrl'),
      `dapr_state_${randomBytes(4).toString('hex')}`,
    );
    dapr = await startSidecarWithScheduler({
      sidecar: { appId: 'chat-state-test' },
      dirPrefix: 'dapr-chat-state',
      writeResources: (resourcesPath) =>
        writeFile(
          join(resourcesPath, 'statestore.yaml'),
          JSON.stringify({
            apiVersion: 'dapr.io/v1alpha1',
            kind: 'Component',
            metadata: { name: STORE },
            spec: {
              type: 'state.postgresql',
              version: 'v1',
              metadata: [
                { name: 'connectionString', value: stateUrl },
                { name: 'tableName', value: 'dapr_state' },
              ],
            },
          }),
        ),
    });
    t = await createTestApp('pglite', {
      STATESTORE_NAME: STORE,
      DAPR_HTTP_PORT: String(dapr.sidecar.httpPort),
    });
  }, 180_000);
  afterAll(async () => {
    await t?.close();
    await dapr?.stop();
  });

  const say = async (auth: { authorization: string }, message: string, conversationId?: string) => {
    const res = await t.server.inject({
      method: 'POST',
      url: '/api/v1/chat',
      headers: auth,
      payload: { message, ...(conversationId ? { conversationId } : {}) },
    });
    return { status: res.statusCode, body: res.json() as ChatResponse };
  };

  it('carries a conversation from one message to the next through the sidecar, not the database', async () => {
    const user = await t.user();
    const first = await createTask(t, user.auth, { title: 'Water the ferns' });
    const second = await createTask(t, user.auth, { title: 'Water the roses' });
    const asked = await say(user.auth, 'complete water the');
    expect(asked.body.reply).toMatch(/Which one did you mean/);
    const picked = await say(
      user.auth,
      asked.body.reply.includes('1. “Water the roses”') ? '1' : '2',
      asked.body.conversationId,
    );
    expect(picked.body.actions).toMatchObject([{ tool: 'complete_task', arguments: { id: second.id } }]);
    const ferns = await t.server.inject({
      method: 'GET',
      url: `/api/v1/tasks/${first.id}`,
      headers: user.auth,
    });
    expect(ferns.json()).toMatchObject({ completed: false });
    const { rows } = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM conversations');
    expect(rows[0]!.n).toBe(0);
    const stored = await fetch(
      `${dapr.sidecar.httpUrl}/v1.0/state/${STORE}/conversation-${asked.body.conversationId}`,
    );
    expect(await stored.json()).toMatchObject({ userId: user.id, turns: 2 });
  });

  it("answers 404 for another user's conversation kept there", async () => {
    const alice = await t.user();
    const bob = await t.user();
    const mine = await say(alice.auth, 'help');
    const theirs = await say(bob.auth, 'help', mine.body.conversationId);
    expect(theirs.status).toBe(404);
  });

  it('writes over the ETag it read: a second write from the same read loses', async () => {
    const store = new DaprConversationStore(STORE, dapr.sidecar.httpPort);
    const id = crypto.randomUUID();
    const fresh = { id, userId: 'u1', turns: 0, messages: [], state: EMPTY_STATE, revision: null };
    expect(await store.save({ ...fresh, turns: 1 })).toBe(true);
    const read = (await store.load('u1', id))!;
    expect(read.turns).toBe(1);
    expect(await store.load('u2', id)).toBeNull();
    expect(await store.save({ ...read, turns: 2 })).toBe(true);
    expect(await store.save({ ...read, turns: 3 })).toBe(false);
    expect((await store.load('u1', id))!.turns).toBe(2);
  });
});
