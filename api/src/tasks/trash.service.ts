import { type ListTrashQuery, MAX_TASK_LEVELS, type Page } from '@todo/contract';
import { requireRight } from '../access/access.js';
import type { Database } from '../db/database.js';
import { NotFoundError } from '../http/errors.js';
import { taskRepository } from './task.repository.js';
import type { TaskChangeRecorder } from './task.service.js';
import type { StoredTask } from './task-row.js';
import { taskTreeRepository } from './task-tree.repository.js';
import { type TrashedStoredTask, trashRepository } from './trash.repository.js';

/**
 * The Trash: deleting a task puts it and its subtree there (one `todo.task.deleted` event each); restoring
 * brings back what was deleted with it (one `todo.task.created` event each: the task exists again). What stays
 * there 30 days is purged by the retention sweep.
 */
export class TrashService {
  constructor(
    private readonly db: Database,
    private readonly recorder: TaskChangeRecorder,
  ) {}

  /**
   * Moves a live task and its live subtree to the Trash: an editor or the owner of its project may (a viewer
   * gets 403, anyone else 404).
   */
  async trash(userId: string, id: string): Promise<void> {
    return this.db.transaction(async (tx) => {
      const found = await taskRepository.find(tx, userId, id);
      requireRight(found?.role, 'write', `Task ${id}`);
      const projectId = found!.task.projectId;
      await taskTreeRepository.lock(tx, projectId);
      const subtree = await taskTreeRepository.liveSubtree(tx, projectId, id);
      if (subtree.length === 0) throw new NotFoundError(`Task ${id} does not exist.`);
      const trashed = await taskTreeRepository.trash(
        tx,
        projectId,
        subtree.map((m) => m.id),
        new Date().toISOString(),
      );
      for (const task of trashed) await this.recorder.record(tx, { kind: 'deleted', task, actorId: userId });
    });
  }

  /**
   * Restores a trashed task with the subtree trashed with it (an editor or the owner of its project may). It
   * goes back under its parent when that parent is live and the subtree still fits below it, else to the top.
   */
  async restore(userId: string, id: string): Promise<StoredTask> {
    return this.db.transaction(async (tx) => {
      const found = await trashRepository.find(tx, userId, id);
      requireRight(found?.role, 'write', `Task ${id} in the Trash`);
      const root = found!.task;
      await taskTreeRepository.lock(tx, root.projectId);
      const subtree = await taskTreeRepository.trashedSubtree(tx, root.projectId, id);
      if (subtree.length === 0) throw new NotFoundError(`Task ${id} in the Trash does not exist.`);
      const height = Math.max(...subtree.map((m) => m.level));
      const parentLevel =
        root.parentId === null
          ? undefined
          : await taskTreeRepository.levelOf(tx, root.projectId, root.parentId);
      const parentId =
        parentLevel !== undefined && parentLevel + height <= MAX_TASK_LEVELS ? root.parentId : null;
      const tasks = await taskTreeRepository.restore(
        tx,
        root.projectId,
        subtree.map((m) => m.id),
        id,
        parentId,
        new Date().toISOString(),
      );
      for (const task of tasks) await this.recorder.record(tx, { kind: 'created', task, actorId: userId });
      return tasks[0]!;
    });
  }

  /** One page of the Trash of the projects the user reads, most recently deleted first. */
  list(userId: string, query: ListTrashQuery): Promise<Page<TrashedStoredTask>> {
    return trashRepository.page(this.db, userId, query);
  }
}
