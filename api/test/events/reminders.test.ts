import { eventually } from '@todo/infra/testing';
import { describe, expect, it } from 'vitest';
import { createTask } from '../support/task-requests.js';
import { STORAGES, useTestApp } from '../support/test-app.js';

interface NotificationList {
  items: {
    id: string;
    type: string;
    taskId: string;
    title: string;
    createdAt: string;
    readAt: string | null;
  }[];
  unread: number;
}

describe.each(STORAGES)('reminders on %s', (storage) => {
  const t = useTestApp(storage);

  const notifications = async (): Promise<NotificationList> =>
    (await t.server.inject({ url: '/api/v1/notifications', headers: t.auth })).json();
  const createdAtOf = async (taskId: string) => {
    const { rows } = await t.db.query<{ created_at: Date }>(
      'SELECT created_at FROM notifications WHERE task_id = $1',
      [taskId],
    );
    return rows.map((r) => r.created_at.getTime());
  };

  it('fires an absolute reminder once, within 1 s of its time, as a notification', async () => {
    const at = new Date(Date.now() + 1500);
    const task = await createTask(t, t.auth, {
      title: 'Call mum',
      reminders: [{ remindAt: at.toISOString() }],
    });
    const n = await eventually(
      'the reminder notification',
      async () => {
        const list = await notifications();
        const mine = list.items.filter((i) => i.taskId === task.id);
        expect(mine).toHaveLength(1);
        return mine[0]!;
      },
      4000,
    );
    expect(n).toMatchObject({ type: 'reminder', title: 'Call mum', readAt: null });
    const [createdAt] = await createdAtOf(task.id);
    expect(createdAt! - at.getTime()).toBeGreaterThanOrEqual(0);
    expect(createdAt! - at.getTime()).toBeLessThan(1000);
    await t.events.drained();
    expect(await createdAtOf(task.id)).toHaveLength(1);
  });

  it('fires a relative reminder before the due date, and reschedules it when the due date moves', async () => {
    const due = new Date(Date.now() + 2 * 60 * 60_000);
    const task = await createTask(t, t.auth, {
      title: 'Standup',
      dueAt: due.toISOString(),
      reminders: [{ before: 'PT1H' }],
    });
    const { rows } = await t.db.query<{ fire_at: Date }>(
      'SELECT fire_at FROM reminder_schedule WHERE task_id = $1',
      [task.id],
    );
    expect(rows[0]!.fire_at.getTime()).toBe(due.getTime() - 3_600_000);
    const soon = new Date(Date.now() + 60 * 60_000 + 800);
    await t.server.inject({
      method: 'PATCH',
      url: `/api/v1/tasks/${task.id}`,
      headers: t.auth,
      payload: { dueAt: soon.toISOString() },
    });
    await eventually('one notification', async () => (await createdAtOf(task.id)).length === 1, 4000);
  });

  it('cancels reminders of deleted and completed tasks', async () => {
    const at = new Date(Date.now() + 60_000).toISOString();
    const a = await createTask(t, t.auth, { title: 'deleted', reminders: [{ remindAt: at }] });
    const b = await createTask(t, t.auth, { title: 'done', reminders: [{ remindAt: at }] });
    await t.server.inject({ method: 'DELETE', url: `/api/v1/tasks/${a.id}`, headers: t.auth });
    await t.server.inject({ method: 'POST', url: `/api/v1/tasks/${b.id}/complete`, headers: t.auth });
    // Reminders fire only from the due-queue: cancelled means gone from it, in the task's own transaction.
    const { rows } = await t.db.query(
      'SELECT task_id FROM reminder_schedule WHERE task_id = ANY($1::uuid[])',
      [[a.id, b.id]],
    );
    expect(rows).toEqual([]);
    await t.events.drained();
    expect(await createdAtOf(a.id)).toEqual([]);
    expect(await createdAtOf(b.id)).toEqual([]);
  });

  it("marks notifications read, one or all, and never another user's", async () => {
    await eventually('two unread notifications', async () => (await notifications()).unread >= 2, 4000);
    const list = await notifications();
    const other = await t.user();
    const foreign = await t.server.inject({
      method: 'POST',
      url: `/api/v1/notifications/${list.items[0]!.id}/read`,
      headers: other.auth,
    });
    expect(foreign.statusCode).toBe(404);
    expect((await notifications()).unread).toBe(list.unread);
    const one = await t.server.inject({
      method: 'POST',
      url: `/api/v1/notifications/${list.items[0]!.id}/read`,
      headers: t.auth,
    });
    expect(one.statusCode).toBe(204);
    expect((await notifications()).unread).toBe(list.unread - 1);
    const bad = await t.server.inject({
      method: 'POST',
      url: '/api/v1/notifications/not-a-uuid/read',
      headers: t.auth,
    });
    expect(bad.statusCode).toBe(400);
    const all = await t.server.inject({
      method: 'POST',
      url: '/api/v1/notifications/read-all',
      headers: t.auth,
    });
    expect(all.statusCode).toBe(204);
    const after = await notifications();
    expect(after.unread).toBe(0);
    expect(after.items.every((i) => i.readAt !== null)).toBe(true);
  });
});
