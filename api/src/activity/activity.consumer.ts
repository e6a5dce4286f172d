import { randomUUID } from 'node:crypto';
import type { Queryable } from '../db/database.js';
import type { CloudEvent } from '../events/cloudevent.js';
import { UnprocessableEventError } from '../events/idempotent-consumer.js';
import type { TaskEventData } from '../events/task-events.js';

/** Appends one audit-trail entry per task event, all in one statement (the event id is unique there too). */
export async function recordActivity(tx: Queryable, events: readonly CloudEvent[]): Promise<void> {
  const rows = events.map((event) => {
    const data = event.data as Partial<TaskEventData>;
    if (
      !event.type.startsWith('todo.task.') ||
      typeof data.userId !== 'string' ||
      typeof data.id !== 'string'
    ) {
      throw new UnprocessableEventError(`not a task event: ${event.type}`);
    }
    return {
      id: randomUUID(),
      user_id: data.userId,
      event_id: event.id,
      type: event.type.slice('todo.'.length),
      task_id: data.id,
      title: String(data.title ?? ''),
      occurred_at: event.time,
      changes: data.changedFields ? { fields: data.changedFields } : {},
    };
  });
  if (rows.length === 0) return;
  await tx.query(
    `INSERT INTO activity (id, user_id, event_id, type, task_id, title, occurred_at, changes)
     SELECT id, user_id, event_id, type, task_id, title, occurred_at, changes
     FROM json_to_recordset($1::json) AS r(id uuid, user_id text, event_id uuid, type text, task_id uuid,
       title text, occurred_at timestamptz, changes jsonb)
     ON CONFLICT (event_id) DO NOTHING`,
    [JSON.stringify(rows)],
  );
}
