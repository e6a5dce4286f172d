import { randomUUID } from 'node:crypto';
import { syncReminderSchedule } from '../reminders/reminder-schedule.js';
import type { TaskChange, TaskChangeRecorder } from '../tasks/task.service.js';
import type { OutboundMessage } from './bus.js';
import { enqueue } from './outbox.js';
import { taskChangeEvent } from './task-events.js';
import { topicName } from './topics.js';

/**
 * What every task write does inside its own transaction: its CloudEvent goes to `task-events` and a
 * live update to `task-updates` through the outbox, and (with the database reminder backend) the
 * reminder due-queue is brought in line.
 */
export function taskChangeRecorder(opts: {
  topicPrefix: string | undefined;
  scheduleRemindersInDatabase: boolean;
}): TaskChangeRecorder {
  const messages = (change: TaskChange): OutboundMessage[] => {
    const event = taskChangeEvent(change);
    return [
      { topic: topicName('taskEvents', opts.topicPrefix), key: change.task.id, event },
      {
        topic: topicName('taskUpdates', opts.topicPrefix),
        key: change.task.id,
        event: { ...event, id: randomUUID() },
      },
    ];
  };
  // Only an update changes reminders: a task without any now (and, for an update, before) has nothing to sync.
  const touchesReminders = (change: TaskChange) =>
    opts.scheduleRemindersInDatabase &&
    (change.task.reminders.length > 0 || (change.kind === 'updated' && change.previous.reminders.length > 0));
  return {
    messages,
    needsMoreWrites: touchesReminders,
    async record(tx, change) {
      await enqueue(tx, messages(change));
      if (touchesReminders(change)) await syncReminderSchedule(tx, change.task, change.kind === 'deleted');
    },
  };
}
