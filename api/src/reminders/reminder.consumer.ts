import { randomUUID } from 'node:crypto';
import { type CloudEvent, cloudEvent, NOTIFICATION_CREATED, REMINDER_DUE, topicName } from '@todo/contract';
import { access } from '../access/access.js';
import type { Queryable } from '../db/database.js';
import { UnprocessableEventError } from '../events/idempotent-consumer.js';
import { enqueue } from '../events/outbox.js';
import { notificationRepository } from '../notifications/notification.repository.js';
import type { ReminderDueData } from './reminder-poller.js';

/** The consumer of `reminders` that notifies: its name in `processed_events`. */
export const NOTIFICATIONS_CONSUMER = 'notifications';

/**
 * Turns a due reminder into an in-app notification and a live `notification` update for its user, while that
 * user can still read the task (one who left its project is not told about it).
 */
export function notifyDueReminder(topicPrefix: string | undefined) {
  return async (tx: Queryable, event: CloudEvent): Promise<void> => {
    const data = event.data as Partial<ReminderDueData>;
    if (event.type !== REMINDER_DUE || typeof data.userId !== 'string' || typeof data.taskId !== 'string') {
      throw new UnprocessableEventError(`not a due reminder: ${event.type}`);
    }
    if (!(await access.taskIds(tx, data.userId, [data.taskId], 'read')).has(data.taskId)) return;
    const notification = await notificationRepository.insert(tx, {
      id: randomUUID(),
      userId: data.userId,
      type: 'reminder',
      taskId: data.taskId,
      title: String(data.title ?? 'Reminder'),
      sourceEventId: event.id,
    });
    if (!notification) return;
    await enqueue(tx, [
      {
        topics: [topicName('taskUpdates', topicPrefix)],
        key: data.taskId,
        event: cloudEvent(NOTIFICATION_CREATED, data.taskId, { userId: data.userId, ...notification }),
      },
    ]);
  };
}
