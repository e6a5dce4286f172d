import type { ExportedProject } from '@todo/contract';
import type { Queryable } from '../db/database.js';
import { LIVE, type StoredTask, TASK_COLUMNS, type TaskRow, toTask, valueParams } from '../tasks/task-row.js';
import type { ImportSource } from './import-plan.js';

/** Rows per statement: bounded statements, whatever the size of the file. */
const BATCH = 1000;
/** Tasks per page of an export. */
const EXPORT_PAGE = 1000;

function* batches<T>(items: readonly T[]): Generator<T[]> {
  for (let i = 0; i < items.length; i += BATCH) yield items.slice(i, i + BATCH);
}

/** SQL of exports and imports: every task of a user, what was imported before, an import's tasks in batches. */
export const portabilityRepository = {
  /**
   * Every task in the projects the user owns, whoever wrote it, oldest first (an export is the whole account,
   * not a page); the Trash is left out.
   */
  async allTasks(db: Queryable, userId: string): Promise<StoredTask[]> {
    const tasks: StoredTask[] = [];
    for await (const page of this.taskPages(db, userId)) tasks.push(...page);
    return tasks;
  },

  /**
   * The same tasks in pages of `size`, read one page at a time (keyset on created_at, id), so an export holds
   * one page in memory whatever the account's size. Each page is its own statement: no transaction is held
   * open while a slow client reads, so a task changed during the export shows as it was when its page was read.
   * No one index orders an account's tasks by created_at across its projects, so each page merges, in order,
   * at most `size` rows from each project's open and each its done tasks (tasks_project_created_idx ranges):
   * a page reads a bounded number of rows however large the account, rather than sorting all of it.
   */
  async *taskPages(db: Queryable, userId: string, size = EXPORT_PAGE): AsyncGenerator<StoredTask[]> {
    // The last row's created_at as PostgreSQL prints it (microseconds; a Date would round to milliseconds).
    let after: { at: string; id: string } | null = null;
    for (;;) {
      const { rows } = await db.query<TaskRow & { page_at: string }>(
        `SELECT t.* FROM projects p
         CROSS JOIN (VALUES (false), (true)) AS c(done)
         CROSS JOIN LATERAL (
           SELECT ${TASK_COLUMNS}, created_at::text AS page_at FROM tasks
           WHERE project_id = p.id AND completed = c.done AND ${LIVE}
             AND ($2::timestamptz IS NULL OR (created_at, id) > ($2::timestamptz, $3::uuid))
           ORDER BY created_at, id LIMIT $4
         ) t
         WHERE p.owner_id = $1
         ORDER BY t.created_at, t.id LIMIT $4`,
        [userId, after?.at ?? null, after?.id ?? null, size],
      );
      if (rows.length > 0) yield rows.map(toTask);
      if (rows.length < size) return;
      const last: TaskRow & { page_at: string } = rows[rows.length - 1]!;
      after = { at: last.page_at, id: last.id };
    }
  },

  /** The projects the user owns, the Inbox first, then in their order. */
  async ownedProjects(db: Queryable, userId: string): Promise<ExportedProject[]> {
    const { rows } = await db.query<ExportedProject>(
      `SELECT id, name, color, parent_id AS "parentId", archived, position AS "order", inbox FROM projects
       WHERE owner_id = $1 ORDER BY inbox DESC, position COLLATE "C", id`,
      [userId],
    );
    return rows;
  },

  /**
   * The projects this user imported before from this source, by source id (for our JSON, also the user's own
   * projects by id).
   */
  async knownProjects(
    tx: Queryable,
    userId: string,
    source: ImportSource,
    sourceIds: readonly string[],
  ): Promise<Map<string, string>> {
    const { rows } = await tx.query<{ source_id: string; project_id: string }>(
      `SELECT substr(i.source_id, 9) AS source_id, i.project_id FROM import_sources i
         JOIN projects p ON p.id = i.project_id
       WHERE i.user_id = $1 AND i.source = $2 AND i.source_id = ANY($3::text[])
       UNION ALL
       SELECT id::text, id FROM projects WHERE owner_id = $1 AND $2 = 'todo-export' AND id::text = ANY($4::text[])`,
      [userId, source, sourceIds.map((id) => `project:${id}`), sourceIds],
    );
    return new Map(rows.map((r) => [r.source_id, r.project_id]));
  },

  async rememberProjects(
    tx: Queryable,
    userId: string,
    source: ImportSource,
    made: readonly { sourceId: string; projectId: string }[],
  ): Promise<void> {
    if (made.length === 0) return;
    await tx.query(
      `INSERT INTO import_sources (user_id, source, source_id, project_id)
       SELECT $1, $2, s, p FROM unnest($3::text[], $4::uuid[]) AS r(s, p)`,
      [userId, source, made.map((m) => `project:${m.sourceId}`), made.map((m) => m.projectId)],
    );
  },

  /** Serialises one user's imports, so two uploads of one file cannot both find its ids new. */
  async lockUser(tx: Queryable, userId: string): Promise<void> {
    await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`import:${userId}`]);
  },

  /**
   * The tasks this user imported before from this source, by source id (for our JSON, also the user's own
   * tasks by id: an account importing its own export).
   */
  async knownSourceIds(
    tx: Queryable,
    userId: string,
    source: ImportSource,
    sourceIds: readonly string[],
  ): Promise<Map<string, string>> {
    const { rows } = await tx.query<{ source_id: string; task_id: string }>(
      `SELECT source_id, task_id FROM import_sources
       WHERE user_id = $1 AND source = $2 AND source_id = ANY($3::text[]) AND task_id IS NOT NULL
       UNION ALL
       SELECT id::text, id FROM tasks WHERE user_id = $1 AND $2 = 'todo-export'
         AND id::text = ANY($3::text[])`,
      [userId, source, sourceIds],
    );
    return new Map(rows.map((r) => [r.source_id, r.task_id]));
  },

  /** The project of each of these tasks that is still live (not in the Trash), by task id. */
  async liveProjectsOf(tx: Queryable, taskIds: readonly string[]): Promise<Map<string, string>> {
    if (taskIds.length === 0) return new Map();
    const { rows } = await tx.query<{ id: string; project_id: string }>(
      `SELECT id, project_id FROM tasks WHERE id = ANY($1::uuid[]) AND ${LIVE}`,
      [[...new Set(taskIds)]],
    );
    return new Map(rows.map((r) => [r.id, r.project_id]));
  },

  /** Inserts fully formed tasks and remembers where each came from. */
  async insertTasks(
    tx: Queryable,
    source: ImportSource,
    tasks: readonly { task: StoredTask; sourceId: string }[],
  ): Promise<void> {
    for (const batch of batches(tasks)) {
      const rows = batch.map(({ task }) => {
        const [title, description, priority, tags, dueAt, timeZone, reminders, rule, from, seriesId, start] =
          valueParams(task);
        return {
          id: task.id,
          user_id: task.userId,
          project_id: task.projectId,
          title,
          description,
          priority,
          tags,
          due_at: dueAt,
          time_zone: timeZone,
          reminders: JSON.parse(reminders as string),
          recurrence_rule: rule,
          recurrence_from: from,
          series_id: seriesId,
          series_start: start,
          occurrence: task.occurrence,
          completed: task.completed,
          completed_at: task.completedAt,
          created_at: task.createdAt,
          updated_at: task.updatedAt,
          version: task.version,
          parent_id: task.parentId,
          sort_order: task.order,
        };
      });
      await tx.query(
        `INSERT INTO tasks (id, user_id, project_id, title, description, priority, tags, due_at, time_zone,
           reminders, recurrence_rule, recurrence_from, series_id, series_start, occurrence, completed,
           completed_at, created_at, updated_at, version, parent_id, sort_order)
         SELECT id, user_id, project_id, title, description, priority, tags, due_at, time_zone, reminders,
           recurrence_rule, recurrence_from, series_id, series_start, occurrence, completed, completed_at,
           created_at, updated_at, version, parent_id, sort_order
         FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, user_id text, project_id uuid, title text,
           description text,
           priority smallint, tags text[], due_at timestamptz, time_zone text, reminders jsonb,
           recurrence_rule text, recurrence_from text, series_id uuid, series_start timestamp,
           occurrence integer, completed boolean, completed_at timestamptz, created_at timestamptz,
           updated_at timestamptz, version integer, parent_id uuid, sort_order text)`,
        [JSON.stringify(rows)],
      );
      await tx.query(
        `INSERT INTO import_sources (user_id, source, source_id, task_id)
         SELECT $1, $2, s, t FROM unnest($3::text[], $4::uuid[]) AS r(s, t)`,
        [batch[0]!.task.userId, source, batch.map((b) => b.sourceId), batch.map((b) => b.task.id)],
      );
    }
  },
};
