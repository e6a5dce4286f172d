import { randomUUID } from 'node:crypto';
import type { StoredTask } from '../tasks/task.repository.js';
import type { TaskChange } from '../tasks/task.service.js';
import { type CloudEvent, EVENT_SOURCE, TASK_EVENT_TYPES, type TaskEventType } from './cloudevent.js';

/** `data` of every todo.task.* event: the task as the API shows it, plus its owner. */
export type TaskEventData = StoredTask & { changedFields?: string[] };

const COMPARED_FIELDS = [
  'title',
  'description',
  'priority',
  'tags',
  'dueAt',
  'timeZone',
  'reminders',
  'recurrence',
] as const;

/** Which user-visible fields differ between two versions of a task. */
export function changedFields(previous: StoredTask, next: StoredTask): string[] {
  return COMPARED_FIELDS.filter((f) => JSON.stringify(previous[f]) !== JSON.stringify(next[f]));
}

/** Builds the CloudEvent for a task change; pure but for the fresh id and the clock passed in. */
export function taskChangeEvent(
  change: TaskChange,
  now: Date = new Date(),
  id: string = randomUUID(),
): CloudEvent<TaskEventData> {
  const type: TaskEventType = TASK_EVENT_TYPES[change.kind];
  const data: TaskEventData =
    change.kind === 'updated'
      ? { ...change.task, changedFields: changedFields(change.previous, change.task) }
      : change.task;
  return {
    specversion: '1.0',
    id,
    source: EVENT_SOURCE,
    type,
    subject: change.task.id,
    time: now.toISOString(),
    datacontenttype: 'application/json',
    data,
  };
}

/** Builds any other CloudEvent of ours (reminders, live updates). */
export function cloudEvent<T>(type: string, subject: string, data: T, now: Date = new Date()): CloudEvent<T> {
  return {
    specversion: '1.0',
    id: randomUUID(),
    source: EVENT_SOURCE,
    type,
    subject,
    time: now.toISOString(),
    datacontenttype: 'application/json',
    data,
  };
}

/** Checks the envelope of an incoming event; anything else is a payload to drop, not to retry. */
export function isCloudEvent(value: unknown): value is CloudEvent {
  if (typeof value !== 'object' || value === null) return false;
  const e = value as Record<string, unknown>;
  return (
    e.specversion === '1.0' &&
    typeof e.id === 'string' &&
    /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(e.id) &&
    typeof e.type === 'string' &&
    typeof e.subject === 'string' &&
    typeof e.data === 'object' &&
    e.data !== null
  );
}
