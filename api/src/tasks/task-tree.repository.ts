import type { Queryable } from '../db/database.js';
import { LIVE, type StoredTask, TASK_COLUMNS, type TaskRow, toTask } from './task-row.js';

/** SET clause: the assignee stays when a member of project `$2` (the task's new project), else none. */
const KEEP_MEMBER_ASSIGNEE = `assignee_id = CASE WHEN EXISTS (
    SELECT 1 FROM project_members m WHERE m.project_id = $2 AND m.user_id = tasks.assignee_id
  ) THEN assignee_id END`;

/** A bound on every walk of the tree, far beyond the levels allowed, so a walk always ends. */
const WALK_LIMIT = 32;

/** A task of a subtree and its level within it (the subtree's root is level 1). */
export interface SubtreeMember {
  id: string;
  level: number;
}

/**
 * The walk down from `rootCondition`'s task through children that satisfy `childCondition`, as a recursive
 * CTE named `sub(sub_id, level)`; `$1` is the root's id and `$2` its project.
 */
const subtreeCte = (rootCondition: string, childCondition: string) => `WITH RECURSIVE sub(sub_id, level) AS (
    SELECT id, 1 FROM tasks WHERE id = $1 AND project_id = $2::uuid AND ${rootCondition}
    UNION ALL
    SELECT t.id, sub.level + 1 FROM tasks t JOIN sub ON t.parent_id = sub.sub_id
    WHERE ${childCondition} AND sub.level < ${WALK_LIMIT}
  )`;

/**
 * SQL for the shape of a project's task tree: parents, subtrees and sibling order. A tree lives in one project
 * (a subtask is in its parent's project), so every statement is scoped by the project; who may touch it is the
 * access module's question, asked by the services first.
 */
export const taskTreeRepository = {
  /**
   * Serialises changes to these projects' trees until the transaction ends: a depth or cycle check, a subtree
   * walk and the write that follows it then see no other move, trash or restore half done. Locks are taken in
   * one order, so two moves between the same two projects cannot deadlock.
   */
  async lock(tx: Queryable, ...projectIds: string[]): Promise<void> {
    for (const projectId of [...new Set(projectIds)].sort()) {
      await tx.query("SELECT pg_advisory_xact_lock(hashtextextended('task-tree:' || $1, 0))", [projectId]);
    }
  },

  /** The level of a live task (1 at the top), or undefined when the project has no such live task. */
  async levelOf(tx: Queryable, projectId: string, id: string): Promise<number | undefined> {
    const { rows } = await tx.query<{ level: number | null }>(
      `WITH RECURSIVE up(up_id, parent_id, level) AS (
         SELECT id, parent_id, 1 FROM tasks WHERE id = $1 AND project_id = $2::uuid AND ${LIVE}
         UNION ALL
         SELECT t.id, t.parent_id, up.level + 1 FROM tasks t JOIN up ON t.id = up.parent_id
         WHERE up.level < ${WALK_LIMIT}
       )
       SELECT max(level)::int AS level FROM up`,
      [id, projectId],
    );
    return rows[0]?.level ?? undefined;
  },

  /** A live task and its live descendants, the task first. */
  async liveSubtree(tx: Queryable, projectId: string, id: string): Promise<SubtreeMember[]> {
    const { rows } = await tx.query<{ sub_id: string; level: number }>(
      `${subtreeCte(LIVE, 't.deleted_at IS NULL')} SELECT sub_id, level FROM sub ORDER BY level`,
      [id, projectId],
    );
    return rows.map((r) => ({ id: r.sub_id, level: r.level }));
  },

  /** The live descendants of a live task, as they are (before a write changes them). */
  async liveDescendants(tx: Queryable, projectId: string, id: string): Promise<StoredTask[]> {
    const { rows } = await tx.query<TaskRow>(
      `${subtreeCte(LIVE, 't.deleted_at IS NULL')}
       SELECT ${TASK_COLUMNS} FROM tasks JOIN sub ON tasks.id = sub.sub_id WHERE sub.level > 1`,
      [id, projectId],
    );
    return rows.map(toTask);
  },

  /** A trashed task and the descendants trashed with it (at the same instant), the task first. */
  async trashedSubtree(tx: Queryable, projectId: string, id: string): Promise<SubtreeMember[]> {
    const { rows } = await tx.query<{ sub_id: string; level: number }>(
      `${subtreeCte('deleted_at IS NOT NULL', 't.deleted_at = (SELECT deleted_at FROM tasks WHERE id = $1)')}
       SELECT sub_id, level FROM sub ORDER BY level`,
      [id, projectId],
    );
    return rows.map((r) => ({ id: r.sub_id, level: r.level }));
  },

  /** Puts these live tasks in the Trash at `at` (one new version each); returns them as trashed. */
  async trash(tx: Queryable, projectId: string, ids: readonly string[], at: string): Promise<StoredTask[]> {
    const { rows } = await tx.query<TaskRow>(
      `UPDATE tasks SET deleted_at = $3, updated_at = $3, version = version + 1
       WHERE id = ANY($1::uuid[]) AND project_id = $2::uuid AND ${LIVE}
       RETURNING ${TASK_COLUMNS}`,
      [ids, projectId, at],
    );
    return sortLike(ids, rows.map(toTask));
  },

  /**
   * Empties a project that is being deleted into `inboxId`'s Trash: its live tasks are trashed at `at` (one
   * new version each; returned as they are now), and with the tasks already in its Trash they move to that
   * Inbox and to its owner `ownerId` (assignees other than the owner dropped), so they outlive the project
   * and are restored there. Trees stay as they are; the tasks trashed here share one instant, so restoring one
   * brings back the subtree deleted with it.
   */
  async trashProject(
    tx: Queryable,
    projectId: string,
    inboxId: string,
    ownerId: string,
    at: string,
  ): Promise<StoredTask[]> {
    const move = `project_id = $2, user_id = $3, version = version + 1,
      assignee_id = CASE WHEN assignee_id = $3 THEN assignee_id END`;
    await tx.query(`UPDATE tasks SET ${move} WHERE project_id = $1 AND deleted_at IS NOT NULL`, [
      projectId,
      inboxId,
      ownerId,
    ]);
    const { rows } = await tx.query<TaskRow>(
      `UPDATE tasks SET ${move}, deleted_at = $4, updated_at = $4 WHERE project_id = $1 AND ${LIVE}
       RETURNING ${TASK_COLUMNS}`,
      [projectId, inboxId, ownerId, at],
    );
    return rows.map(toTask);
  },

  /** Takes these tasks out of the Trash (one new version each), `rootId` under `rootParentId`. */
  async restore(
    tx: Queryable,
    projectId: string,
    ids: readonly string[],
    rootId: string,
    rootParentId: string | null,
    at: string,
  ): Promise<StoredTask[]> {
    const { rows } = await tx.query<TaskRow>(
      `UPDATE tasks SET deleted_at = NULL, updated_at = $3, version = version + 1,
         parent_id = CASE WHEN id = $4 THEN $5::uuid ELSE parent_id END
       WHERE id = ANY($1::uuid[]) AND project_id = $2::uuid AND deleted_at IS NOT NULL
       RETURNING ${TASK_COLUMNS}`,
      [ids, projectId, at, rootId, rootParentId],
    );
    return sortLike(ids, rows.map(toTask));
  },

  /** Completes the open live descendants of a task at `at` (one new version each); returns them, top first. */
  async completeOpenDescendants(
    tx: Queryable,
    projectId: string,
    id: string,
    at: string,
  ): Promise<StoredTask[]> {
    const { rows } = await tx.query<TaskRow & { level: number }>(
      `${subtreeCte(LIVE, 't.deleted_at IS NULL')}
       UPDATE tasks SET completed = true, completed_at = $3, updated_at = $3, version = version + 1
       FROM sub WHERE tasks.id = sub.sub_id AND sub.level > 1 AND NOT tasks.completed
       RETURNING ${TASK_COLUMNS}, sub.level`,
      [id, projectId, at],
    );
    return rows.sort((a, b) => a.level - b.level).map(toTask);
  },

  /**
   * Reopens the live descendants that the completion of task `id` at `completedAt` completed (theirs is the
   * same instant: completeOpenDescendants stamps them with it), returning them top first. Subtasks completed on
   * their own, before or after, keep their state.
   */
  async reopenCompletedWith(
    tx: Queryable,
    projectId: string,
    id: string,
    completedAt: string,
    at: string,
  ): Promise<StoredTask[]> {
    const { rows } = await tx.query<TaskRow & { level: number }>(
      `${subtreeCte(LIVE, 't.deleted_at IS NULL')}
       UPDATE tasks SET completed = false, completed_at = NULL, updated_at = $4, version = version + 1
       FROM sub WHERE tasks.id = sub.sub_id AND sub.level > 1 AND tasks.completed
         AND tasks.completed_at = $3::timestamptz
       RETURNING ${TASK_COLUMNS}, sub.level`,
      [id, projectId, completedAt, at],
    );
    return rows.sort((a, b) => a.level - b.level).map(toTask);
  },

  /** A live task of the project whose parent is `parentId` (null: the top level), or undefined. */
  async sibling(
    tx: Queryable,
    projectId: string,
    id: string,
    parentId: string | null,
  ): Promise<StoredTask | undefined> {
    const { rows } = await tx.query<TaskRow>(
      `SELECT ${TASK_COLUMNS} FROM tasks
       WHERE id = $1 AND project_id = $2::uuid AND ${LIVE} AND parent_id IS NOT DISTINCT FROM $3::uuid`,
      [id, projectId, parentId],
    );
    return rows[0] ? toTask(rows[0]) : undefined;
  },

  /**
   * The nearest order key of the live siblings under `parentId`, leaving `except` out: the greatest below
   * `below` (or the greatest of all), or the least above `above`; null when there is none.
   */
  async neighbourKey(
    tx: Queryable,
    projectId: string,
    parentId: string | null,
    except: string,
    bound: { below: string | null } | { above: string },
  ): Promise<string | null> {
    const below = 'below' in bound;
    const params: unknown[] = [projectId, parentId, except];
    let condition = '';
    if (below && bound.below !== null) {
      params.push(bound.below);
      condition = 'AND sort_order < $4';
    } else if (!below) {
      params.push(bound.above);
      condition = 'AND sort_order > $4';
    }
    const { rows } = await tx.query<{ key: string }>(
      `SELECT sort_order AS key FROM tasks
       WHERE project_id = $1::uuid AND ${LIVE} AND parent_id IS NOT DISTINCT FROM $2::uuid AND id <> $3 ${condition}
       ORDER BY sort_order ${below ? 'DESC' : 'ASC'} LIMIT 1`,
      params,
    );
    return rows[0]?.key ?? null;
  },

  /** The live tasks under `parentId` (null: the top level) but `except`, by order key (ties by id). */
  async siblingKeys(
    tx: Queryable,
    projectId: string,
    parentId: string | null,
    except: string,
  ): Promise<{ id: string; order: string }[]> {
    const { rows } = await tx.query<{ id: string; order: string }>(
      `SELECT id, sort_order AS order FROM tasks
       WHERE project_id = $1::uuid AND ${LIVE} AND parent_id IS NOT DISTINCT FROM $2::uuid AND id <> $3
       ORDER BY sort_order, id`,
      [projectId, parentId, except],
    );
    return rows;
  },

  /**
   * Gives these live tasks of a project new order keys (one new version each); returns each as it was and as
   * it is now, in the order given.
   */
  async rekey(
    tx: Queryable,
    projectId: string,
    keys: readonly { id: string; order: string }[],
    at: string,
  ): Promise<{ previous: StoredTask; task: StoredTask }[]> {
    if (keys.length === 0) return [];
    const ids = keys.map((k) => k.id);
    const { rows: before } = await tx.query<TaskRow>(
      `SELECT ${TASK_COLUMNS} FROM tasks WHERE id = ANY($1::uuid[]) AND project_id = $2::uuid AND ${LIVE}
       ORDER BY id FOR UPDATE`,
      [ids, projectId],
    );
    const { rows: after } = await tx.query<TaskRow>(
      `UPDATE tasks SET sort_order = k.rekey_order, updated_at = $4, version = version + 1
       FROM unnest($1::uuid[], $2::text[]) AS k(rekey_id, rekey_order)
       WHERE id = k.rekey_id AND project_id = $3::uuid AND ${LIVE}
       RETURNING ${TASK_COLUMNS}`,
      [ids, keys.map((k) => k.order), projectId, at],
    );
    const previous = new Map(before.map((r) => [r.id, toTask(r)]));
    const now = new Map(after.map((r) => [r.id, toTask(r)]));
    return ids.flatMap((id) => {
      const task = now.get(id);
      const was = previous.get(id);
      return task && was ? [{ previous: was, task }] : [];
    });
  },

  /**
   * Puts a task under `parentId` at `order` in `projectId` (its own or another): one row, one new version.
   * Its assignee stays only if a member of that project.
   */
  async place(
    tx: Queryable,
    id: string,
    place: { projectId: string; parentId: string | null; order: string },
    at: string,
  ): Promise<StoredTask> {
    const { rows } = await tx.query<TaskRow>(
      `UPDATE tasks SET project_id = $2, parent_id = $3, sort_order = $4, updated_at = $5, version = version + 1,
         ${KEEP_MEMBER_ASSIGNEE}
       WHERE id = $1 AND ${LIVE}
       RETURNING ${TASK_COLUMNS}`,
      [id, place.projectId, place.parentId, place.order, at],
    );
    return toTask(rows[0]!);
  },

  /**
   * Takes the live descendants of a task moved to another project along (one new version each, assignees
   * who are not members of it dropped); returns them, top first.
   */
  async moveDescendants(
    tx: Queryable,
    fromProjectId: string,
    id: string,
    toProjectId: string,
    at: string,
  ): Promise<StoredTask[]> {
    const { rows } = await tx.query<TaskRow & { level: number }>(
      `${subtreeCte(LIVE, 't.deleted_at IS NULL')}
       UPDATE tasks SET project_id = $4, updated_at = $3, version = version + 1, ${KEEP_MEMBER_ASSIGNEE.replace('$2', '$4')}
       FROM sub WHERE tasks.id = sub.sub_id AND sub.level > 1
       RETURNING ${TASK_COLUMNS}, sub.level`,
      [id, fromProjectId, at, toProjectId],
    );
    return rows.sort((a, b) => a.level - b.level).map(toTask);
  },
};

/** Rows in the order of `ids` (a walk's order: parents before children). */
function sortLike(ids: readonly string[], tasks: StoredTask[]): StoredTask[] {
  const at = new Map(ids.map((id, i) => [id, i]));
  return tasks.sort((a, b) => (at.get(a.id) ?? 0) - (at.get(b.id) ?? 0));
}
