import type { Queryable } from '../db/database.js';
import type { TaskChangeRecorder } from '../tasks/task.service.js';
import { TASK_COLUMNS, type TaskRow, toTask } from '../tasks/task-row.js';

/** A bound on the walk of a successor's subtree, far beyond the levels allowed. */
const WALK_LIMIT = 32;

/**
 * Takes back the next occurrence that completing task `taskId` made, when the occurrence is reopened (the
 * console's Undo), inside the reopen's transaction, which holds the reopened task's row lock: the recurrence
 * consumer takes the same lock before it creates a successor, so it either ran before (and the successor is
 * found here) or runs after and sees the task open again (and creates nothing).
 *
 * The successor goes only while untouched: it, and every task of its subtree (live or in the Trash), is still
 * at version 1 and was created in the successor's own transaction (the copied subtasks). Any write since
 * (an edit, completing, reopening, a move or re-keying among siblings, trashing) raises a version, and a
 * subtask added or moved under it later is not version 1 or not created with it; then the user has made it
 * theirs and it stays, with its `series_successors` row, so completing again makes no second one.
 *
 * An untouched successor is deleted outright, not put in the Trash: it holds nothing the user made (the next
 * completion recreates it exactly), and in the Trash it would show as a deletion the user never made whose
 * restore would add a second open occurrence. Each task removed is a `todo.task.deleted` event, so open
 * consoles drop it and its reminders are unscheduled. The `series_successors` row goes with it, so the next
 * completion makes exactly one successor again. Returns whether a successor was removed.
 */
export async function withdrawUntouchedSuccessor(
  tx: Queryable,
  recorder: TaskChangeRecorder,
  taskId: string,
  actorId: string,
): Promise<boolean> {
  const { rows: claim } = await tx.query<{ successor_id: string }>(
    'SELECT successor_id FROM series_successors WHERE task_id = $1 FOR UPDATE',
    [taskId],
  );
  const successorId = claim[0]?.successor_id;
  if (!successorId) return false;
  const { rows: subtree } = await tx.query<{ id: string }>(
    `WITH RECURSIVE sub(sub_id, level) AS (
       SELECT id, 1 FROM tasks WHERE id = $1
       UNION ALL
       SELECT t.id, sub.level + 1 FROM tasks t JOIN sub ON t.parent_id = sub.sub_id WHERE sub.level < ${WALK_LIMIT}
     )
     SELECT sub_id AS id FROM sub ORDER BY level`,
    [successorId],
  );
  // The successor is gone (purged from the Trash, or its project deleted): nothing to take back or to keep.
  if (subtree.length === 0) {
    await tx.query('DELETE FROM series_successors WHERE task_id = $1', [taskId]);
    return false;
  }
  const ids = subtree.map((r) => r.id);
  const { rows: locked } = await tx.query<{ id: string; version: number; fresh: boolean }>(
    `SELECT id, version, created_at = (SELECT created_at FROM tasks WHERE id = $2) AS fresh
     FROM tasks WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`,
    [ids, successorId],
  );
  const untouched =
    locked.length === ids.length && locked.every((r) => Number(r.version) === 1 && r.fresh === true);
  if (!untouched) return false;
  const { rows: deleted } = await tx.query<TaskRow>(
    `DELETE FROM tasks WHERE id = ANY($1::uuid[]) RETURNING ${TASK_COLUMNS}`,
    [ids],
  );
  const at = new Map(ids.map((id, i) => [id, i]));
  const tasks = deleted.map(toTask).sort((a, b) => at.get(a.id)! - at.get(b.id)!);
  for (const task of tasks) await recorder.record(tx, { kind: 'deleted', task, actorId });
  await tx.query('DELETE FROM series_successors WHERE task_id = $1', [taskId]);
  return true;
}
