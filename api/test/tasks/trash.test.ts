import type { Task, TrashedTask } from '@todo/contract';
import { describe, expect, it } from 'vitest';
import { sweepTrash } from '../../src/events/retention.js';
import { createTask, eventTypesOf, onTask } from '../support/task-requests.js';
import { problemOf, STORAGES, useTestApp } from '../support/test-app.js';

const DAY = 86_400_000;

describe.each(STORAGES)('the Trash on %s', (storage) => {
  const t = useTestApp(storage);
  const as = () => onTask(t, t.auth);
  const create = (payload: object) => createTask(t, t.auth, payload);
  const trashPage = async (query = '') => {
    const res = await t.server.inject({ url: `/api/v1/trash${query}`, headers: t.auth });
    expect(res.statusCode).toBe(200);
    return res.json() as { items: TrashedTask[]; nextCursor: string | null };
  };
  const trashedIds = async () => (await trashPage('?limit=200')).items.map((x) => x.id);

  /** parent → child → grandchild, plus a second child. */
  async function family(name: string) {
    const parent = await create({ title: `${name}`, tags: [name] });
    const child = await create({
      title: `${name} child`,
      parentId: parent.id,
      dueAt: '2030-05-01T09:00:00Z',
    });
    const grandchild = await create({ title: `${name} grandchild`, parentId: child.id });
    const sibling = await create({ title: `${name} sibling`, parentId: parent.id });
    return { parent, child, grandchild, sibling, all: [parent, child, grandchild, sibling] };
  }

  it('deleting a parent trashes its subtree: one deleted event each, gone from every read path', async () => {
    const f = await family('garden');
    expect((await as().trash(f.parent.id)).statusCode).toBe(204);
    for (const task of f.all) {
      expect((await as().get(task.id)).statusCode).toBe(404);
      expect(await eventTypesOf(t, task.id)).toEqual(['todo.task.created', 'todo.task.deleted']);
    }
    expect(await as().titles('status=all&q=garden')).toEqual([]);
    expect(await as().titles(`status=all&parentId=${f.parent.id}`)).toEqual([]);
    const tags = (await t.server.inject({ url: '/api/v1/tags', headers: t.auth })).json();
    expect(tags.map((x: { name: string }) => x.name)).not.toContain('garden');
    const page = await trashPage();
    expect(page.items.map((x) => x.id)).toEqual(expect.arrayContaining(f.all.map((x) => x.id)));
    const trashedParent = page.items.find((x) => x.id === f.parent.id)!;
    expect(trashedParent).toMatchObject({ title: 'garden', version: 2 });
    expect(Date.parse(trashedParent.deletedAt)).not.toBeNaN();
    // Writes to a trashed task answer 404 like any missing task; a second delete too.
    expect((await as().complete(f.child.id)).statusCode).toBe(404);
    expect((await as().trash(f.parent.id)).statusCode).toBe(404);
    const patch = await t.server.inject({
      method: 'PATCH',
      url: `/api/v1/tasks/${f.child.id}`,
      headers: t.auth,
      payload: { title: 'x' },
    });
    expect(patch.statusCode).toBe(404);
  });

  it('restores a task with the subtree deleted with it: one created event each, back where it was', async () => {
    const f = await family('attic');
    await as().trash(f.parent.id);
    const res = await as().restore(f.parent.id);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: f.parent.id, parentId: null, version: 3 });
    expect(res.headers.etag).toBe('"3"');
    for (const task of f.all) {
      expect((await as().get(task.id)).json()).toMatchObject({ parentId: task.parentId, order: task.order });
      expect(await eventTypesOf(t, task.id)).toEqual([
        'todo.task.created',
        'todo.task.deleted',
        'todo.task.created',
      ]);
    }
    expect(await trashedIds()).not.toContain(f.parent.id);
    expect((await as().restore(f.parent.id)).statusCode).toBe(404);
  });

  it('keeps a subtask deleted before its parent in the Trash when the parent is restored', async () => {
    const f = await family('cellar');
    await as().trash(f.sibling.id);
    await as().trash(f.parent.id);
    await as().restore(f.parent.id);
    expect((await as().get(f.grandchild.id)).statusCode).toBe(200);
    expect((await as().get(f.sibling.id)).statusCode).toBe(404);
    expect(await trashedIds()).toContain(f.sibling.id);
  });

  it('restores a subtask whose parent is still in the Trash at the top level', async () => {
    const f = await family('shed');
    await as().trash(f.parent.id);
    const res = await as().restore(f.child.id);
    expect(res.json()).toMatchObject({ id: f.child.id, parentId: null });
    expect((await as().get(f.grandchild.id)).json().parentId).toBe(f.child.id);
    expect(await as().titles('parentId=none&q=shed')).toEqual(['shed child']);
  });

  it('pages through the Trash, most recently deleted first, with a cursor only it accepts', async () => {
    const user = await t.user();
    const mine = onTask(t, user.auth);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const task = await createTask(t, user.auth, { title: `old ${i}` });
      await mine.trash(task.id);
      ids.push(task.id);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `?limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await t.server.inject({ url: `/api/v1/trash${query}`, headers: user.auth });
      const page = res.json() as { items: Task[]; nextCursor: string | null };
      seen.push(...page.items.map((x) => x.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
    const listCursor = (await t.server.inject({ url: '/api/v1/tasks?limit=1', headers: t.auth })).json()
      .nextCursor as string;
    const refused = await t.server.inject({ url: `/api/v1/trash?cursor=${listCursor}`, headers: user.auth });
    expect(refused.statusCode).toBe(422);
    expect(problemOf(refused).errors?.[0]?.path).toBe('cursor');
  });

  it('is emptied after 30 days: the sweep purges by a clock it is given, subtrees whole', async () => {
    const f = await family('loft');
    const keep = await create({ title: 'loft live' });
    await as().trash(f.parent.id);
    const deletedAt = Date.parse(
      (await trashPage('?limit=200')).items.find((x) => x.id === f.parent.id)!.deletedAt,
    );
    // Tasks trashed by earlier tests in this database are older, so only "this family stays" is asserted.
    await sweepTrash(t.db, new Date(deletedAt + 30 * DAY - 1000));
    expect(await trashedIds()).toEqual(expect.arrayContaining(f.all.map((x) => x.id)));
    expect(await sweepTrash(t.db, new Date(deletedAt + 30 * DAY + 1000))).toBeGreaterThanOrEqual(4);
    const { rows } = await t.db.query('SELECT id FROM tasks WHERE id = ANY($1::uuid[])', [
      f.all.map((x) => x.id),
    ]);
    expect(rows).toEqual([]);
    expect((await as().get(keep.id)).statusCode).toBe(200);
    expect((await as().restore(f.parent.id)).statusCode).toBe(404);
  });

  it('never shows or restores another user’s trashed task (404), and lists only the caller’s', async () => {
    const mallory = await t.user();
    const secret = await create({ title: 'secret' });
    await as().trash(secret.id);
    const page = (await t.server.inject({ url: '/api/v1/trash', headers: mallory.auth })).json();
    expect(page.items).toEqual([]);
    const restore = await onTask(t, mallory.auth).restore(secret.id);
    expect(restore.statusCode).toBe(404);
    expect(problemOf(restore).detail).not.toContain('secret');
    expect(await trashedIds()).toContain(secret.id);
    const live = await create({ title: 'live' });
    expect((await onTask(t, mallory.auth).trash(live.id)).statusCode).toBe(404);
    expect((await as().get(live.id)).statusCode).toBe(200);
  });

  it('answers malformed, hostile and out-of-range input with problem+json and writes nothing', async () => {
    const before = await t.db.query('SELECT count(*)::int AS n FROM outbox_log');
    const cases: { url: string; method: 'GET' | 'POST'; status: number; payload?: string }[] = [
      { method: 'POST', url: '/api/v1/trash/not-a-uuid/restore', status: 400 },
      { method: 'POST', url: "/api/v1/trash/'%20OR%201=1--/restore", status: 400 },
      { method: 'POST', url: `/api/v1/trash/${'a'.repeat(150)}/restore`, status: 400 },
      { method: 'POST', url: '/api/v1/trash/00000000-0000-4000-8000-000000000000/restore', status: 404 },
      { method: 'GET', url: '/api/v1/trash?limit=0', status: 400 },
      { method: 'GET', url: '/api/v1/trash?limit=201', status: 400 },
      { method: 'GET', url: '/api/v1/trash?limit=-1', status: 400 },
      { method: 'GET', url: '/api/v1/trash?cursor=%27%3B%20DROP%20TABLE%20tasks', status: 400 },
      { method: 'GET', url: `/api/v1/trash?cursor=${'A'.repeat(600)}`, status: 400 },
      { method: 'GET', url: '/api/v1/trash?unknown=1', status: 400 },
    ];
    for (const c of cases) {
      const res = await t.server.inject({ method: c.method, url: c.url, headers: t.auth });
      expect(res.statusCode, `${c.method} ${c.url}`).toBe(c.status);
      problemOf(res);
    }
    const after = await t.db.query('SELECT count(*)::int AS n FROM outbox_log');
    expect(after.rows).toEqual(before.rows);
  });
});
