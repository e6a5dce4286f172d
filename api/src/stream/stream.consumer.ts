import { type CloudEvent, SSE_EVENT_BY_CLOUDEVENT_TYPE } from '@todo/contract';
import type { Queryable } from '../db/database.js';
import { UnprocessableEventError } from '../events/idempotent-consumer.js';

export const STREAM_CHANNEL = 'todo_stream';

/**
 * Appends live updates to their users' stream logs (the source of `Last-Event-ID` resume) in one statement
 * and wakes the SSE connections of every replica through one NOTIFY per user.
 */
export async function appendToStream(tx: Queryable, events: readonly CloudEvent[]): Promise<void> {
  const rows = events.map((event) => {
    const name = SSE_EVENT_BY_CLOUDEVENT_TYPE[event.type];
    const { userId, ...data } = event.data as { userId?: unknown } & Record<string, unknown>;
    if (!name || typeof userId !== 'string')
      throw new UnprocessableEventError(`not a live update: ${event.type}`);
    return { user_id: userId, event_id: event.id, type: name, data };
  });
  if (rows.length === 0) return;
  await tx.query(
    `WITH added AS (
       INSERT INTO stream_events (user_id, event_id, type, data)
       SELECT user_id, event_id, type, data
       FROM json_to_recordset($1::json) AS r(user_id text, event_id uuid, type text, data jsonb)
       ON CONFLICT (event_id) DO NOTHING RETURNING user_id
     )
     SELECT pg_notify($2, user_id) FROM (SELECT DISTINCT user_id FROM added) AS users`,
    [JSON.stringify(rows), STREAM_CHANNEL],
  );
}
