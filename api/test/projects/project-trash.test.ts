import type { Project, Task, TrashedTask } from '@todo/contract';
import { describe, expect, it } from 'vitest';
import { sweepTrash } from '../../src/events/retention.js';
import { createTask, onTask } from '../support/task-requests.js';
import { STORAGES, useTestApp } from '../support/test-app.js';

type Auth = { authorization: string };
const DAY = 86_400_000;

// Deleting a project puts its tasks in the Trash (the owner's Inbox's), restorable for 30 days like any
// deleted task; restored, they come back into the owner's Inbox.
describe.each(STORAGES)('deleting a project through the Trash on %s', (storage) => {
  const t = useTestApp(storage, { user: false });
  const call = (auth: Auth, method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) =>
    t.server.inject({ method, url: `/api/v1${url}`, headers: auth, ...(payload ? { payload } : {}) });
  const trashOf = async (auth: Auth): Promise<TrashedTask[]> =>
    (await call(auth, 'GET', '/trash?limit=200')).json().items;
  const inboxOf = async (auth: Auth): Promise<Project> =>
    ((await call(auth, 'GET', '/projects')).json() as Project[]).find((p) => p.inbox)!;

  async function sharedProject() {
    const [alice, bob] = [await t.user(), await t.user()];
    const project: Project = (await call(alice.auth, 'POST', '/projects', { name: 'Renovation' })).json();
    const { rows } = await t.db.query<{ email: string }>('SELECT email FROM users WHERE id = $1', [bob.id]);
    const invited = await call(alice.auth, 'POST', `/projects/${project.id}/members`, {
      email: rows[0]!.email,
      role: 'editor',
    });
    expect(invited.statusCode).toBe(201);
    return { alice, bob, project };
  }

  it('trashes every task (one deleted event each, naming the project, for every member) and restores into the Inbox of the owner', async () => {
    const { alice, bob, project } = await sharedProject();
    const paint = await createTask(t, bob.auth, {
      title: 'Paint',
      projectId: project.id,
      assigneeId: bob.id,
    });
    const primer = await createTask(t, bob.auth, {
      title: 'Primer',
      parentId: paint.id,
      assigneeId: alice.id,
    });
    const tiles = await createTask(t, alice.auth, { title: 'Tiles', projectId: project.id });
    const earlier = await createTask(t, alice.auth, { title: 'Deleted before', projectId: project.id });
    expect((await onTask(t, alice.auth).trash(earlier.id)).statusCode).toBe(204);

    expect((await call(alice.auth, 'DELETE', `/projects/${project.id}`)).statusCode).toBe(204);
    for (const task of [paint, primer, tiles]) {
      expect((await onTask(t, alice.auth).get(task.id)).statusCode).toBe(404);
      const { rows } = await t.db.query<{ type: string; project: string; audience: string[] }>(
        `SELECT event->>'type' AS type, event->'data'->>'projectId' AS project,
           event->'data'->'audience' AS audience
         FROM outbox_log WHERE key = $1 AND event->>'type' LIKE 'todo.task.%' ORDER BY id`,
        [task.id],
      );
      expect(rows.map((r) => r.type)).toEqual(['todo.task.created', 'todo.task.deleted']);
      expect(rows[1]).toMatchObject({ project: project.id });
      expect([...rows[1]!.audience].sort()).toEqual([alice.id, bob.id].sort());
    }
    await t.events.drained();
    // Both members' streams were told.
    const { rows: streamed } = await t.db.query<{ user_id: string }>(
      "SELECT user_id FROM stream_events WHERE type = 'task.deleted' AND data->>'id' = $1",
      [paint.id],
    );
    expect(streamed.map((r) => r.user_id).sort()).toEqual([alice.id, bob.id].sort());

    // The owner's Trash holds them all (the one deleted before too); the former member's none.
    const trashed = (await trashOf(alice.auth)).map((x) => x.id);
    expect(trashed).toEqual(expect.arrayContaining([paint.id, primer.id, tiles.id, earlier.id]));
    expect((await trashOf(bob.auth)).map((x) => x.id)).not.toContain(paint.id);
    expect((await call(bob.auth, 'POST', `/trash/${paint.id}/restore`)).statusCode).toBe(404);

    const inbox = await inboxOf(alice.auth);
    const restored = await call(alice.auth, 'POST', `/trash/${paint.id}/restore`);
    expect(restored.statusCode).toBe(200);
    expect(restored.json()).toMatchObject({
      id: paint.id,
      projectId: inbox.id,
      parentId: null,
      assigneeId: null,
    });
    const sub: Task = (await onTask(t, alice.auth).get(primer.id)).json();
    expect(sub).toMatchObject({
      projectId: inbox.id,
      parentId: paint.id,
      assigneeId: alice.id,
      title: 'Primer',
    });
    expect((await call(alice.auth, 'POST', `/trash/${earlier.id}/restore`)).json()).toMatchObject({
      projectId: inbox.id,
    });
    expect((await onTask(t, bob.auth).get(paint.id)).statusCode).toBe(404);
    expect(await onTask(t, alice.auth).titles(`projectId=${inbox.id}&sort=manual`)).toEqual(
      expect.arrayContaining(['Paint', 'Deleted before']),
    );
  });

  it('purges them after 30 days like any task in the Trash', async () => {
    const { alice, project } = await sharedProject();
    const task = await createTask(t, alice.auth, { title: 'Old plan', projectId: project.id });
    expect((await call(alice.auth, 'DELETE', `/projects/${project.id}`)).statusCode).toBe(204);
    await sweepTrash(t.db, new Date(Date.now() + 29 * DAY));
    expect((await trashOf(alice.auth)).map((x) => x.id)).toContain(task.id);
    await sweepTrash(t.db, new Date(Date.now() + 31 * DAY));
    expect((await trashOf(alice.auth)).map((x) => x.id)).not.toContain(task.id);
  });

  it('a failed delete (the Inbox, a member who is not the owner) trashes nothing', async () => {
    const { alice, bob, project } = await sharedProject();
    const task = await createTask(t, alice.auth, { title: 'Stays', projectId: project.id });
    expect((await call(bob.auth, 'DELETE', `/projects/${project.id}`)).statusCode).toBe(403);
    const inbox = await inboxOf(alice.auth);
    expect((await call(alice.auth, 'DELETE', `/projects/${inbox.id}`)).statusCode).toBe(409);
    const outsider = await t.user();
    expect((await call(outsider.auth, 'DELETE', `/projects/${project.id}`)).statusCode).toBe(404);
    expect((await onTask(t, alice.auth).get(task.id)).json()).toMatchObject({ projectId: project.id });
    expect(await trashOf(alice.auth)).toEqual([]);
  });
});
