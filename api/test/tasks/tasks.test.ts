import { describe, expect, it } from 'vitest';
import { problemOf, STORAGES, useTestApp } from '../support/test-app.js';

describe.each(STORAGES)('tasks on %s', (storage) => {
  const t = useTestApp(storage);

  const create = (payload: Record<string, unknown>) =>
    t.server.inject({ method: 'POST', url: '/api/v1/tasks', headers: t.auth, payload });

  it('creates a task with defaults, normalising title and tags', async () => {
    const res = await create({ title: '  Buy milk  ', tags: ['Home', 'home', 'errands'] });
    expect(res.statusCode).toBe(201);
    const task = res.json();
    expect(task).toMatchObject({
      title: 'Buy milk',
      description: '',
      completed: false,
      completedAt: null,
      priority: 'none',
      tags: ['home', 'errands'],
      dueAt: null,
      timeZone: 'UTC',
      reminders: [],
      recurrence: null,
      seriesId: null,
      version: 1,
    });
    expect(task.userId).toBeUndefined();
    expect(res.headers.etag).toBe('"1"');
    expect(res.headers.location).toBe(`/api/v1/tasks/${task.id}`);
  });

  it('stores every field of the contract and returns it on GET with an ETag', async () => {
    const res = await create({
      title: 'Pay rent',
      description: 'Transfer to landlord',
      priority: 'high',
      tags: ['home'],
      dueAt: '2030-03-01T09:00:00+01:00',
      timeZone: 'Europe/Paris',
      reminders: [{ before: 'PT15M' }, { remindAt: '2030-02-28T18:00:00Z' }],
      recurrence: { rule: 'FREQ=MONTHLY;BYMONTHDAY=1', from: 'due' },
    });
    expect(res.statusCode).toBe(201);
    const created = res.json();
    expect(created.dueAt).toBe('2030-03-01T08:00:00.000Z');
    expect(created.seriesId).toBe(created.id);
    expect(created.reminders).toHaveLength(2);
    expect(created.reminders[0]).toMatchObject({ before: 'PT15M' });
    expect(created.reminders[0].id).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.reminders[1]).toMatchObject({ remindAt: '2030-02-28T18:00:00.000Z' });
    const got = await t.server.inject({ url: `/api/v1/tasks/${created.id}`, headers: t.auth });
    expect(got.statusCode).toBe(200);
    expect(got.headers.etag).toBe('"1"');
    expect(got.json()).toEqual(created);
    const notModified = await t.server.inject({
      url: `/api/v1/tasks/${created.id}`,
      headers: { ...t.auth, 'if-none-match': '"1"' },
    });
    expect(notModified.statusCode).toBe(304);
  });

  it('patches only the given fields, bumps the version and honours If-Match', async () => {
    const created = (await create({ title: 'Draft', priority: 'low', tags: ['work'] })).json();
    const res = await t.server.inject({
      method: 'PATCH',
      url: `/api/v1/tasks/${created.id}`,
      headers: { ...t.auth, 'if-match': '"1"' },
      payload: { title: 'Final', dueAt: '2031-01-01T00:00:00Z' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      title: 'Final',
      priority: 'low',
      tags: ['work'],
      dueAt: '2031-01-01T00:00:00.000Z',
      version: 2,
    });
    expect(res.headers.etag).toBe('"2"');
    const stale = await t.server.inject({
      method: 'PATCH',
      url: `/api/v1/tasks/${created.id}`,
      headers: { ...t.auth, 'if-match': '"1"' },
      payload: { title: 'Lost update' },
    });
    expect(stale.statusCode).toBe(412);
    expect(problemOf(stale).title).toBe('Precondition Failed');
    const cleared = await t.server.inject({
      method: 'PATCH',
      url: `/api/v1/tasks/${created.id}`,
      headers: { ...t.auth, 'content-type': 'application/merge-patch+json' },
      payload: JSON.stringify({ dueAt: null }),
    });
    expect(cleared.json()).toMatchObject({ title: 'Final', dueAt: null, version: 3 });
  });

  it('completes and reopens, idempotently', async () => {
    const created = (await create({ title: 'Walk the dog' })).json();
    const done = await t.server.inject({
      method: 'POST',
      url: `/api/v1/tasks/${created.id}/complete`,
      headers: t.auth,
    });
    expect(done.statusCode).toBe(200);
    expect(done.json()).toMatchObject({ completed: true, version: 2 });
    expect(Date.parse(done.json().completedAt)).toBeGreaterThan(Date.parse(created.createdAt) - 1000);
    const again = await t.server.inject({
      method: 'POST',
      url: `/api/v1/tasks/${created.id}/complete`,
      headers: { ...t.auth, 'content-type': 'application/json' },
    });
    expect(again.json()).toMatchObject({ completed: true, version: 2 });
    const reopened = await t.server.inject({
      method: 'POST',
      url: `/api/v1/tasks/${created.id}/reopen`,
      headers: t.auth,
    });
    expect(reopened.json()).toMatchObject({ completed: false, completedAt: null, version: 3 });
  });

  it('deletes a task, after which it is gone', async () => {
    const created = (await create({ title: 'Temporary' })).json();
    const del = await t.server.inject({
      method: 'DELETE',
      url: `/api/v1/tasks/${created.id}`,
      headers: t.auth,
    });
    expect(del.statusCode).toBe(204);
    expect(del.body).toBe('');
    const got = await t.server.inject({ url: `/api/v1/tasks/${created.id}`, headers: t.auth });
    expect(got.statusCode).toBe(404);
    const again = await t.server.inject({
      method: 'DELETE',
      url: `/api/v1/tasks/${created.id}`,
      headers: t.auth,
    });
    expect(again.statusCode).toBe(404);
  });

  it("counts tags across the user's tasks", async () => {
    const other = await t.user();
    await t.server.inject({
      method: 'POST',
      url: '/api/v1/tasks',
      headers: other.auth,
      payload: { title: 'a', tags: ['x', 'y'] },
    });
    await t.server.inject({
      method: 'POST',
      url: '/api/v1/tasks',
      headers: other.auth,
      payload: { title: 'b', tags: ['x'] },
    });
    const res = await t.server.inject({ url: '/api/v1/tags', headers: other.auth });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual([
      { name: 'x', count: 2 },
      { name: 'y', count: 1 },
    ]);
  });
});
