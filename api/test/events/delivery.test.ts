import type { CloudEvent } from '@todo/contract';
import { topicName } from '@todo/contract';
import { describe, expect, it } from 'vitest';
import { createTask } from '../support/task-requests.js';
import { STORAGES, useTestApp } from '../support/test-app.js';

describe.each(STORAGES)('idempotent consumers on %s', (storage) => {
  const t = useTestApp(storage);

  const completedEvent = async (): Promise<{ event: CloudEvent; taskId: string }> => {
    const task = await createTask(t, t.auth, {
      title: 'Redelivered',
      dueAt: '2030-01-01T08:00:00Z',
      recurrence: { rule: 'FREQ=DAILY' },
    });
    await t.server.inject({ method: 'POST', url: `/api/v1/tasks/${task.id}/complete`, headers: t.auth });
    const { rows } = await t.db.query<{ event: CloudEvent }>(
      "SELECT event FROM outbox_log WHERE key = $1 AND event->>'type' = 'todo.task.completed' AND 'task-events' = ANY(topics)",
      [task.id],
    );
    return { event: rows[0]!.event, taskId: task.id };
  };
  const countEffects = async (taskId: string) => {
    const { rows } = await t.db.query<{ successors: number; activity: number }>(
      `SELECT (SELECT count(*)::int FROM tasks WHERE series_id = $1 AND id <> $1) AS successors,
              (SELECT count(*)::int FROM activity WHERE task_id = $1 AND type = 'task.completed') AS activity`,
      [taskId],
    );
    return rows[0]!;
  };
  const deliver = (event: CloudEvent) => t.events.handlers.get(topicName('taskEvents'))!(event);

  it('applies an event delivered twice only once', async () => {
    const { event, taskId } = await completedEvent();
    expect(await deliver(event)).toBe('success');
    expect(await deliver(event)).toBe('success');
    expect(await countEffects(taskId)).toEqual({ successors: 1, activity: 1 });
  });

  it('applies an event delivered concurrently only once', async () => {
    const { event, taskId } = await completedEvent();
    const results = await Promise.all([deliver(event), deliver(event), deliver(event)]);
    expect(results).toEqual(['success', 'success', 'success']);
    expect(await countEffects(taskId)).toEqual({ successors: 1, activity: 1 });
  });

  it('tolerates events out of order: an old event arriving late changes nothing twice', async () => {
    const first = await completedEvent();
    const second = await completedEvent();
    await deliver(second.event);
    await deliver(first.event);
    await deliver(second.event);
    expect(await countEffects(first.taskId)).toEqual({ successors: 1, activity: 1 });
    expect(await countEffects(second.taskId)).toEqual({ successors: 1, activity: 1 });
  });

  it('records a processed event only where the effect needs one, and still acts once everywhere', async () => {
    const { event, taskId } = await completedEvent();
    const created = (
      await t.db.query<{ event: CloudEvent }>(
        "SELECT event FROM outbox_log WHERE key = $1 AND event->>'type' = 'todo.task.created' AND 'task-events' = ANY(topics)",
        [taskId],
      )
    ).rows[0]!.event;
    // Once on its own and once in a batch, as the Kafka consumer hands them over.
    const handler = t.events.handlers.get(topicName('taskEvents'))!;
    expect(await handler(created)).toBe('success');
    expect(await handler.batch!([created, event, event])).toEqual(['success', 'success', 'success']);
    const records = await t.db.query<{ consumer: string; type: string }>(
      `SELECT p.consumer, o.event->>'type' AS type FROM processed_events p JOIN outbox_log o ON o.event_id = p.event_id
       WHERE o.key = $1 ORDER BY 1, 2`,
      [taskId],
    );
    // The recurrence engine acts on completions only; the audit trail and the stream log deduplicate by
    // their own unique event id.
    expect(records.rows).toEqual([{ consumer: 'recurrence', type: 'todo.task.completed' }]);
    expect(await countEffects(taskId)).toEqual({ successors: 1, activity: 1 });
    const createdEntries = await t.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM activity WHERE task_id = $1 AND type = 'task.created'",
      [taskId],
    );
    expect(createdEntries.rows[0]!.n).toBe(1);
  });

  it('appends a live update to the stream log once, however often and however batched it arrives', async () => {
    const { event } = await completedEvent();
    const updates = t.events.handlers.get(topicName('taskUpdates'))!;
    expect(await updates.batch!([event, event])).toEqual(['success', 'success']);
    expect(await Promise.all([updates(event), updates(event)])).toEqual(['success', 'success']);
    const { rows } = await t.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM stream_events WHERE event_id = $1',
      [event.id],
    );
    expect(rows[0]!.n).toBe(1);
  });

  it('drops a malformed event instead of retrying it forever', async () => {
    expect(await deliver({ nonsense: true } as unknown as CloudEvent)).toBe('drop');
    const bogus = {
      specversion: '1.0',
      id: '6f1e7a3c-5a43-4e8b-9c1d-2b3a4c5d6e7f',
      type: 'todo.task.completed',
      subject: 'x',
      source: '/todo-api',
      time: new Date().toISOString(),
      datacontenttype: 'application/json',
      data: {},
    } as CloudEvent;
    expect(await deliver(bogus)).toBe('drop');
  });
});
