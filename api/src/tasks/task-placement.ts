import { MAX_TASK_LEVELS, type MoveTaskInput } from '@todo/contract';
import type { Queryable } from '../db/database.js';
import { ValidationError } from '../http/errors.js';
import { taskTreeRepository } from './task-tree.repository.js';

// Where a task may go in its owner's tree: the checks and order bounds of creating under a parent and moving.

/** Refuses (422) a parent that is not a live task of the project, or under which `levels` more levels do not fit. */
export async function checkParent(
  tx: Queryable,
  projectId: string,
  parentId: string,
  levels: number,
): Promise<void> {
  const parentLevel = await taskTreeRepository.levelOf(tx, projectId, parentId);
  if (parentLevel === undefined) {
    throw new ValidationError("The parent task is not in the task's project.", [
      { path: 'parentId', message: "is not a task of the task's project" },
    ]);
  }
  if (parentLevel + levels > MAX_TASK_LEVELS) {
    throw new ValidationError(`Subtasks nest at most ${MAX_TASK_LEVELS} levels deep.`, [
      {
        path: 'parentId',
        message: `is at level ${parentLevel}: ${levels} more level(s) below it would exceed ${MAX_TASK_LEVELS}`,
      },
    ]);
  }
}

/**
 * Refuses (422) moving a task of `projectId` under itself, one of its subtasks, or a task of `targetProjectId`
 * under which its subtree would nest too deep.
 */
export async function checkNewParent(
  tx: Queryable,
  projectId: string,
  id: string,
  parentId: string,
  targetProjectId: string,
): Promise<void> {
  const subtree = await taskTreeRepository.liveSubtree(tx, projectId, id);
  if (subtree.some((member) => member.id === parentId)) {
    throw new ValidationError('A task cannot move under itself or one of its own subtasks.', [
      { path: 'parentId', message: 'is the task itself or one of its subtasks' },
    ]);
  }
  await checkParent(tx, targetProjectId, parentId, Math.max(...subtree.map((m) => m.level)));
}

/** The order keys a moved task goes between: `after`'s and the next one, the previous one and `before`'s. */
export async function neighbourKeys(
  tx: Queryable,
  projectId: string,
  id: string,
  parentId: string | null,
  input: MoveTaskInput,
): Promise<{ lower: string | null; upper: string | null }> {
  const siblingOf = async (field: 'before' | 'after') => {
    const siblingId = input[field];
    if (siblingId === undefined) return undefined;
    const sibling =
      siblingId === id ? undefined : await taskTreeRepository.sibling(tx, projectId, siblingId, parentId);
    if (!sibling) {
      throw new ValidationError('A task moves next to one of its new siblings.', [
        { path: field, message: 'is not another task under the same parent' },
      ]);
    }
    return sibling.order;
  };
  const after = await siblingOf('after');
  const before = await siblingOf('before');
  if (after !== undefined && before !== undefined && after > before) {
    throw new ValidationError('`after` must come before `before`.', [
      { path: 'before', message: 'comes before `after` among the siblings' },
    ]);
  }
  // Equal keys (two tasks created in one microsecond) have nothing between them: go right after both.
  if (after !== undefined && before !== undefined && after < before) return { lower: after, upper: before };
  if (after !== undefined) {
    return {
      lower: after,
      upper: await taskTreeRepository.neighbourKey(tx, projectId, parentId, id, { above: after }),
    };
  }
  if (before !== undefined) {
    return {
      lower: await taskTreeRepository.neighbourKey(tx, projectId, parentId, id, { below: before }),
      upper: before,
    };
  }
  return {
    lower: await taskTreeRepository.neighbourKey(tx, projectId, parentId, id, { below: null }),
    upper: null,
  };
}
