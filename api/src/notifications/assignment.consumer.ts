import { randomUUID } from 'node:crypto';
import {
  type CloudEvent,
  cloudEvent,
  NOTIFICATION_CREATED,
  TASK_EVENT_TYPES,
  topicName,
} from '@todo/contract';
import { access } from '../access/access.js';
import type { Queryable } from '../db/database.js';
import { enqueue } from '../events/outbox.js';
import type { TaskEventData } from '../events/task-events.js';
import { notificationRepository } from './notification.repository.js';

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
 * Tells a user a task was assigned to them: an in-app notification and a live `notification` update, once
 * per event (the notification is keyed by it), and only while the assignee can still read the task.
 */
export function notifyAssignee(topicPrefix: string | undefined) {
  return async (tx: Queryable, event: CloudEvent): Promise<void> => {
    if (!assignsSomeone(event)) return;
    const task = event.data as TaskEventData;
    const assigneeId = task.assigneeId as string;
    if (!(await access.taskIds(tx, assigneeId, [task.id], 'read')).has(task.id)) return;
    const notification = await notificationRepository.insert(tx, {
      id: randomUUID(),
      userId: assigneeId,
      type: 'assigned',
      taskId: task.id,
      title: task.title,
      sourceEventId: event.id,
    });
    if (!notification) return;
    await enqueue(tx, [
      {
        topics: [topicName('taskUpdates', topicPrefix)],
        key: task.id,
        event: cloudEvent(NOTIFICATION_CREATED, task.id, { userId: assigneeId, ...notification }),
      },
    ]);
  };
}
