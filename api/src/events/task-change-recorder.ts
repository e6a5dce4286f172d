import { topicName } from '@todo/contract';
import { syncReminderSchedule } from '../reminders/reminder-schedule.js';
import type { TaskChange, TaskChangeRecorder } from '../tasks/task.service.js';
import { enqueue, type OutboxEntry } from './outbox.js';
import { taskChangeEvent } from './task-events.js';

/**
 * What every task write does inside its own transaction: its CloudEvent goes through the outbox to
 * `task-events` (history, recurrence) and to `task-updates` (live updates) as one row, and (with the database reminder backend) the
 * reminder due-queue is brought in line.
 */
export function taskChangeRecorder(opts: {
  topicPrefix: string | undefined;
  scheduleRemindersInDatabase: boolean;
}): TaskChangeRecorder {
  const topics = [topicName('taskEvents', opts.topicPrefix), topicName('taskUpdates', opts.topicPrefix)];
  const messages = (change: TaskChange): OutboxEntry[] => [
    { topics, key: change.task.id, event: taskChangeEvent(change) },
  ];
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
