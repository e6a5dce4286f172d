import { type CloudEvent, SSE_EVENT_BY_CLOUDEVENT_TYPE } from '@todo/contract';
import { audienceSql } from '../access/access.js';
import type { Queryable } from '../db/database.js';
import { UnprocessableEventError } from '../events/idempotent-consumer.js';
import { publicView } from '../tasks/task-row.js';

export const STREAM_CHANNEL = 'todo_stream';

/**
 * Appends live updates to their users' stream logs (the source of `Last-Event-ID` resume) in one statement
 * and wakes the SSE connections of every replica through one NOTIFY per user. A task's update goes to every
 * member of its project (the access module's audience, as it is when the update is applied) or, when the
 * project was deleted with the task, to those the event names as its members then; a notification, or an
 * event written before projects existed, goes to its one user; a removal naming `recipients` (members who
 * lost access to the project) goes to those of them who are still not members, and to no one else. Each user's rows take the next
 * numbers of the user's own sequence from `stream_heads`, whose row stays locked until this transaction
 * commits: consumers applying partitions side by side commit a user's rows in sequence order, so a reader
 * can never send row n while a row below n is still to commit (a global sequence allowed exactly that).
 */
export async function appendToStream(tx: Queryable, events: readonly CloudEvent[]): Promise<void> {
  const rows = events.map((event, ord) => {
    const name = SSE_EVENT_BY_CLOUDEVENT_TYPE[event.type];
    const { userId, projectId, audience, recipients } = event.data as {
      userId?: unknown;
      projectId?: unknown;
      audience?: unknown;
      recipients?: unknown;
    };
    const data = publicView(event.data as Record<string, unknown>);
    if (!name || typeof userId !== 'string')
      throw new UnprocessableEventError(`not a live update: ${event.type}`);
    return {
      user_id: userId,
      project_id: typeof projectId === 'string' ? projectId : null,
      audience: Array.isArray(audience) ? audience.filter((u) => typeof u === 'string') : [],
      targeted: Array.isArray(recipients),
      recipients: Array.isArray(recipients) ? recipients.filter((u) => typeof u === 'string') : [],
      event_id: event.id,
      type: name,
      data,
      ord,
    };
  });
  if (rows.length === 0) return;
  // Users' heads are taken in user id order, so two batches sharing users cannot deadlock.
  await tx.query(
    `WITH input AS (
       SELECT * FROM json_to_recordset($1::json)
         AS r(user_id text, project_id uuid, audience json, targeted boolean, recipients json, event_id uuid,
              type text, data jsonb, ord int)
     ), targets AS (
       SELECT i.event_id, i.type, i.data, i.ord, a.user_id
       FROM input i CROSS JOIN LATERAL (${audienceSql('i.project_id')}) AS a
       WHERE NOT i.targeted
       UNION ALL
       SELECT i.event_id, i.type, i.data, i.ord, a.user_id
       FROM input i CROSS JOIN LATERAL json_array_elements_text(i.audience) AS a(user_id)
       WHERE NOT i.targeted AND i.project_id IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM projects p WHERE p.id = i.project_id)
       UNION ALL
       SELECT i.event_id, i.type, i.data, i.ord, i.user_id FROM input i WHERE NOT i.targeted AND i.project_id IS NULL
       UNION ALL
       -- A removal for those who lost access to the project, unless they are members again by now.
       SELECT i.event_id, i.type, i.data, i.ord, a.user_id
       FROM input i CROSS JOIN LATERAL json_array_elements_text(i.recipients) AS a(user_id)
       WHERE i.targeted AND NOT EXISTS (
         SELECT 1 FROM project_members m WHERE m.project_id = i.project_id AND m.user_id = a.user_id)
     ), fresh AS (
       -- A scalar subquery, not NOT EXISTS: the planner takes json_to_recordset for 100 rows and each for a
       -- project's members, and turned NOT EXISTS into a hash anti-join over the whole of stream_events (every
       -- batch read the table: 13-22 ms a batch and growing, under bench:latency). This is a probe of the
       -- (event_id, user_id) index per row.
       SELECT DISTINCT ON (r.event_id, r.user_id) r.*
       FROM targets r
       WHERE (SELECT 1 FROM stream_events s WHERE s.event_id = r.event_id AND s.user_id = r.user_id) IS NULL
       ORDER BY r.event_id, r.user_id, r.ord
     ), counts AS (
       SELECT user_id, count(*) AS n FROM fresh GROUP BY user_id
     ), heads AS (
       INSERT INTO stream_heads AS h (user_id, last_seq) SELECT user_id, n FROM counts ORDER BY user_id
       ON CONFLICT (user_id) DO UPDATE SET last_seq = h.last_seq + EXCLUDED.last_seq
       RETURNING user_id, last_seq
     ), added AS (
       INSERT INTO stream_events (user_id, event_id, type, data, user_seq)
       SELECT f.user_id, f.event_id, f.type, f.data,
              heads.last_seq - counts.n + row_number() OVER (PARTITION BY f.user_id ORDER BY f.ord)
       FROM fresh f JOIN counts USING (user_id) JOIN heads USING (user_id)
       ON CONFLICT (event_id, user_id) DO NOTHING RETURNING user_id
     )
     SELECT pg_notify($2, user_id) FROM (SELECT DISTINCT user_id FROM added) AS users`,
    [JSON.stringify(rows), STREAM_CHANNEL],
  );
}
