import type { ListTasksQuery, ProjectRole } from '@todo/contract';
import { readableProjectsSql, roleSql } from '../access/access.js';
import type { Queryable } from '../db/database.js';
import { type OutboxEntry, outboxInsertSql, wakeRelaysAfterCommit } from '../events/outbox.js';
import { encodeCursor } from '../pagination/keyset-cursor.js';
import { listPageSql } from './task-page-json.js';
import { type BuiltQuery, buildListQuery } from './task-query.js';
import {
  LIVE,
  type StoredTask,
  TASK_COLUMNS,
  type TaskRow,
  type TaskValues,
  toTask,
  valueParams,
} from './task-row.js';

/**
 * SQL for tasks. Reads are scoped to the projects the caller is a member of (the access module's SQL), so
 * other users' rows are invisible; writes by id come after the service has checked the caller's role.
 */
export const taskRepository = {
  /** Inserts a new task (open, version 1) under `place`'s parent at `place`'s order key. */
  async insert(
    db: Queryable,
    id: string,
    userId: string,
    v: TaskValues,
    place: { parentId: string | null; order: string; projectId: string },
    occurrence = 1,
  ): Promise<StoredTask> {
    const { rows } = await db.query<TaskRow>(
      `INSERT INTO tasks (id, user_id, title, description, priority, tags, due_at, time_zone, reminders,
         recurrence_rule, recurrence_from, series_id, series_start, assignee_id, occurrence, parent_id,
         sort_order, project_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10, $11, $12, $13, $14, $15, $16, $17, $18)
       RETURNING ${TASK_COLUMNS}`,
      [id, userId, ...valueParams(v), occurrence, place.parentId, place.order, place.projectId],
    );
    return toTask(rows[0]!);
  },

  /**
   * Inserts a fully formed new task and its outbox messages in one statement (one round trip, atomic
   * without an explicit transaction), waking relays once committed. Returns the task as given: every stored
   * column comes from it (the defaults it leaves out, completed/completedAt/version, are what it holds),
   * so nothing needs reading back.
   */
  async insertWithMessages(
    db: Queryable,
    task: StoredTask,
    messages: readonly OutboxEntry[],
  ): Promise<StoredTask> {
    const params: unknown[] = [
      task.id,
      task.userId,
      ...valueParams(task),
      task.occurrence,
      task.createdAt,
      task.parentId,
      task.order,
      task.projectId,
    ];
    const outbox = messages.length ? `, events AS (${outboxInsertSql(messages, params)})` : '';
    await db.query(
      `WITH t AS (
         INSERT INTO tasks (id, user_id, title, description, priority, tags, due_at, time_zone, reminders,
           recurrence_rule, recurrence_from, series_id, series_start, assignee_id, occurrence, created_at,
           updated_at, parent_id, sort_order, project_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10, $11, $12, $13, $14, $15, $16, $16, $17, $18, $19)
         RETURNING 1
       )${outbox}
       SELECT 1 FROM t`,
      params,
    );
    if (messages.length) wakeRelaysAfterCommit(db);
    return task;
  },

  /**
   * Replaces a task's stored state with `task` and writes its outbox messages, in one statement, only if
   * the stored version is still `expectedVersion` (optimistic: no transaction, no lock held between round
   * trips), waking relays once committed. False when another write came first, or the task is gone; then
   * nothing was written.
   */
  async replaceWithMessages(
    db: Queryable,
    task: StoredTask,
    expectedVersion: number,
    messages: readonly OutboxEntry[],
  ): Promise<boolean> {
    const params: unknown[] = [
      task.id,
      task.userId,
      ...valueParams(task),
      task.completed,
      task.completedAt,
      task.updatedAt,
      task.version,
      expectedVersion,
      task.projectId,
    ];
    const outbox = messages.length
      ? `, events AS (${outboxInsertSql(messages, params, 'EXISTS (SELECT 1 FROM t)')})`
      : '';
    // One row per task written (rows, not rowCount: PGlite counts no affected rows for a SELECT).
    const { rows } = await db.query(
      `WITH t AS (
         UPDATE tasks SET title = $3, description = $4, priority = $5, tags = $6, due_at = $7, time_zone = $8,
           reminders = $9::jsonb, recurrence_rule = $10, recurrence_from = $11, series_id = $12,
           series_start = $13, assignee_id = $14, completed = $15, completed_at = $16, updated_at = $17,
           version = $18, project_id = $20
         WHERE id = $1 AND user_id = $2 AND version = $19 AND ${LIVE}
         RETURNING 1
       )${outbox}
       SELECT 1 FROM t`,
      params,
    );
    if (rows.length !== 1) return false;
    if (messages.length) wakeRelaysAfterCommit(db);
    return true;
  },

  /**
   * A live task with the caller's role in its project; undefined when the task does not exist or the caller
   * is not a member (the two are never told apart), and whether it has live subtasks. With `forUpdate`, the
   * row is locked for the caller's transaction.
   */
  async find(
    db: Queryable,
    userId: string,
    id: string,
    forUpdate = false,
  ): Promise<{ task: StoredTask; role: ProjectRole; hasSubtasks: boolean } | undefined> {
    const { rows } = await db.query<TaskRow & { role: ProjectRole | null; has_subtasks: boolean }>(
      `SELECT ${TASK_COLUMNS}, ${roleSql('tasks.project_id', '$2')} AS role, EXISTS (
         SELECT 1 FROM tasks sub WHERE sub.parent_id = tasks.id AND sub.deleted_at IS NULL
       ) AS has_subtasks
       FROM tasks WHERE id = $1 AND ${LIVE}${forUpdate ? ' FOR UPDATE' : ''}`,
      [id, userId],
    );
    const row = rows[0];
    return row?.role ? { task: toTask(row), role: row.role, hasSubtasks: row.has_subtasks } : undefined;
  },

  /** The live tasks of a project, open and completed. */
  async liveInProject(db: Queryable, projectId: string): Promise<StoredTask[]> {
    const { rows } = await db.query<TaskRow>(
      `SELECT ${TASK_COLUMNS} FROM tasks WHERE project_id = $1 AND ${LIVE}`,
      [projectId],
    );
    return rows.map(toTask);
  },

  /** The live tasks of a project assigned to a user, locked for the caller's transaction. */
  async assignedIn(db: Queryable, projectId: string, assigneeId: string): Promise<StoredTask[]> {
    const { rows } = await db.query<TaskRow>(
      `SELECT ${TASK_COLUMNS} FROM tasks WHERE project_id = $1 AND assignee_id = $2 AND ${LIVE} FOR UPDATE`,
      [projectId, assigneeId],
    );
    return rows.map(toTask);
  },

  /**
   * One page of the list as the response body `{"items":[…],"nextCursor":…}`, each item written by
   * PostgreSQL (row_to_json over PUBLIC_TASK_PROJECTION); the page query itself is buildListQuery's.
   */
  async listPageJson(db: Queryable, userId: string, query: ListTasksQuery): Promise<string> {
    const built: BuiltQuery = buildListQuery(userId, query, TASK_COLUMNS);
    const { rows } = await db.query<{ json: string; sort_key: string; id: string }>(
      listPageSql(built.sql),
      built.params,
      { planPerCall: query.q !== undefined },
    );
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    const nextCursor =
      rows.length > query.limit && last
        ? encodeCursor({ order: query.sort, key: last.sort_key, id: last.id })
        : null;
    return `{"items":[${page.map((r) => r.json).join(',')}],"nextCursor":${JSON.stringify(nextCursor)}}`;
  },

  /** Every task with a due date in the projects the user reads, for the calendar feed (bounded). */
  async dated(db: Queryable, userId: string, limit = 5000): Promise<StoredTask[]> {
    const { rows } = await db.query<TaskRow>(
      `SELECT ${TASK_COLUMNS} FROM tasks WHERE project_id IN (${readableProjectsSql('$1')}) AND ${LIVE}
       AND due_at IS NOT NULL ORDER BY due_at DESC LIMIT $2`,
      [userId, limit],
    );
    return rows.map(toTask);
  },

  async tagCounts(db: Queryable, userId: string): Promise<{ name: string; count: number }[]> {
    const { rows } = await db.query<{ name: string; count: number }>(
      `SELECT tag AS name, count(*)::int AS count FROM tasks, unnest(tags) AS tag
       WHERE project_id IN (${readableProjectsSql('$1')}) AND ${LIVE} GROUP BY tag ORDER BY count(*) DESC, tag ASC`,
      [userId],
    );
    return rows;
  },
};
