import { type CloudEvent, REMINDER_DUE } from '@todo/contract';
import type { Queryable } from '../db/database.js';
import { type EventEffect, UnprocessableEventError } from '../events/idempotent-consumer.js';
import { notifyTaskReaders } from '../notifications/notify-readers.js';
import type { ReminderDueData } from './reminder-poller.js';

/** The consumer of `reminders` that notifies: its name in `processed_events`. */
export const NOTIFICATIONS_CONSUMER = 'notifications';

/**
 * Turns due reminders into in-app notifications and `notification` live updates for their users, while each
 * user can still read the task (one who left its project is not told about it): one INSERT and one outbox
 * write for the lot, run by the replica that fires them (fireClaimed) and by the notifications consumer.
 */
export function notifyDueReminders(topicPrefix: string | undefined): EventEffect {
  return async (tx: Queryable, events: readonly CloudEvent[]): Promise<void> => {
    const due = events.map((event) => {
      const data = event.data as Partial<ReminderDueData>;
      if (event.type !== REMINDER_DUE || typeof data.userId !== 'string' || typeof data.taskId !== 'string') {
        throw new UnprocessableEventError(`not a due reminder: ${event.type}`);
      }
      return {
        userId: data.userId,
        type: 'reminder',
        taskId: data.taskId,
        title: String(data.title ?? 'Reminder'),
        sourceEventId: event.id,
      };
    });
    await notifyTaskReaders(tx, due, topicPrefix);
  };
}
