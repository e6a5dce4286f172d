import type { Task } from '@todo/contract';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTask, eventTypesOf, onTask } from '../support/task-requests.js';
import { problemOf, STORAGES, useTestApp } from '../support/test-app.js';

type Auth = { authorization: string };

/** Subtasks, moves and the Trash in a shared project: one tree per project, whoever created each task. */
describe.each(STORAGES)('trees of shared projects on %s', (storage) => {
  const t = useTestApp(storage, { user: false });
  const users = {} as Record<'owner' | 'editor' | 'viewer' | 'stranger', { id: string; auth: Auth }>;
  let shared: string;
  let elsewhere: string;

  async function invite(projectId: string, who: 'editor' | 'viewer', role: 'editor' | 'viewer') {
    const { rows } = await t.db.query<{ email: string }>('SELECT email FROM users WHERE id = $1', [
      users[who].id,
    ]);
    const res = await t.server.inject({
      method: 'POST',
      url: `/api/v1/projects/${projectId}/members`,
      headers: users.owner.auth,
      payload: { email: rows[0]!.email, role },
    });
    expect(res.statusCode).toBe(201);
  }
  const project = async (auth: Auth, name: string) =>
    (
      await t.server.inject({ method: 'POST', url: '/api/v1/projects', headers: auth, payload: { name } })
    ).json().id as string;

  beforeAll(async () => {
    for (const who of ['owner', 'editor', 'viewer', 'stranger'] as const) users[who] = await t.user();
    shared = await project(users.owner.auth, 'Shared');
    elsewhere = await project(users.owner.auth, 'Elsewhere');
    await invite(shared, 'editor', 'editor');
    await invite(shared, 'viewer', 'viewer');
    await invite(elsewhere, 'viewer', 'viewer');
  });

  it("lets an editor add a subtask under the owner's task; deleting and restoring the parent takes both", async () => {
    const parent = await createTask(t, users.owner.auth, { title: 'Plan the party', projectId: shared });
    const child = await createTask(t, users.editor.auth, { title: 'Buy cake', parentId: parent.id });
    expect(child).toMatchObject({ parentId: parent.id, projectId: shared });
    expect((await onTask(t, users.viewer.auth).trash(parent.id)).statusCode).toBe(403);
    expect((await onTask(t, users.stranger.auth).trash(parent.id)).statusCode).toBe(404);
    expect((await onTask(t, users.editor.auth).trash(parent.id)).statusCode).toBe(204);
    expect(await eventTypesOf(t, child.id)).toEqual(['todo.task.created', 'todo.task.deleted']);
    const trash = (await t.server.inject({ url: '/api/v1/trash', headers: users.viewer.auth })).json();
    expect(trash.items.map((x: Task) => x.id)).toEqual(expect.arrayContaining([parent.id, child.id]));
    const strangers = (await t.server.inject({ url: '/api/v1/trash', headers: users.stranger.auth })).json();
    expect(strangers.items).toEqual([]);
    expect((await onTask(t, users.viewer.auth).restore(parent.id)).statusCode).toBe(403);
    const stranger = await onTask(t, users.stranger.auth).restore(parent.id);
    expect(stranger.statusCode).toBe(404);
    expect(problemOf(stranger).detail).not.toContain('party');
    expect((await onTask(t, users.owner.auth).restore(parent.id)).statusCode).toBe(200);
    expect((await onTask(t, users.editor.auth).get(child.id)).json()).toMatchObject({ parentId: parent.id });
  });

  it("completes an editor's subtasks with the owner's parent, and lets an editor reorder the owner's", async () => {
    const parent = await createTask(t, users.owner.auth, { title: 'Pack', projectId: shared });
    const a = await createTask(t, users.owner.auth, { title: 'Pack a', parentId: parent.id });
    const b = await createTask(t, users.editor.auth, { title: 'Pack b', parentId: parent.id });
    const moved = await onTask(t, users.editor.auth).move(a.id, { after: b.id });
    expect(moved.statusCode).toBe(200);
    expect(await onTask(t, users.viewer.auth).titles(`parentId=${parent.id}&sort=manual`)).toEqual([
      'Pack b',
      'Pack a',
    ]);
    expect((await onTask(t, users.viewer.auth).move(b.id, { after: a.id })).statusCode).toBe(403);
    expect((await onTask(t, users.stranger.auth).move(b.id, { after: a.id })).statusCode).toBe(404);
    expect((await onTask(t, users.owner.auth).complete(parent.id)).statusCode).toBe(200);
    expect((await onTask(t, users.editor.auth).get(b.id)).json().completed).toBe(true);
  });

  it('moves a task with its subtree to another project: an update event each, to the top level there', async () => {
    const parent = await createTask(t, users.owner.auth, { title: 'Trip', projectId: shared });
    const child = await createTask(t, users.editor.auth, { title: 'Trip tickets', parentId: parent.id });
    const grandchild = await createTask(t, users.owner.auth, {
      title: 'Trip seats',
      parentId: child.id,
      assigneeId: users.editor.id,
    });
    const res = await onTask(t, users.owner.auth).move(child.id, { projectId: elsewhere });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ projectId: elsewhere, parentId: null, version: 2 });
    const seats = (await onTask(t, users.owner.auth).get(grandchild.id)).json();
    // The editor is no member of the other project: the subtask is unassigned there.
    expect(seats).toMatchObject({ projectId: elsewhere, parentId: child.id, assigneeId: null, version: 2 });
    const taskEvents = (await eventTypesOf(t, grandchild.id)).filter((type) => type.startsWith('todo.task.'));
    expect(taskEvents).toEqual(['todo.task.created', 'todo.task.updated']);
    expect((await onTask(t, users.editor.auth).get(grandchild.id)).statusCode).toBe(404);
    // And back, under a parent there.
    const back = await onTask(t, users.owner.auth).move(child.id, { projectId: shared, parentId: parent.id });
    expect(back.json()).toMatchObject({ projectId: shared, parentId: parent.id });
    expect((await onTask(t, users.editor.auth).get(grandchild.id)).json().projectId).toBe(shared);
  });

  it('refuses a move to a project the caller cannot edit, or under a parent of another project', async () => {
    const task = await createTask(t, users.editor.auth, { title: 'Mine to move', projectId: shared });
    const other = await createTask(t, users.owner.auth, { title: 'Other project', projectId: elsewhere });
    expect((await onTask(t, users.editor.auth).move(task.id, { projectId: elsewhere })).statusCode).toBe(404);
    expect((await onTask(t, users.viewer.auth).move(other.id, { projectId: shared })).statusCode).toBe(403);
    const strayParent = await onTask(t, users.owner.auth).move(task.id, { parentId: other.id });
    expect(strayParent.statusCode).toBe(422);
    expect(problemOf(strayParent).errors?.[0]?.path).toBe('parentId');
    expect((await onTask(t, users.owner.auth).get(task.id)).json()).toMatchObject({
      projectId: shared,
      version: 1,
    });
  });
});
