import type { Reminder } from '@todo/contract';
import { reminderFireTime } from '@todo/recurrence';
import type { Queryable } from '../db/database.js';
import type { StoredTask } from '../tasks/task-row.js';

/** The channel that wakes the due-queue poller when the schedule changes (after commit: `notifyAfterCommit`). */
export const REMINDER_CHANNEL = 'todo_reminders';

/** The clock reminders are scheduled and fired by (tests move it); `() => new Date()` in the app. */
export type Clock = () => Date;
export const systemClock: Clock = () => new Date();

/** How far past its time a reminder may be when it is set and still fire (at once). */
export const LATE_REMINDER_GRACE_MS = 60_000;

/**
 * The one scheduling rule of both reminder backends: which of a task's reminders to schedule, and at what
 * time, after a write made at `setAt`, given the times they are scheduled at now (`scheduled`, by reminder
 * id). A reminder whose time is already scheduled keeps it, fired or not (an edit of another field neither
 * fires it again nor drops it); a new or moved one is scheduled, unless its time was more than
 * LATE_REMINDER_GRACE_MS past when it was set (a task created with a past due date and "15 minutes before"):
 * that one never fires. An edit that moves it into the future schedules it again.
 */
export function remindersToSchedule(
  reminders: readonly Reminder[],
  dueAt: string | null,
  setAt: Date,
  scheduled: ReadonlyMap<string, Date>,
): Map<string, Date> {
  const wanted = new Map<string, Date>();
  for (const r of reminders) {
    const at = reminderFireTime(r, dueAt);
    if (!at) continue;
    const unchanged = scheduled.get(r.id)?.getTime() === at.getTime();
    if (unchanged || at.getTime() >= setAt.getTime() - LATE_REMINDER_GRACE_MS) wanted.set(r.id, at);
  }
  return wanted;
}

/**
 * Brings the durable due-queue in line with a task written at `setAt`, inside the task's transaction
 * (`remindersToSchedule` decides): a reminder whose time did not change keeps its row and its "fired" mark,
 * one that is new or moved gets a pending row; completed or deleted tasks lose their pending rows.
 */
export async function syncReminderSchedule(
  tx: Queryable,
  task: StoredTask,
  setAt: Date,
  deleted = false,
): Promise<void> {
  if (deleted || task.completed || task.reminders.length === 0) {
    await tx.query(
      `DELETE FROM reminder_schedule WHERE task_id = $1${deleted ? '' : ' AND fired_at IS NULL'}`,
      [task.id],
    );
    return;
  }
  // Locked, so a poller firing one of these rows finishes first and this write sees it fired.
  const { rows } = await tx.query<{ reminder_id: string; fire_at: Date }>(
    'SELECT reminder_id, fire_at FROM reminder_schedule WHERE task_id = $1 FOR UPDATE',
    [task.id],
  );
  const scheduled = new Map(rows.map((r) => [r.reminder_id, r.fire_at]));
  const wanted = remindersToSchedule(task.reminders, task.dueAt, setAt, scheduled);
  const dropped = [...scheduled.keys()].filter((id) => !wanted.has(id));
  const armed = [...wanted].filter(([id, at]) => scheduled.get(id)?.getTime() !== at.getTime());
  if (dropped.length > 0) {
    await tx.query(
      'DELETE FROM reminder_schedule WHERE task_id = $1 AND reminder_id = ANY($2::uuid[]) AND fired_at IS NULL',
      [task.id, dropped],
    );
  }
  if (armed.length === 0) return;
  await tx.query(
    `INSERT INTO reminder_schedule (task_id, reminder_id, user_id, fire_at)
     SELECT $1, r.id, $2, r.at FROM unnest($3::uuid[], $4::timestamptz[]) AS r(id, at)
     ON CONFLICT (task_id, reminder_id) DO UPDATE SET fire_at = EXCLUDED.fire_at, fired_at = NULL`,
    [task.id, task.userId, armed.map(([id]) => id), armed.map(([, at]) => at.toISOString())],
  );
  tx.notifyAfterCommit(REMINDER_CHANNEL);
}
