import type { Queryable } from '../db/database.js';
import type { CloudEvent } from '../events/cloudevent.js';
import { UnprocessableEventError } from '../events/idempotent-consumer.js';

export const STREAM_CHANNEL = 'todo_stream';
export const NOTIFICATION_CREATED = 'todo.notification.created';

/** SSE event names of the contract, by CloudEvent type on `task-updates`. */
const SSE_NAMES: Record<string, string> = {
  'todo.task.created': 'task.created',
  'todo.task.updated': 'task.updated',
  'todo.task.completed': 'task.completed',
  'todo.task.reopened': 'task.updated',
  'todo.task.deleted': 'task.deleted',
  [NOTIFICATION_CREATED]: 'notification',
};

/**
 * Appends a live update to the user's stream log (the source of `Last-Event-ID` resume) and wakes the
 * SSE connections of every replica through NOTIFY.
 */
export async function appendToStream(tx: Queryable, event: CloudEvent): Promise<void> {
  const name = SSE_NAMES[event.type];
  const { userId, ...data } = event.data as { userId?: unknown } & Record<string, unknown>;
  if (!name || typeof userId !== 'string')
    throw new UnprocessableEventError(`not a live update: ${event.type}`);
  const { rowCount } = await tx.query(
    `INSERT INTO stream_events (user_id, event_id, type, data) VALUES ($1, $2, $3, $4::jsonb) ON CONFLICT (event_id) DO NOTHING`,
    [userId, event.id, name, JSON.stringify(data)],
  );
  if (rowCount > 0) await tx.query('SELECT pg_notify($1, $2)', [STREAM_CHANNEL, userId]);
}
