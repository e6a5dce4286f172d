import type { Task } from '@todo/contract';
import { ProblemError } from '../api/errors.js';
import { slotOfOrder } from '../dnd/task-tree.js';
import type { ProjectsApi } from './projects-api.js';

/** Where a task was before a move: enough to put it back. */
export interface Place {
  id: string;
  projectId: string;
  parentId: string | null;
  order: string;
}

export function placeOf(task: Task): Place {
  return { id: task.id, projectId: task.projectId, parentId: task.parentId ?? null, order: task.order ?? '' };
}

/**
 * Undoes a move: the task goes back to its project and parent, between the siblings its old order key sat
 * between (found again now, so it holds even if those siblings moved since). When that place cannot be had
 * (a neighbour went away in the meantime) it goes back under the same parent, last.
 */
export async function moveBack(api: ProjectsApi, place: Place): Promise<Task> {
  const home = { projectId: place.projectId, parentId: place.parentId };
  const siblings = await api.siblings(place.projectId, place.parentId);
  const near = slotOfOrder(siblings, place.id, place.order);
  try {
    return await api.move(place.id, { ...home, ...near });
  } catch (err) {
    if (!(err instanceof ProblemError && err.status === 422) || !(near.after || near.before)) throw err;
    return api.move(place.id, home);
  }
}
