import { taskRightSql } from '../access/access.js';
import type { Queryable } from '../db/database.js';

export interface Notification {
  id: string;
  type: string;
  taskId: string | null;
  title: string;
  createdAt: string;
  readAt: string | null;
}

interface NotificationRow {
  id: string;
  type: string;
  task_id: string | null;
  title: string;
  created_at: Date;
  read_at: Date | null;
}

const toNotification = (r: NotificationRow): Notification => ({
  id: r.id,
  type: r.type,
  taskId: r.task_id,
  title: r.title,
  createdAt: r.created_at.toISOString(),
  readAt: r.read_at?.toISOString() ?? null,
});

const COLUMNS = 'id, type, task_id, title, created_at, read_at';

/** SQL for in-app notifications, always scoped by user. */
export const notificationRepository = {
  /**
   * Inserts several notifications about tasks in one statement: each once per source event, and only for a
   * user who still reads its task (one who left the project is not told). Returns those written.
   */
  async insertForReaders(
    tx: Queryable,
    items: readonly {
      id: string;
      userId: string;
      type: string;
      taskId: string;
      title: string;
      sourceEventId: string;
    }[],
  ): Promise<(Notification & { userId: string; taskId: string })[]> {
    if (items.length === 0) return [];
    const { rows } = await tx.query<NotificationRow & { user_id: string }>(
      `INSERT INTO notifications (id, user_id, type, task_id, title, source_event_id)
       SELECT f.id, f.user_id, f.type, f.task_id, f.title, f.source_event_id
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::uuid[], $5::text[], $6::uuid[])
         AS f(id, user_id, type, task_id, title, source_event_id)
       WHERE ${taskRightSql('f.task_id', 'f.user_id', 'read')}
       ON CONFLICT (source_event_id) DO NOTHING RETURNING ${COLUMNS}, user_id`,
      [
        items.map((i) => i.id),
        items.map((i) => i.userId),
        items.map((i) => i.type),
        items.map((i) => i.taskId),
        items.map((i) => i.title),
        items.map((i) => i.sourceEventId),
      ],
    );
    // Every row written has its task (the insert takes task_id from the items, and a reader's task exists).
    return rows.map((r) => ({ ...toNotification(r), taskId: r.task_id!, userId: r.user_id }));
  },

  async list(
    db: Queryable,
    userId: string,
    limit: number,
  ): Promise<{ items: Notification[]; unread: number }> {
    const [items, unread] = await Promise.all([
      db.query<NotificationRow>(
        `SELECT ${COLUMNS} FROM notifications WHERE user_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2`,
        [userId, limit],
      ),
      db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM notifications WHERE user_id = $1 AND read_at IS NULL',
        [userId],
      ),
    ]);
    return { items: items.rows.map(toNotification), unread: unread.rows[0]?.n ?? 0 };
  },

  /** Marks one as read; false when the user has no such notification. Reading twice keeps the first time. */
  async markRead(db: Queryable, userId: string, id: string): Promise<boolean> {
    const { rowCount } = await db.query(
      'UPDATE notifications SET read_at = coalesce(read_at, now()) WHERE id = $1 AND user_id = $2',
      [id, userId],
    );
    return rowCount > 0;
  },

  async markAllRead(db: Queryable, userId: string): Promise<number> {
    const { rowCount } = await db.query(
      'UPDATE notifications SET read_at = now() WHERE user_id = $1 AND read_at IS NULL',
      [userId],
    );
    return rowCount;
  },
};
