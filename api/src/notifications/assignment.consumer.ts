import { type CloudEvent, TASK_EVENT_TYPES } from '@todo/contract';
import type { Queryable } from '../db/database.js';
import type { EventEffect } from '../events/idempotent-consumer.js';
import type { TaskEventData } from '../events/task-events.js';
import { notifyTaskReaders } from './notify-readers.js';

/** A task created with an assignee, or given a new one, by someone other than that assignee. */
export const assignsSomeone = (event: CloudEvent): boolean => {
  const data = event.data as Partial<TaskEventData> | null | undefined;
  if (typeof data?.assigneeId !== 'string' || data.assigneeId === data.actorId) return false;
  return (
    event.type === TASK_EVENT_TYPES.created ||
    (event.type === TASK_EVENT_TYPES.updated && (data.changedFields ?? []).includes('assigneeId'))
  );
};

/**
 * Tells users tasks were assigned to them: an in-app notification and a live `notification` update each, once
 * per event (the notification is keyed by it), and only while the assignee can still read the task — one
 * INSERT and one outbox write for a batch, as for due reminders.
 */
export function notifyAssignees(topicPrefix: string | undefined): EventEffect {
  return async (tx: Queryable, events: readonly CloudEvent[]): Promise<void> => {
    const assigned = events.filter(assignsSomeone).map((event) => {
      const task = event.data as TaskEventData;
      return {
        userId: task.assigneeId as string,
        type: 'assigned',
        taskId: task.id,
        title: task.title,
        sourceEventId: event.id,
      };
    });
    await notifyTaskReaders(tx, assigned, topicPrefix);
  };
}
