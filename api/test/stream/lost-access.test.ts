import type { Project, Task } from '@todo/contract';
import { openEventStream, type StreamMessage } from '@todo/infra/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTask } from '../support/task-requests.js';
import { STORAGES, useTestApp } from '../support/test-app.js';

type Auth = { authorization: string };

// A member removed from a shared project, or who leaves it, is told on their live stream: a task.deleted for
// each task of the project, to them alone, so open consoles drop the project's tasks.
describe.each(STORAGES)('losing access to a shared project, live, on %s', (storage) => {
  const t = useTestApp(storage, { user: false, env: { STREAM_HEARTBEAT_MS: '200' } });
  let base: string;
  beforeAll(async () => {
    base = await t.server.listen({ port: 0, host: '127.0.0.1' });
  });
  const call = (auth: Auth, method: 'POST' | 'DELETE', url: string, payload?: object) =>
    t.server.inject({ method, url: `/api/v1${url}`, headers: auth, ...(payload ? { payload } : {}) });
  const deletedIds = (messages: StreamMessage[]) =>
    messages.filter((m) => m.event === 'task.deleted').map((m) => JSON.parse(m.data!).id as string);

  async function shared() {
    const [alice, bob, carol] = [await t.user(), await t.user(), await t.user()];
    const project: Project = (await call(alice.auth, 'POST', '/projects', { name: 'Launch' })).json();
    for (const [who, role] of [
      [bob, 'editor'],
      [carol, 'viewer'],
    ] as const) {
      const { rows } = await t.db.query<{ email: string }>('SELECT email FROM users WHERE id = $1', [who.id]);
      expect(
        (await call(alice.auth, 'POST', `/projects/${project.id}/members`, { email: rows[0]!.email, role }))
          .statusCode,
      ).toBe(201);
    }
    const tasks: Task[] = [];
    tasks.push(await createTask(t, alice.auth, { title: 'Press kit', projectId: project.id }));
    tasks.push(await createTask(t, bob.auth, { title: 'Slides', parentId: tasks[0]!.id }));
    const done = await createTask(t, alice.auth, { title: 'Venue', projectId: project.id });
    await call(alice.auth, 'POST', `/tasks/${done.id}/complete`);
    tasks.push(done);
    await t.events.drained();
    return { alice, bob, carol, project, tasks };
  }

  it.each([
    ['removed by the owner', 'owner'],
    ['leaving', 'self'],
  ] as const)(
    'a member %s gets a task.deleted for every task of the project; nobody else does',
    async (_, by) => {
      const { alice, bob, carol, project, tasks } = await shared();
      const streams = await Promise.all(
        [alice, bob, carol].map((u) => openEventStream(`${base}/api/v1/stream`, u.auth)),
      );
      await Promise.all(streams.map((s) => s.connected));
      const [aliceStream, bobStream, carolStream] = streams as [
        (typeof streams)[0],
        (typeof streams)[0],
        (typeof streams)[0],
      ];
      const remover = by === 'owner' ? alice.auth : bob.auth;
      expect((await call(remover, 'DELETE', `/projects/${project.id}/members/${bob.id}`)).statusCode).toBe(
        204,
      );
      const bobs = await bobStream.closeWhen((m) => deletedIds(m).length >= tasks.length);
      expect(deletedIds(bobs).sort()).toEqual(tasks.map((x) => x.id).sort());
      const removal = JSON.parse(bobs.find((m) => m.event === 'task.deleted')!.data!);
      expect(removal).toMatchObject({ projectId: project.id });
      expect(Object.keys(removal)).not.toContain('recipients');
      await t.events.drained();
      // The others' streams end at their next heartbeat, once the backbone is idle: no deletions there.
      for (const s of [aliceStream, carolStream]) {
        const seen = s.messages.length;
        expect(deletedIds(await s.closeWhen((m) => m.length > seen))).toEqual([]);
      }
      // Nothing was deleted: the members left still have every task, and no deletion went to task-events.
      expect(
        (await t.server.inject({ url: `/api/v1/tasks/${tasks[0]!.id}`, headers: carol.auth })).statusCode,
      ).toBe(200);
      const { rows } = await t.db.query(
        "SELECT 1 FROM outbox_log WHERE key = $1 AND event->>'type' = 'todo.task.deleted' AND EXISTS (SELECT 1 FROM unnest(topics) AS tp WHERE tp LIKE '%task-events')",
        [tasks[0]!.id],
      );
      expect(rows).toEqual([]);
    },
  );

  it('a member removed and invited back before the stream consumer runs loses nothing on their stream', async () => {
    const { alice, bob, project, tasks } = await shared();
    const { rows } = await t.db.query<{ email: string }>('SELECT email FROM users WHERE id = $1', [bob.id]);
    await t.events.relay.stop();
    try {
      expect((await call(alice.auth, 'DELETE', `/projects/${project.id}/members/${bob.id}`)).statusCode).toBe(
        204,
      );
      expect(
        (
          await call(alice.auth, 'POST', `/projects/${project.id}/members`, {
            email: rows[0]!.email,
            role: 'editor',
          })
        ).statusCode,
      ).toBe(201);
    } finally {
      await t.events.relay.start();
    }
    await t.events.drained();
    const { rows: sent } = await t.db.query(
      "SELECT 1 FROM stream_events WHERE user_id = $1 AND type = 'task.deleted' AND data->>'id' = ANY($2::text[])",
      [bob.id, tasks.map((x) => x.id)],
    );
    expect(sent).toEqual([]);
  });
});
