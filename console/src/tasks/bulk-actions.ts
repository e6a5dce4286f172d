import type { Task } from '@todo/contract';
import type { TaskStore } from './task-store.js';
import type { TasksApi } from './tasks-api.js';

export type BulkAction = { kind: 'complete' } | { kind: 'delete' } | { kind: 'tag'; tag: string };

/** Applies one action to many tasks; each success updates the store, failures are counted, never partial-silent. */
export async function runBulk(
  api: TasksApi,
  store: TaskStore,
  tasks: Task[],
  action: BulkAction,
): Promise<{ done: number; failed: Task[]; firstError: unknown }> {
  const results = await Promise.allSettled(
    tasks.map(async (task) => {
      if (action.kind === 'delete') {
        await api.remove(task.id);
        store.remove(task.id);
      } else if (action.kind === 'complete') {
        if (!task.completed) store.upsert(await api.complete(task.id));
      } else if (!task.tags.includes(action.tag)) {
        store.upsert(await api.update(task.id, { tags: [...task.tags, action.tag] }, task.version));
      }
    }),
  );
  const failed = tasks.filter((_, i) => results[i]?.status === 'rejected');
  const firstError = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')?.reason;
  return { done: results.length - failed.length, failed, firstError };
}
