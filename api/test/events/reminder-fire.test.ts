import type { CloudEvent } from '@todo/contract';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { idempotentHandler } from '../../src/events/idempotent-consumer.js';
import { NOTIFICATIONS_CONSUMER, notifyDueReminders } from '../../src/reminders/reminder.consumer.js';
import { DUE_ROW_COLUMNS, type DueRow, fireClaimed } from '../../src/reminders/reminder-poller.js';
import { createTask } from '../support/task-requests.js';
import { STORAGES, useTestApp } from '../support/test-app.js';

/**
 * The replica that fires a reminder notifies in the same transaction: the notification does not wait for the
 * `reminders` event to come back through the bus (whose partition may belong to a replica that is gone).
 */
describe.each(STORAGES)('firing a reminder on %s', (storage) => {
  const t = useTestApp(storage);

  /** A task with a reminder an hour away (the poller leaves it), fired now by hand as a backend would. */
  async function fireByHand(
    title: string,
  ): Promise<{ taskId: string; fired: number; notifiedInTransaction: number }> {
    const task = await createTask(t, t.auth, {
      title,
      reminders: [{ remindAt: new Date(Date.now() + 3_600_000).toISOString() }],
    });
    const fired = await t.db.transaction(async (tx) => {
      const { rows } = await tx.query<DueRow>(
        `SELECT ${DUE_ROW_COLUMNS} FROM reminder_schedule s JOIN tasks t ON t.id = s.task_id
         WHERE s.task_id = $1 AND s.fired_at IS NULL FOR UPDATE OF s`,
        [task.id],
      );
      const n = await fireClaimed(tx, rows, undefined);
      // Inside the firing transaction: its outbox row is not even committed, so nothing was delivered yet.
      const { rows: notes } = await tx.query('SELECT 1 FROM notifications WHERE task_id = $1', [task.id]);
      return { n, notes: notes.length };
    });
    return { taskId: task.id, fired: fired.n, notifiedInTransaction: fired.notes };
  }

  const notificationsOf = async (taskId: string) =>
    (
      await t.db.query<{ source_event_id: string }>(
        'SELECT source_event_id FROM notifications WHERE task_id = $1',
        [taskId],
      )
    ).rows;

  const dueEventOf = async (taskId: string): Promise<CloudEvent> => {
    const { rows } = await t.db.query<{ event: CloudEvent }>(
      `SELECT event FROM outbox WHERE key = $1 AND event->>'type' = 'todo.reminder.due'
       UNION ALL SELECT event FROM outbox_delivered WHERE key = $1 AND event->>'type' = 'todo.reminder.due'`,
      [taskId],
    );
    expect(rows).toHaveLength(1);
    return rows[0]!.event;
  };

  it('writes the notification and the reminder.due event in the transaction that fires it', async () => {
    const { taskId, fired, notifiedInTransaction } = await fireByHand('Water the plants');
    expect(fired).toBe(1);
    expect(notifiedInTransaction).toBe(1);
    const notes = await notificationsOf(taskId);
    const event = await dueEventOf(taskId);
    expect(notes).toEqual([{ source_event_id: event.id }]);
  });

  it('leaves nothing to do for the notifications consumer when the event comes back, however often', async () => {
    const { taskId } = await fireByHand('Pay rent');
    const event = await dueEventOf(taskId);
    const consumer = idempotentHandler(
      t.db,
      NOTIFICATIONS_CONSUMER,
      'reminders',
      pino({ level: 'silent' }),
      notifyDueReminders(undefined),
    );
    expect(await consumer(event)).toBe('success');
    expect(await consumer(event)).toBe('success');
    await t.events.drained();
    expect(await notificationsOf(taskId)).toEqual([{ source_event_id: event.id }]);
  });
});
