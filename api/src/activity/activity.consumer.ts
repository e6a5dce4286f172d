import { randomUUID } from 'node:crypto';
import type { Queryable } from '../db/database.js';
import type { CloudEvent } from '../events/cloudevent.js';
import { UnprocessableEventError } from '../events/idempotent-consumer.js';
import type { TaskEventData } from '../events/task-events.js';

/** Appends one audit-trail entry per task event (the event id is unique in the table too). */
export async function recordActivity(tx: Queryable, event: CloudEvent): Promise<void> {
  const data = event.data as Partial<TaskEventData>;
  if (
    !event.type.startsWith('todo.task.') ||
    typeof data.userId !== 'string' ||
    typeof data.id !== 'string'
  ) {
    throw new UnprocessableEventError(`not a task event: ${event.type}`);
  }
  await tx.query(
    `INSERT INTO activity (id, user_id, event_id, type, task_id, title, occurred_at, changes)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb) ON CONFLICT (event_id) DO NOTHING`,
    [
      randomUUID(),
      data.userId,
      event.id,
      event.type.slice('todo.'.length),
      data.id,
      String(data.title ?? ''),
      event.time,
      JSON.stringify(data.changedFields ? { fields: data.changedFields } : {}),
    ],
  );
}
