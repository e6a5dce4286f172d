import type { ActivityEntry } from '@todo/contract';
import { readableProjectsSql } from '../access/access.js';
import type { Queryable } from '../db/database.js';
import { decodeCursor, encodeCursor, TIMESTAMPTZ_TEXT } from '../pagination/keyset-cursor.js';

/** One audit-trail entry as the consumer writes it: the public entry, its owner and the event it records. */
export interface NewActivityEntry extends ActivityEntry {
  userId: string;
  /** Members of this project read the entry (null: an event from before projects, read by its user). */
  projectId: string | null;
  /** An event is recorded once however often it is delivered. */
  eventId: string;
}

/** The audit trail's only order, named in its cursors so a task-list cursor is refused here. */
const NEWEST_FIRST = 'activity:-occurred';

interface ActivityRow {
  id: string;
  type: string;
  task_id: string;
  title: string;
  occurred_at: Date;
  occurred_key: string;
  changes: { fields?: string[] };
}

export const activityRepository = {
  /** Appends the entries in one statement; an event already recorded is skipped. */
  async append(tx: Queryable, entries: readonly NewActivityEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await tx.query(
      `INSERT INTO activity (id, user_id, event_id, type, task_id, title, occurred_at, changes, project_id)
       SELECT id, user_id, event_id, type, task_id, title, occurred_at, changes, project_id
       FROM json_to_recordset($1::json) AS r(id uuid, user_id text, event_id uuid, type text, task_id uuid,
         title text, occurred_at timestamptz, changes jsonb, project_id uuid)
       ON CONFLICT (event_id) DO NOTHING`,
      [
        JSON.stringify(
          entries.map((e) => ({
            id: e.id,
            user_id: e.userId,
            event_id: e.eventId,
            type: e.type,
            task_id: e.taskId,
            title: e.title,
            occurred_at: e.occurredAt,
            changes: e.changes,
            project_id: e.projectId,
          })),
        ),
      ],
    );
  },

  /**
   * One page of a user's audit trail, newest first: the changes to tasks of the projects the user reads;
   * `cursor` is a previous page's `nextCursor`.
   */
  async page(
    db: Queryable,
    userId: string,
    limit: number,
    cursor?: string,
  ): Promise<{ items: ActivityEntry[]; nextCursor: string | null }> {
    const params: unknown[] = [userId, limit + 1];
    let after = '';
    if (cursor) {
      const position = decodeCursor(cursor, NEWEST_FIRST, (key) => TIMESTAMPTZ_TEXT.test(key));
      params.push(position.key, position.id);
      after = 'AND (occurred_at, id) < ($3::timestamptz, $4::uuid)';
    }
    const { rows } = await db.query<ActivityRow>(
      `SELECT id, type, task_id, title, occurred_at, occurred_at::text AS occurred_key, changes FROM activity
       WHERE (project_id IN (${readableProjectsSql('$1')}) OR (project_id IS NULL AND user_id = $1)) ${after}
       ORDER BY occurred_at DESC, id DESC LIMIT $2`,
      params,
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map((r) => ({
        id: r.id,
        type: r.type,
        taskId: r.task_id,
        title: r.title,
        occurredAt: r.occurred_at.toISOString(),
        changes: r.changes,
      })),
      nextCursor:
        rows.length > limit && last
          ? encodeCursor({ order: NEWEST_FIRST, key: last.occurred_key, id: last.id })
          : null,
    };
  },
};
