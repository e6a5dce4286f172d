import type { ListTrashQuery, Page, ProjectRole } from '@todo/contract';
import { readableProjectsSql, roleSql } from '../access/access.js';
import type { Queryable } from '../db/database.js';
import { decodeCursor, encodeCursor, TIMESTAMPTZ_TEXT } from '../pagination/keyset-cursor.js';
import { type StoredTask, TASK_COLUMNS, type TaskRow, toTask } from './task-row.js';

/** A task in the Trash, with the instant it was put there. */
export type TrashedStoredTask = StoredTask & { deletedAt: string };

type TrashedRow = TaskRow & { deleted_at: Date; deleted_key: string };

/** Cursors of the Trash name this order, so a cursor of /tasks is refused here. */
const TRASH_ORDER = 'trash';

const toTrashed = (row: TrashedRow): TrashedStoredTask => ({
  ...toTask(row),
  deletedAt: row.deleted_at.toISOString(),
});

/** SQL for tasks in the Trash, scoped like every task read to the projects the caller is a member of. */
export const trashRepository = {
  /** A trashed task with the caller's role in its project; undefined when it is not there or not theirs to see. */
  async find(
    db: Queryable,
    userId: string,
    id: string,
  ): Promise<{ task: TrashedStoredTask; role: ProjectRole } | undefined> {
    const { rows } = await db.query<TrashedRow & { role: ProjectRole | null }>(
      `SELECT ${TASK_COLUMNS}, deleted_at, deleted_at::text AS deleted_key, ${roleSql('tasks.project_id', '$2')} AS role
       FROM tasks WHERE id = $1 AND deleted_at IS NOT NULL`,
      [id, userId],
    );
    const row = rows[0];
    return row?.role ? { task: toTrashed(row), role: row.role } : undefined;
  },

  /** One keyset page, most recently deleted first (ties by id). */
  async page(db: Queryable, userId: string, query: ListTrashQuery): Promise<Page<TrashedStoredTask>> {
    const params: unknown[] = [userId, query.limit + 1];
    let after = '';
    if (query.cursor) {
      const position = decodeCursor(query.cursor, TRASH_ORDER, (key) => TIMESTAMPTZ_TEXT.test(key));
      params.push(position.key, position.id);
      after = 'AND (deleted_at, id) < ($3::timestamptz, $4::uuid)';
    }
    const { rows } = await db.query<TrashedRow>(
      `SELECT ${TASK_COLUMNS}, deleted_at, deleted_at::text AS deleted_key FROM tasks
       WHERE project_id IN (${readableProjectsSql('$1')}) AND deleted_at IS NOT NULL ${after}
       ORDER BY deleted_at DESC, id DESC LIMIT $2`,
      params,
    );
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    const nextCursor =
      rows.length > query.limit && last
        ? encodeCursor({ order: TRASH_ORDER, key: last.deleted_key, id: last.id })
        : null;
    return { items: page.map(toTrashed), nextCursor };
  },

  /** Purges what has been in the Trash longer than `days` before `now`, in bounded chunks. */
  async purge(db: Queryable, now: Date, days: number, chunk: number): Promise<number> {
    let total = 0;
    for (;;) {
      const { rowCount } = await db.query(
        `DELETE FROM tasks WHERE id IN (
           SELECT id FROM tasks WHERE deleted_at < $1::timestamptz - make_interval(days => $2) LIMIT $3)`,
        [now.toISOString(), days, chunk],
      );
      total += rowCount;
      if (rowCount < chunk) return total;
    }
  },
};
