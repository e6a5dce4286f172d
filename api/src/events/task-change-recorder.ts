import { topicName } from '@todo/contract';
import { type Clock, syncReminderSchedule, systemClock } from '../reminders/reminder-schedule.js';
import type { TaskChange, TaskChangeRecorder } from '../tasks/task.service.js';
import { enqueue, type OutboxEntry } from './outbox.js';
import { taskChangeEvent } from './task-events.js';

/**
 * What every task write does inside its own transaction: its CloudEvent goes through the outbox to
 * `task-events` (history, recurrence) and to `task-updates` (live updates) as one row, and (with the database reminder backend) the
 * reminder due-queue is brought in line. `now` (the app's clock) dates the event and is the moment its
 * reminders were set.
 */
export function taskChangeRecorder(opts: {
  topicPrefix: string | undefined;
  scheduleRemindersInDatabase: boolean;
  now?: Clock;
}): TaskChangeRecorder {
  const now = opts.now ?? systemClock;
  const topics = [topicName('taskEvents', opts.topicPrefix), topicName('taskUpdates', opts.topicPrefix)];
  const messages = (change: TaskChange): OutboxEntry[] => [
    { topics, key: change.task.id, event: taskChangeEvent(change, now()) },
  ];
  // Only an update changes reminders: a task without any now (and, for an update, before) has nothing to sync.
  const touchesReminders = (change: TaskChange) =>
    opts.scheduleRemindersInDatabase &&
    (change.task.reminders.length > 0 || (change.kind === 'updated' && change.previous.reminders.length > 0));
  return {
    messages,
    needsMoreWrites: touchesReminders,
    // Stream-only removals: `recipients` names who the stream consumer tells (see appendToStream).
    async recordAccessLost(tx, userId, tasks) {
      const at = now();
      await enqueue(
        tx,
        tasks.map((task) => {
          const event = taskChangeEvent({ kind: 'deleted', task }, at);
          return {
            topics: [topics[1]!],
            key: task.id,
            event: { ...event, data: { ...event.data, recipients: [userId] } },
          };
        }),
      );
    },
    async record(tx, change) {
      const entries = messages(change);
      await enqueue(tx, entries);
      if (touchesReminders(change)) {
        const setAt = new Date(entries[0]!.event.time);
        await syncReminderSchedule(tx, change.task, setAt, change.kind === 'deleted');
      }
    },
  };
}
