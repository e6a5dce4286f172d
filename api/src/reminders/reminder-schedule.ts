import { reminderFireTime } from '@todo/recurrence';
import type { Queryable } from '../db/database.js';
import type { StoredTask } from '../tasks/task-row.js';

/** NOTIFY channel that wakes the due-queue poller when the schedule changes. */
export const REMINDER_CHANNEL = 'todo_reminders';

/**
 * Brings the durable due-queue in line with a task, inside the task's transaction: open tasks get one
 * row per reminder at its fire time; a reminder whose time did not change keeps its "fired" mark, one
 * whose time moved fires again; completed or deleted tasks lose their pending rows.
 */
export async function syncReminderSchedule(tx: Queryable, task: StoredTask, deleted = false): Promise<void> {
  const wanted =
    deleted || task.completed
      ? []
      : task.reminders.flatMap((r) => {
          const at = reminderFireTime(r, task.dueAt);
          return at ? [{ id: r.id, at: at.toISOString() }] : [];
        });
  await tx.query(
    'DELETE FROM reminder_schedule WHERE task_id = $1 AND NOT (reminder_id = ANY($2::uuid[]))' +
      (deleted ? '' : ' AND fired_at IS NULL'),
    [task.id, wanted.map((w) => w.id)],
  );
  if (wanted.length === 0) return;
  await tx.query(
    `INSERT INTO reminder_schedule (task_id, reminder_id, user_id, fire_at)
     SELECT $1, r.id, $2, r.at FROM unnest($3::uuid[], $4::timestamptz[]) AS r(id, at)
     ON CONFLICT (task_id, reminder_id) DO UPDATE SET fire_at = EXCLUDED.fire_at,
       fired_at = CASE WHEN reminder_schedule.fire_at = EXCLUDED.fire_at THEN reminder_schedule.fired_at END`,
    [task.id, task.userId, wanted.map((w) => w.id), wanted.map((w) => w.at)],
  );
  await tx.query(`SELECT pg_notify('${REMINDER_CHANNEL}', '')`);
}
