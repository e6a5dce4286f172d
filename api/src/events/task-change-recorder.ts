import { randomUUID } from 'node:crypto';
import { syncReminderSchedule } from '../reminders/reminder-schedule.js';
import type { TaskChangeRecorder } from '../tasks/task.service.js';
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
  return async (tx, change) => {
    const event = taskChangeEvent(change);
    await enqueue(tx, [
      { topic: topicName('taskEvents', opts.topicPrefix), key: change.task.id, event },
      {
        topic: topicName('taskUpdates', opts.topicPrefix),
        key: change.task.id,
        event: { ...event, id: randomUUID() },
      },
    ]);
    if (opts.scheduleRemindersInDatabase)
      await syncReminderSchedule(tx, change.task, change.kind === 'deleted');
  };
}
