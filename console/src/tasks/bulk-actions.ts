import type { Task } from '@todo/contract';
import type { TaskStore } from './task-store.js';
import type { TasksApi } from './tasks-api.js';

export type BulkAction = { kind: 'complete' } | { kind: 'delete' } | { kind: 'tag'; tag: string };

/** Where a task changed by an action or its Undo is shown: the main list's store, or a view's. */
export interface TaskSink {
  upsert(task: Task): void;
}

/** What one action did to many tasks: `changed` holds the tasks it changed (as they are now), for Undo. */
export interface BulkResult {
  done: number;
  failed: Task[];
  firstError: unknown;
  changed: Task[];
}

/** Applies one action to many tasks; each success updates the store, failures are counted, never partial-silent. */
export async function runBulk(
  api: TasksApi,
  store: TaskStore,
  tasks: Task[],
  action: BulkAction,
): Promise<BulkResult> {
  return settleEach(tasks, async (task) => {
    if (action.kind === 'delete') {
      await api.remove(task.id);
      store.remove(task.id);
      return task;
    }
    if (action.kind === 'complete') {
      if (task.completed) return null;
      const done = await api.complete(task.id);
      store.upsert(done);
      return done;
    }
    if (task.tags.includes(action.tag)) return null;
    const tagged = await api.update(task.id, { tags: [...task.tags, action.tag] }, task.version);
    store.upsert(tagged);
    return tagged;
  });
}

/**
 * Reverses `action` for the tasks it changed: reopens what it completed, restores from the Trash what it
 * deleted, takes the tag off again (only if nobody changed the task since: the version is sent as If-Match).
 */
export function undoBulk(
  api: TasksApi,
  store: TaskSink,
  changed: Task[],
  action: BulkAction,
): Promise<BulkResult> {
  return settleEach(changed, async (task) => {
    const undone =
      action.kind === 'delete'
        ? await api.restore(task.id)
        : action.kind === 'complete'
          ? await api.reopen(task.id)
          : await api.update(task.id, { tags: task.tags.filter((t) => t !== action.tag) }, task.version);
    store.upsert(undone);
    return undone;
  });
}

/** Runs `apply` on every task at once; a task it returns null for was left as it was. */
async function settleEach(tasks: Task[], apply: (task: Task) => Promise<Task | null>): Promise<BulkResult> {
  const results = await Promise.allSettled(tasks.map(apply));
  const failed = tasks.filter((_, i) => results[i]?.status === 'rejected');
  const firstError = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')?.reason;
  const changed = results.flatMap((r) => (r.status === 'fulfilled' && r.value ? [r.value] : []));
  return { done: results.length - failed.length, failed, firstError, changed };
}
