import type { Queryable } from '../db/database.js';
import { ValidationError } from '../http/errors.js';
import { taskRepository } from './task.repository.js';
import type { StoredTask } from './task-row.js';
import { taskTreeRepository } from './task-tree.repository.js';

/** A parent must be in the project its subtask ends up in (422 naming `parentId` otherwise). */
export async function checkParentProject(
  tx: Queryable,
  userId: string,
  parentId: string,
  projectId: string,
): Promise<void> {
  const parent = await taskRepository.find(tx, userId, parentId);
  if (parent && parent.task.projectId !== projectId) {
    throw new ValidationError('The parent task is in another project.', [
      { path: 'parentId', message: "is not in the task's project" },
    ]);
  }
}

/**
 * Moves a task's live subtree (in its owner's tree) to another project, inside the caller's transaction, and
 * unassigns whoever is not a member there; returns each task before and after, the root first.
 */
export async function moveSubtreeToProject(
  tx: Queryable,
  owner: string,
  id: string,
  projectId: string,
  at: string,
): Promise<{ previous: StoredTask; task: StoredTask }[]> {
  const ids = (await taskTreeRepository.liveSubtree(tx, owner, id)).map((m) => m.id);
  const before = new Map((await taskRepository.byIds(tx, ids)).map((t) => [t.id, t]));
  const after = await taskRepository.moveToProject(tx, ids, projectId, at);
  const byId = new Map(after.map((t) => [t.id, t]));
  return ids.flatMap((i) => {
    const previous = before.get(i);
    const task = byId.get(i);
    return previous && task ? [{ previous, task }] : [];
  });
}
