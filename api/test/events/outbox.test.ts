import { eventually } from '@todo/infra/testing';
import { describe, expect, it } from 'vitest';
import { createTask } from '../support/task-requests.js';
import { STORAGES, useTestApp } from '../support/test-app.js';

interface OutboxRow {
  topics: string[];
  key: string;
  event: {
    specversion: string;
    id: string;
    source: string;
    type: string;
    subject: string;
    time: string;
    data: Record<string, unknown>;
  };
  delivered_at: Date | null;
}

describe.each(STORAGES)('transactional outbox on %s', (storage) => {
  const t = useTestApp(storage, { env: { TOPIC_PREFIX: 'acme' } });

  const rowsFor = async (taskId: string) =>
    (
      await t.db.query<OutboxRow>(
        'SELECT topics, key, event, delivered_at FROM outbox_log WHERE key = $1 ORDER BY id',
        [taskId],
      )
    ).rows;

  it('writes a contract CloudEvent for every mutation, in order, on prefixed topics', async () => {
    const created = await createTask(t, t.auth, { title: 'Outboxed' });
    await t.server.inject({
      method: 'PATCH',
      url: `/api/v1/tasks/${created.id}`,
      headers: t.auth,
      payload: { priority: 'high' },
    });
    await t.server.inject({
      method: 'POST',
      url: `/api/v1/tasks/${created.id}/complete`,
      headers: t.auth,
    });
    await t.server.inject({ method: 'POST', url: `/api/v1/tasks/${created.id}/reopen`, headers: t.auth });
    await t.server.inject({ method: 'DELETE', url: `/api/v1/tasks/${created.id}`, headers: t.auth });
    const rows = await rowsFor(created.id);
    // One row per change, published to the history topic and the live-update topic alike.
    expect(rows.every((r) => r.topics.join() === 'acme.task-events,acme.task-updates')).toBe(true);
    const taskEvents = rows;
    expect(taskEvents.map((r) => r.event.type)).toEqual([
      'todo.task.created',
      'todo.task.updated',
      'todo.task.completed',
      'todo.task.reopened',
      'todo.task.deleted',
    ]);
    const updated = taskEvents[1]!.event;
    expect(updated).toMatchObject({ specversion: '1.0', source: '/todo-api', subject: created.id });
    expect(updated.data).toMatchObject({
      id: created.id,
      userId: t.userId,
      priority: 'high',
      changedFields: ['priority'],
    });
    expect(new Set(rows.map((r) => r.event.id)).size).toBe(rows.length);
    expect(rows.every((r) => r.key === created.id)).toBe(true);
  });

  it('writes nothing when the write fails', async () => {
    const before = (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox_log')).rows[0]!.n;
    const res = await t.server.inject({
      method: 'POST',
      url: '/api/v1/tasks',
      headers: t.auth,
      payload: { title: 'x', reminders: [{ before: 'PT1M' }] },
    });
    expect(res.statusCode).toBe(422);
    const after = (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox_log')).rows[0]!.n;
    expect(after).toBe(before);
  });

  it('delivers every row to the delivery log and reports the backlog on /metrics', async () => {
    const created = await createTask(t, t.auth, { title: 'Delivered' });
    await eventually('every outbox row delivered', async () =>
      (await rowsFor(created.id)).every((r) => r.delivered_at !== null),
    );
    const metrics = await t.server.inject({ url: '/metrics' });
    expect(metrics.body).toMatch(/outbox_backlog_events 0/);
    expect(metrics.body).toMatch(/outbox_oldest_undelivered_age_seconds 0/);
  });
});
