import type { Task } from '@todo/contract';
import { describe, expect, it } from 'vitest';
import { createTask, eventTypesOf, onTask } from '../support/task-requests.js';
import { problemOf, STORAGES, useTestApp } from '../support/test-app.js';

describe.each(STORAGES)('subtasks on %s', (storage) => {
  const t = useTestApp(storage);
  const as = () => onTask(t, t.auth);
  const create = (payload: object) => createTask(t, t.auth, payload);

  /** A chain of `levels` tasks, each the parent of the next; returns them top first. */
  async function chain(levels: number, prefix: string): Promise<Task[]> {
    const tasks: Task[] = [];
    for (let i = 0; i < levels; i++) {
      tasks.push(await create({ title: `${prefix} ${i + 1}`, parentId: tasks[i - 1]?.id ?? null }));
    }
    return tasks;
  }

  it('creates, reads, lists and edits subtasks; a top-level task has parentId null', async () => {
    const parent = await create({ title: 'Plan trip' });
    expect(parent.parentId).toBeNull();
    const child = await create({ title: 'Book flights', parentId: parent.id });
    expect(child).toMatchObject({ parentId: parent.id, version: 1 });
    expect(typeof child.order).toBe('string');
    expect((await as().get(child.id)).json()).toEqual(child);
    expect(await as().titles(`parentId=${parent.id}`)).toEqual(['Book flights']);
    expect(await as().titles('parentId=none&q=trip')).toEqual(['Plan trip']);
    const edited = await t.server.inject({
      method: 'PATCH',
      url: `/api/v1/tasks/${child.id}`,
      headers: t.auth,
      payload: { title: 'Book cheap flights' },
    });
    expect(edited.json()).toMatchObject({ title: 'Book cheap flights', parentId: parent.id, version: 2 });
  });

  it('nests four levels and refuses a fifth with a 422 that names parentId; nothing is written', async () => {
    const levels = await chain(4, 'deep');
    const before = (await t.db.query('SELECT id FROM tasks')).rows.length;
    const res = await t.server.inject({
      method: 'POST',
      url: '/api/v1/tasks',
      headers: t.auth,
      payload: { title: 'too deep', parentId: levels[3]!.id },
    });
    expect(res.statusCode).toBe(422);
    const problem = problemOf(res);
    expect(problem.detail).toMatch(/at most 4 levels/);
    expect(problem.errors?.[0]?.path).toBe('parentId');
    expect((await t.db.query('SELECT id FROM tasks')).rows.length).toBe(before);
  });

  it('refuses a move that would nest the subtree too deep, or under itself or its own subtask', async () => {
    const [a, b] = await chain(2, 'branch');
    const [x, , z] = await chain(3, 'other');
    // a (2 levels) under z (level 3) would reach level 5.
    const tooDeep = await as().move(a!.id, { parentId: z!.id });
    expect(tooDeep.statusCode).toBe(422);
    expect(problemOf(tooDeep).detail).toMatch(/at most 4 levels/);
    for (const target of [a!.id, b!.id]) {
      const cycle = await as().move(a!.id, { parentId: target });
      expect(cycle.statusCode).toBe(422);
      expect(problemOf(cycle).detail).toMatch(/under itself or one of its own subtasks/);
    }
    expect((await as().get(a!.id)).json()).toMatchObject({ parentId: null, version: 1 });
    // a (2 levels) under x (level 1) fits; its child comes along.
    expect((await as().move(a!.id, { parentId: x!.id })).json()).toMatchObject({
      parentId: x!.id,
      version: 2,
    });
    expect(await as().titles(`parentId=${a!.id}`)).toEqual(['branch 2']);
  });

  it('completes the open subtree with its parent in one go: one completed event each', async () => {
    const parent = await create({ title: 'Move house' });
    const open = await create({ title: 'Pack books', parentId: parent.id });
    const done = await create({ title: 'Order boxes', parentId: parent.id });
    const grandchild = await create({ title: 'Tape boxes', parentId: done.id });
    expect((await as().complete(done.id)).json().completed).toBe(true);
    const res = await as().complete(parent.id);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ completed: true, version: 2 });
    for (const task of [open, grandchild]) {
      expect((await as().get(task.id)).json()).toMatchObject({ completed: true, version: 2 });
      expect(await eventTypesOf(t, task.id)).toEqual(['todo.task.created', 'todo.task.completed']);
    }
    // The subtask completed before is left as it was: one completion, one event.
    expect((await as().get(done.id)).json()).toMatchObject({ completed: true, version: 2 });
    expect(await eventTypesOf(t, done.id)).toEqual(['todo.task.created', 'todo.task.completed']);
    expect(await eventTypesOf(t, parent.id)).toEqual(['todo.task.created', 'todo.task.completed']);
    // Completing it again changes nothing.
    expect((await as().complete(parent.id)).json().version).toBe(2);
    expect(await eventTypesOf(t, parent.id)).toHaveLength(2);
  });

  it('reopening a parent undoes its completion: the subtasks it completed reopen, one event each; those done on their own stay done', async () => {
    const parent = await create({ title: 'Weekly review' });
    const child = await create({ title: 'Inbox zero', parentId: parent.id });
    const grandchild = await create({ title: 'Archive mail', parentId: child.id });
    const doneBefore = await create({ title: 'Clear desk', parentId: parent.id });
    expect((await as().complete(doneBefore.id)).statusCode).toBe(200);
    await as().complete(parent.id);
    const reopened = await as().reopen(parent.id);
    expect(reopened.statusCode).toBe(200);
    expect(reopened.json()).toMatchObject({ completed: false, completedAt: null, version: 3 });
    for (const task of [child, grandchild]) {
      expect((await as().get(task.id)).json()).toMatchObject({
        completed: false,
        completedAt: null,
        version: 3,
      });
      expect(await eventTypesOf(t, task.id)).toEqual([
        'todo.task.created',
        'todo.task.completed',
        'todo.task.reopened',
      ]);
    }
    expect((await as().get(doneBefore.id)).json()).toMatchObject({ completed: true, version: 2 });
    expect(await eventTypesOf(t, doneBefore.id)).toEqual(['todo.task.created', 'todo.task.completed']);
    // Reopening again changes nothing.
    expect((await as().reopen(parent.id)).json().version).toBe(3);
    expect(await eventTypesOf(t, child.id)).toHaveLength(3);
  });

  it('refuses another user’s task as a parent, as if it did not exist', async () => {
    const mallory = await t.user();
    const mine = await create({ title: 'Mine' });
    const theirs = await createTask(t, mallory.auth, { title: 'Theirs' });
    for (const parentId of [theirs.id, '00000000-0000-4000-8000-000000000000']) {
      const res = await t.server.inject({
        method: 'POST',
        url: '/api/v1/tasks',
        headers: t.auth,
        payload: { title: 'child', parentId },
      });
      expect(res.statusCode).toBe(422);
      expect(problemOf(res).errors?.[0]).toMatchObject({
        path: 'parentId',
        message: 'is not one of your tasks',
      });
      expect((await as().move(mine.id, { parentId })).statusCode).toBe(422);
    }
    expect(await as().titles(`parentId=${theirs.id}`)).toEqual([]);
  });

  it('refuses malformed, hostile and oversized parent ids on create with a 400 naming parentId', async () => {
    const before = (await t.db.query('SELECT count(*)::int AS n FROM outbox_log')).rows;
    for (const parentId of [
      "1' OR '1'='1",
      42,
      'x'.repeat(5000),
      { id: 'x' },
      '00000000-0000-0000-0000-00000000000g',
    ]) {
      const res = await t.server.inject({
        method: 'POST',
        url: '/api/v1/tasks',
        headers: t.auth,
        payload: { title: 'child', parentId },
      });
      expect(res.statusCode, JSON.stringify(parentId).slice(0, 40)).toBe(400);
      expect(problemOf(res).errors?.map((e) => e.path)).toContain('parentId');
    }
    for (const query of ['parentId=top', `parentId=${'a'.repeat(300)}`, "parentId='%20OR%201=1"]) {
      const res = await t.server.inject({ url: `/api/v1/tasks?${query}`, headers: t.auth });
      expect(res.statusCode, query).toBe(400);
    }
    expect((await t.db.query('SELECT count(*)::int AS n FROM outbox_log')).rows).toEqual(before);
  });
});
