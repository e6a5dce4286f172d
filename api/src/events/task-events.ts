import { type CloudEvent, cloudEvent, TASK_EVENT_TYPES, type TaskEventType } from '@todo/contract';
import type { TaskChange } from '../tasks/task.service.js';
import type { StoredTask } from '../tasks/task-row.js';

/**
 * `data` of every todo.task.* event: the task as the API shows it (with its `projectId`), plus its owner,
 * who made the change (`actorId`) and, when its project is being deleted, who could see it (`audience`).
 */
export type TaskEventData = StoredTask & {
  changedFields?: string[];
  actorId?: string;
  audience?: string[];
  /** A subtask completed with a recurring ancestor, which copies it into its next occurrence: the ancestor's id. */
  recursWith?: string;
  /** Only on `task-updates`: the users whose stream alone gets it (they lost access to the task's project). */
  recipients?: string[];
};

const COMPARED_FIELDS = [
  'title',
  'description',
  'priority',
  'tags',
  'dueAt',
  'timeZone',
  'reminders',
  'recurrence',
  'parentId',
  'order',
  'projectId',
  'assigneeId',
] as const;

/** Which user-visible fields differ between two versions of a task. */
export function changedFields(previous: StoredTask, next: StoredTask): string[] {
  return COMPARED_FIELDS.filter((f) => JSON.stringify(previous[f]) !== JSON.stringify(next[f]));
}

/** Builds the CloudEvent for a task change; pure but for the fresh id and the clock passed in. */
export function taskChangeEvent(change: TaskChange, now?: Date, id?: string): CloudEvent<TaskEventData> {
  const type: TaskEventType = TASK_EVENT_TYPES[change.kind];
  const data: TaskEventData = {
    ...change.task,
    ...(change.kind === 'updated' ? { changedFields: changedFields(change.previous, change.task) } : {}),
    ...(change.actorId ? { actorId: change.actorId } : {}),
    ...(change.audience ? { audience: [...change.audience] } : {}),
    ...(change.kind === 'completed' && change.recursWith ? { recursWith: change.recursWith } : {}),
  };
  return cloudEvent(type, change.task.id, data, now, id);
}
